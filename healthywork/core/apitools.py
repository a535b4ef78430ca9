"""What every app's API router shares: error schemas, paging, permission and validation helpers.

Each router reads with `visible_to(user)` and writes through its app's services; these helpers
make a refused write a 403 and an invalid field a 422 that names it, never a 500.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError, ValidationError

MAX_PAGE_SIZE = 200


class Message(Schema):
    detail: str


class FieldError(Schema):
    field: str
    message: str


class FieldErrors(Schema):
    detail: list[FieldError]


class PageQuery(Schema):
    page: int = 1
    page_size: int = 25


READ_ERRORS: dict[int, type[Schema]] = {401: Message, 404: Message, 422: FieldErrors}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 403: Message}


def api_user(request: HttpRequest) -> Any:
    """The signed-in user: token auth returns it as request.auth, session auth too."""
    return request.auth


def require_ability(request: HttpRequest, ability: str) -> None:
    """403 unless the user's role grants `ability`."""
    if not api_user(request).can(ability):
        raise HttpError(403, _("Your role may not do this (it needs “%(ability)s”).") % {"ability": ability})


def paginate(queryset: QuerySet, query: PageQuery) -> dict[str, Any]:
    """{count, page, page_size, results}; page_size is kept within 1..MAX_PAGE_SIZE."""
    page_size = min(max(query.page_size, 1), MAX_PAGE_SIZE)
    page = Paginator(queryset, page_size).get_page(query.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": page_size,
        "results": list(page.object_list),
    }


def invalid(errors: dict[str, str]) -> ValidationError:
    """A 422 naming each field: {"detail": [{"field": ..., "message": ...}]}."""
    return ValidationError([{"loc": [field], "msg": message} for field, message in errors.items()])


def full_clean(candidate: models.Model, errors: dict[str, str], exclude: list[str]) -> None:
    """Check `candidate` by its model's rules, add to `errors`, and raise a 422 if there are any."""
    try:
        candidate.full_clean(exclude=[*exclude, *errors])
    except DjangoValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, " ".join(messages))
    if errors:
        raise invalid(errors)


def assign(candidate: models.Model, data: dict[str, Any], fields: list[str], errors: dict) -> None:
    """Copy `fields` from `data` onto `candidate`, leaving fields already in error alone."""
    for field in fields:
        if field in data and field not in errors:
            setattr(candidate, field, data[field])
