from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from healthywork.catalog import facets, services
from healthywork.catalog.forms import (
    ActionTypeForm,
    BulkChangeForm,
    CatalogSearchForm,
    ConditionForm,
    InitiativeForm,
    partner_formset,
    partners_from,
)
from healthywork.catalog.models import ActionType, Condition, Initiative
from healthywork.core import tabular
from healthywork.core.history import render_history
from healthywork.core.pagination import PAGE_SIZE, paginate
from healthywork.core.panels import collect
from healthywork.core.permissions import ability_required, get_visible_or_404


def _status(form, formset=None) -> int:
    has_errors = bool(form.errors) or bool(formset is not None and formset.total_error_count())
    return 400 if has_errors else 200


def _url_or_none(name: str) -> str | None:
    """The address of a page another part of the catalog provides, or None while it is missing."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _active_filters(params: QueryDict, groups: list[facets.FacetGroup]) -> list[tuple[str, str, str]]:
    """(facet label, value label, the query string without that value) of each chosen value."""
    active = []
    for group in groups:
        for option in group.options:
            if option.is_selected:
                remaining = params.copy()
                remaining.setlist(group.key, [v for v in params.getlist(group.key) if v != option.value])
                remaining.pop("page", None)
                active.append((str(group.label), option.label, remaining.urlencode()))
    return active


def _page_offset(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    return max(number - 1, 0) * PAGE_SIZE


def catalog(request: HttpRequest) -> HttpResponse:
    visible = Initiative.objects.visible_to(request.user)
    sort = request.GET.get("sort")
    offset = _page_offset(request)
    # One statement gives the counts, the total and the page: see `facets.search`.
    found = facets.search(visible, request.GET, sort=sort, offset=offset, limit=PAGE_SIZE)
    page = paginate(
        request,
        facets.ResultList(
            found, lambda: facets.sort_initiatives(facets.apply_filters(visible, request.GET), sort)
        ),
    )
    groups = facets.facet_groups(found, request.GET)
    is_fragment = bool(request.htmx) and not request.htmx.boosted
    context = {
        "form": CatalogSearchForm(request.GET),
        "page": page,
        "facet_groups": groups,
        "active_filters": _active_filters(request.GET, groups),
        "query_string": request.GET.urlencode(),
        "is_fragment": is_fragment,
        "bulk_form": BulkChangeForm(user=request.user) if request.user.can("catalog.edit") else None,
        "export_url": _url_or_none("catalog:initiative-export"),
        "export_formats": tabular.EXPORT_FORMATS,
        "import_url": _url_or_none("catalog:initiative-import"),
        "crosstab_url": _url_or_none("catalog:crosstab"),
    }
    template = "catalog/catalog.html" + ("#results" if is_fragment else "")
    return render(request, template, context)


def _links(initiative: Initiative) -> list[tuple[str, bool]]:
    """(text, is a web address) of each link line: only http(s) addresses become links."""
    return [(line, line.lower().startswith(("http://", "https://"))) for line in initiative.link_list]


def initiative_detail(request: HttpRequest, public_id) -> HttpResponse:
    initiative = get_object_or_404(
        Initiative.objects.visible_to(request.user).select_related(
            "lead_organization__sector", "action_type"
        ),
        public_id=public_id,
    )
    context = {
        "initiative": initiative,
        "partners": initiative.partners.select_related("organization__sector"),
        "links": _links(initiative),
        "panels": collect("initiative_panels", initiative, request.user),
    }
    return render(request, "catalog/initiative_detail.html", context)


def initiative_history(request: HttpRequest, public_id) -> HttpResponse:
    initiative = get_visible_or_404(Initiative, request.user, public_id=public_id)
    return render_history(request, initiative, "catalog/initiative_history.html", {"initiative": initiative})


def _save_initiative(request: HttpRequest, form: InitiativeForm, formset, initiative=None) -> Initiative:
    data = dict(form.cleaned_data)
    with transaction.atomic():
        data["tags"] = services.tags_named(data["tags"], by=request.user)
        partners = partners_from(formset)
        if initiative is None:
            return services.create_initiative(data, partners=partners, by=request.user)
        return services.update_initiative(initiative, data, partners=partners, by=request.user)


@ability_required("catalog.edit")
def initiative_create(request: HttpRequest) -> HttpResponse:
    form = InitiativeForm(request.POST or None)
    formset = partner_formset(request.POST or None)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        initiative = _save_initiative(request, form, formset)
        messages.success(request, _("%(title)s is added.") % {"title": initiative.title})
        return redirect(initiative)
    context = {"form": form, "formset": formset}
    return render(request, "catalog/initiative_form.html", context, status=_status(form, formset))


@ability_required("catalog.edit")
def initiative_edit(request: HttpRequest, public_id) -> HttpResponse:
    initiative = get_visible_or_404(Initiative, request.user, public_id=public_id)
    form = InitiativeForm(request.POST or None, instance=initiative)
    formset = partner_formset(request.POST or None, initiative)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        _save_initiative(request, form, formset, initiative)
        messages.success(request, _("%(title)s is saved.") % {"title": initiative.title})
        return redirect(initiative)
    context = {"form": form, "formset": formset, "initiative": initiative}
    return render(request, "catalog/initiative_form.html", context, status=_status(form, formset))


@ability_required("catalog.edit")
def initiative_delete(request: HttpRequest, public_id) -> HttpResponse:
    initiative = get_visible_or_404(Initiative, request.user, public_id=public_id)
    if request.method == "POST":
        services.delete_initiative(initiative, by=request.user)
        messages.success(request, _("%(title)s is deleted.") % {"title": initiative.title})
        return redirect("catalog:index")
    return render(request, "catalog/initiative_confirm_delete.html", {"initiative": initiative})


@require_POST
@ability_required("catalog.edit")
def initiative_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkChangeForm(request.POST, user=request.user)
    back = reverse("catalog:index")
    if not form.is_valid():
        query = form.filter_params().urlencode()
        context = {"form": form, "back": f"{back}?{query}" if query else back}
        return render(request, "catalog/bulk_change.html", context, status=400)
    field, value = form.cleaned_data["change"]
    changed = services.bulk_change(form.initiatives(), field, value, by=request.user)
    messages.success(
        request,
        ngettext("%(count)s initiative changed.", "%(count)s initiatives changed.", changed)
        % {"count": changed},
    )
    query = form.filter_params().urlencode()
    return redirect(f"{back}?{query}" if query else back)


def taxonomy(request: HttpRequest) -> HttpResponse:
    context = {
        "action_types": ActionType.objects.annotate(initiative_count=Count("initiatives")),
        "conditions": Condition.objects.annotate(initiative_count=Count("initiatives")),
    }
    return render(request, "catalog/taxonomy.html", context)


def _term_edit(
    request: HttpRequest, model, form_class, slug: str | None, kind: str, saved: str
) -> HttpResponse:
    term = get_object_or_404(model, slug=slug) if slug else None
    form = form_class(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        services.save_term(form.save(commit=False), by=request.user)
        messages.success(request, saved)
        return redirect("catalog:taxonomy")
    context = {"form": form, "object": term, "kind": kind}
    return render(request, "catalog/taxonomy_form.html", context, status=_status(form))


@ability_required("catalog.taxonomy")
def action_type_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    return _term_edit(
        request, ActionType, ActionTypeForm, slug, _("action type"), _("The action type is saved.")
    )


@ability_required("catalog.taxonomy")
def condition_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    return _term_edit(
        request, Condition, ConditionForm, slug, _("healthy-work condition"), _("The condition is saved.")
    )
