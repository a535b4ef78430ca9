from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.core import tabular
from healthywork.core.history import render_history
from healthywork.core.pagination import paginate
from healthywork.core.panels import collect
from healthywork.core.permissions import ability_required, get_visible_or_404
from healthywork.core.staging import stage_upload, staged_table
from healthywork.partners import exporting, importing, services
from healthywork.partners.forms import (
    AffiliationForm,
    ImportForm,
    MergeForm,
    OrganizationFilterForm,
    OrganizationForm,
    PersonFilterForm,
    PersonForm,
    PopulationForm,
    SectorForm,
)
from healthywork.partners.models import (
    Affiliation,
    Organization,
    OrganizationMerge,
    Person,
    Population,
    Sector,
)


def _status(form) -> int:
    return 400 if form.errors else 200


def _filtered_organizations(request: HttpRequest) -> tuple[OrganizationFilterForm, object]:
    form = OrganizationFilterForm(request.GET or None)
    organizations = Organization.objects.visible_to(request.user).select_related("sector")
    if request.GET:
        organizations = form.filter(organizations)
    return form, organizations


def organization_list(request: HttpRequest) -> HttpResponse:
    form, organizations = _filtered_organizations(request)
    context = {
        "form": form,
        "page": paginate(request, organizations),
        "export_formats": tabular.EXPORT_FORMATS,
    }
    template = "partners/organization_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def organization_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in tabular.EXPORT_FORMATS:
        raise Http404
    _form, organizations = _filtered_organizations(request)
    content, content_type = exporting.export_organizations(organizations, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="organizations.{fmt}"'
    return response


def organization_suggest(request: HttpRequest) -> HttpResponse:
    from healthywork.core.search import text_search

    query = request.GET.get("q") or request.GET.get("organization") or request.GET.get("other") or ""
    organizations = text_search(Organization.objects.visible_to(request.user), query)[:15] if query else []
    return render(request, "partners/organization_suggest.html", {"organizations": organizations})


def organization_detail(request: HttpRequest, public_id) -> HttpResponse:
    organization = _organization_or_redirect(request, public_id)
    if not isinstance(organization, Organization):
        return organization
    affiliations = (
        organization.affiliations.filter(person__in=Person.objects.visible_to(request.user))
        .select_related("person")
        .order_by("end_date", "person__name")
    )
    context = {
        "organization": organization,
        "affiliations": affiliations,
        "merges": organization.merges_received.select_related("merged", "created_by"),
        "panels": collect("organization_panels", organization, request.user),
    }
    return render(request, "partners/organization_detail.html", context)


def _organization_or_redirect(request: HttpRequest, public_id):
    """The visible organization, or a redirect to the survivor of a merge, or 404."""
    organization = Organization.objects.filter(public_id=public_id).first()
    if organization is None or not request.user.is_authenticated:
        raise Http404
    seen = set()
    while organization.merged_into_id and organization.pk not in seen:
        seen.add(organization.pk)
        organization = organization.merged_into
    if str(organization.public_id) != str(public_id):
        messages.info(request, _("That organization was merged into this one."))
        return redirect(organization)
    return get_visible_or_404(Organization, request.user, pk=organization.pk)


def organization_history(request: HttpRequest, public_id) -> HttpResponse:
    organization = get_visible_or_404(Organization, request.user, public_id=public_id)
    return render_history(
        request, organization, "partners/organization_history.html", {"organization": organization}
    )


@ability_required("registry.edit")
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = services.create_organization(form.cleaned_data, by=request.user)
        messages.success(request, _("%(name)s is added.") % {"name": organization.name})
        return redirect(organization)
    return render(request, "partners/organization_form.html", {"form": form}, status=_status(form))


@ability_required("registry.edit")
def organization_edit(request: HttpRequest, public_id) -> HttpResponse:
    organization = get_visible_or_404(Organization, request.user, public_id=public_id)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.update_organization(organization, form.cleaned_data, by=request.user)
        messages.success(request, _("%(name)s is saved.") % {"name": organization.name})
        return redirect(organization)
    return render(
        request,
        "partners/organization_form.html",
        {"form": form, "organization": organization},
        status=_status(form),
    )


@ability_required("registry.merge")
def organization_merge(request: HttpRequest, public_id) -> HttpResponse:
    survivor = get_visible_or_404(Organization, request.user, public_id=public_id)
    form = MergeForm(request.POST or request.GET or None, survivor=survivor, user=request.user)
    other = form.cleaned_data["other"] if form.is_bound and form.is_valid() else None
    if request.method == "POST" and other is not None:
        services.merge_organizations(survivor, other, by=request.user)
        messages.success(
            request,
            _("%(merged)s is merged into %(survivor)s. You can undo this below.")
            % {"merged": other.name, "survivor": survivor.name},
        )
        return redirect(survivor)
    preview = services.merge_preview(survivor, other) if other else None
    return render(
        request,
        "partners/organization_merge.html",
        {"form": form, "organization": survivor, "other": other, "preview": preview},
        status=_status(form),
    )


@require_POST
@ability_required("registry.merge")
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(OrganizationMerge, pk=pk, undone_at__isnull=True)
    merged = services.undo_merge(merge, by=request.user)
    messages.success(request, _("The merge is undone: %(name)s is back.") % {"name": merged.name})
    return redirect(merged)


@ability_required("registry.import")
def organization_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(request.user, "organizations", upload.name, upload.read())
        return redirect("partners:organization-import-preview", pk=staged.pk)
    return render(
        request,
        "partners/organization_import.html",
        {"form": form, "columns": importing.COLUMNS},
        status=_status(form),
    )


@ability_required("registry.import")
def organization_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    staged, table = staged_table(request, pk, "organizations")
    if table is None:
        return redirect("partners:organization-import")
    choices = {
        int(key.removeprefix("row-")): value
        for key, value in request.POST.items()
        if key.startswith("row-") and key[4:].isdigit()
    }
    preview = importing.preview_organizations(table, choices, default_choice=None if request.POST else "skip")
    if request.method == "POST" and request.POST.get("confirm") and preview.can_apply:
        summary = importing.apply_organizations(preview, by=request.user, filename=staged.filename)
        staged.delete()
        messages.success(
            request,
            _("Import done: %(create)s created, %(update)s updated, %(merge)s merged, %(skip)s skipped.")
            % summary,
        )
        return redirect("partners:organization-list")
    return render(
        request,
        "partners/organization_import_preview.html",
        {"staged": staged, "preview": preview, "choices": importing.DUPLICATE_CHOICES},
        status=200 if preview.can_apply else 400,
    )


def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    people = Person.objects.visible_to(request.user)
    if request.GET:
        people = form.filter(people)
    people = people.prefetch_related("affiliations__organization")
    template = "partners/person_list.html" + ("#results" if request.htmx and not request.htmx.boosted else "")
    return render(request, template, {"page": paginate(request, people), "form": form})


def person_detail(request: HttpRequest, public_id) -> HttpResponse:
    person = get_visible_or_404(Person, request.user, public_id=public_id)
    affiliations = person.affiliations.select_related("organization__sector").filter(
        organization__merged_into__isnull=True
    )
    return render(
        request,
        "partners/person_detail.html",
        {
            "person": person,
            "affiliations": affiliations,
            "panels": collect("person_panels", person, request.user),
        },
    )


def person_history(request: HttpRequest, public_id) -> HttpResponse:
    person = get_visible_or_404(Person, request.user, public_id=public_id)
    return render_history(request, person, "partners/person_history.html", {"person": person})


@ability_required("registry.edit")
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.create_person(form.cleaned_data, by=request.user)
        messages.success(request, _("%(name)s is added.") % {"name": person.name})
        return redirect(person)
    return render(request, "partners/person_form.html", {"form": form}, status=_status(form))


@ability_required("registry.edit")
def person_edit(request: HttpRequest, public_id) -> HttpResponse:
    person = get_visible_or_404(Person, request.user, public_id=public_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.update_person(person, form.cleaned_data, by=request.user)
        messages.success(request, _("%(name)s is saved.") % {"name": person.name})
        return redirect(person)
    return render(
        request, "partners/person_form.html", {"form": form, "person": person}, status=_status(form)
    )


@ability_required("registry.edit")
def affiliation_edit(request: HttpRequest, public_id, pk: int | None = None) -> HttpResponse:
    person = get_visible_or_404(Person, request.user, public_id=public_id)
    affiliation = get_object_or_404(Affiliation, pk=pk, person=person) if pk else Affiliation(person=person)
    form = AffiliationForm(request.POST or None, instance=affiliation)
    if request.method == "POST" and form.is_valid():
        services.save_affiliation(form.save(commit=False), by=request.user)
        messages.success(request, _("The affiliation is saved."))
        return redirect(person)
    return render(
        request,
        "partners/affiliation_form.html",
        {"form": form, "person": person, "affiliation": affiliation},
        status=_status(form),
    )


@require_POST
@ability_required("registry.edit")
def affiliation_delete(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person, request.user, public_id=public_id)
    affiliation = get_object_or_404(Affiliation, pk=pk, person=person)
    services.delete_affiliation(affiliation, by=request.user)
    messages.success(request, _("The affiliation is removed."))
    return redirect(person)


def sector_list(request: HttpRequest) -> HttpResponse:
    sectors = Sector.objects.visible_to(request.user).annotate(
        organization_count=Count("organizations", filter=Q(organizations__merged_into__isnull=True))
    )
    populations = Population.objects.annotate(
        organization_count=Count("organizations", filter=Q(organizations__merged_into__isnull=True))
    )
    return render(request, "partners/sector_list.html", {"sectors": sectors, "populations": populations})


@ability_required("registry.taxonomy")
def sector_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    sector = get_object_or_404(Sector, slug=slug) if slug else None
    form = SectorForm(request.POST or None, instance=sector)
    if request.method == "POST" and form.is_valid():
        services.save_sector(form.save(commit=False), by=request.user)
        messages.success(request, _("The sector is saved."))
        return redirect("partners:sector-list")
    return render(
        request,
        "partners/taxonomy_form.html",
        {"form": form, "object": sector, "kind": _("sector")},
        status=_status(form),
    )


@ability_required("registry.taxonomy")
def population_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    population = get_object_or_404(Population, slug=slug) if slug else None
    form = PopulationForm(request.POST or None, instance=population)
    if request.method == "POST" and form.is_valid():
        services.save_population(form.save(commit=False), by=request.user)
        messages.success(request, _("The worker population is saved."))
        return redirect("partners:sector-list")
    return render(
        request,
        "partners/taxonomy_form.html",
        {"form": form, "object": population, "kind": _("worker population")},
        status=_status(form),
    )
