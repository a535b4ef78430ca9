"""The permission helpers every app uses.

Objects are loaded through `Model.objects.visible_to(user)`, so a stranger's object is a 404,
and abilities (what a role may do) come from `user.can(ability)`, so a read-only role gets 403.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

ModelT = TypeVar("ModelT", bound=models.Model)


def get_visible_or_404(model: type[ModelT], user: Any, **lookup: Any) -> ModelT:
    """The object if `user` may see it, else Http404 (never 403: a stranger learns nothing)."""
    return get_object_or_404(model.objects.visible_to(user), **lookup)


def require(user: Any, ability: str) -> None:
    if not (getattr(user, "is_authenticated", False) and user.can(ability)):
        raise PermissionDenied(ability)


F = TypeVar("F", bound=Callable[..., Any])


def ability_required(ability: str) -> Callable[[F], F]:
    """View decorator: 403 unless the signed-in user's role grants `ability`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, ability)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
