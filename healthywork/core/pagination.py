from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of `queryset`; an out-of-range or malformed page number gives the last or first."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
