"""Import of initiatives (upload, preview, confirm) and export of the catalog's current filter."""

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.catalog import exporting, importing
from healthywork.catalog.models import Initiative
from healthywork.core import tabular
from healthywork.core.permissions import ability_required
from healthywork.core.staging import stage_upload, staged_table
from healthywork.partners.models import Sector

KIND = "initiatives"
ORGANIZATION_FIELD = re.compile(r"^org-(\d+)-name$")


class InitiativeImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV, XLSX or JSON file"),
        help_text=gettext_lazy(
            "One initiative a row (or a JSON list of objects); the first row names the columns."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.HEALTHYWORK_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                params={"size": round(upload.size / 1048576, 1), "limit": round(limit / 1048576, 1)},
            )
        return upload


@ability_required("catalog.edit")
def initiative_import(request: HttpRequest) -> HttpResponse:
    form = InitiativeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(request.user, KIND, upload.name, upload.read())
        return redirect("catalog:initiative-import-preview", pk=staged.pk)
    return render(
        request,
        "catalog/initiative_import.html",
        {"form": form, "columns": importing.COLUMNS},
        status=400 if form.errors else 200,
    )


@ability_required("catalog.edit")
def initiative_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    staged, table = staged_table(request, pk, KIND)
    if table is None:
        return redirect("catalog:initiative-import")
    choices = {
        int(key.removeprefix("row-")): value
        for key, value in request.POST.items()
        if key.startswith("row-") and key[4:].isdigit()
    }
    preview = importing.preview_initiatives(
        table,
        choices,
        default_choice=None if request.POST else "skip",
        organizations=_organization_choices(request.POST),
    )
    if request.method == "POST" and request.POST.get("confirm") and preview.can_apply:
        try:
            summary = importing.apply_initiatives(preview, by=request.user)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            staged.delete()
            messages.success(
                request,
                _("Import done: %(create)s created, %(update)s updated, %(skip)s skipped.") % summary,
            )
            return redirect("catalog:index")
    context = {
        "staged": staged,
        "preview": preview,
        "choices": importing.DUPLICATE_CHOICES,
        "sectors": Sector.objects.order_by("name"),
    }
    status = 200 if preview.can_apply else 400
    return render(request, "catalog/initiative_import_preview.html", context, status=status)


def _organization_choices(post: QueryDict) -> dict[str, importing.OrganizationChoice]:
    """{name (case-folded): choice} from the preview's fields org-N-name, -action, -sector, -target."""
    found = {}
    for key, name in post.items():
        match = ORGANIZATION_FIELD.match(key)
        if match:
            prefix = f"org-{match[1]}-"
            found[name.strip().casefold()] = importing.OrganizationChoice(
                action=post.get(prefix + "action", ""),
                sector=post.get(prefix + "sector", ""),
                target=post.get(prefix + "target", ""),
            )
    return found


def initiative_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in tabular.EXPORT_FORMATS:
        raise Http404
    filters = request.GET.copy()
    filters.pop("format", None)
    initiatives = exporting.filter_initiatives(Initiative.objects.visible_to(request.user), filters)
    content, content_type = exporting.export_initiatives(initiatives, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="initiatives.{fmt}"'
    return response
