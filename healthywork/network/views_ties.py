"""A wave's ties: the list (stored and derived, filtered), detail, create, edit, delete; the
import (upload, preview, confirm) and the export of the list's current filter."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from healthywork.core.history import render_history
from healthywork.core.permissions import ability_required, get_visible_or_404
from healthywork.core.staging import stage_upload, staged_table
from healthywork.network import exporting, importing, ties
from healthywork.network.forms_ties import TieFilterForm, TieForm, TieImportForm
from healthywork.network.models import Tie, Wave

KIND = "network-ties"
PAGE_SIZE = 50


def tie_list(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    form = TieFilterForm(request.GET)
    params = form.params()
    rows = ties.tie_rows(wave, params)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ties.attach_public_ids(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "wave": wave,
        "form": form,
        "page": page,
        "count": len(rows),
        "query_string": query.urlencode(),
        "formats": exporting.FORMATS,
        "can_edit": request.user.can("network.edit"),
    }
    return render(request, "network/ties_list.html", context)


def tie_detail(request: HttpRequest, public_id) -> HttpResponse:
    tie = get_visible_or_404(Tie, request.user, public_id=public_id)
    context = {"tie": tie, "wave": tie.wave, "can_edit": request.user.can("network.edit")}
    return render(request, "network/ties_detail.html", context)


def tie_history(request: HttpRequest, public_id) -> HttpResponse:
    tie = get_visible_or_404(Tie, request.user, public_id=public_id)
    return render_history(request, tie, "network/ties_history.html", {"tie": tie, "wave": tie.wave})


@ability_required("network.edit")
def tie_create(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    form = TieForm(request.POST or None, wave=wave)
    if request.method == "POST" and form.is_valid():
        tie = ties.create_tie(wave, form.cleaned_data, by=request.user)
        messages.success(request, _("The tie %(tie)s is added.") % {"tie": tie})
        return redirect(tie)
    context = {"form": form, "wave": wave}
    return render(request, "network/ties_form.html", context, status=400 if form.errors else 200)


@ability_required("network.edit")
def tie_edit(request: HttpRequest, public_id) -> HttpResponse:
    tie = get_visible_or_404(Tie, request.user, public_id=public_id)
    form = TieForm(request.POST or None, instance=tie, wave=tie.wave)
    if request.method == "POST" and form.is_valid():
        ties.update_tie(Tie.objects.get(pk=tie.pk), form.cleaned_data, by=request.user)
        messages.success(request, _("The tie is saved."))
        return redirect(tie)
    context = {"form": form, "wave": tie.wave, "tie": Tie.objects.get(pk=tie.pk)}
    return render(request, "network/ties_form.html", context, status=400 if form.errors else 200)


@ability_required("network.edit")
def tie_delete(request: HttpRequest, public_id) -> HttpResponse:
    tie = get_visible_or_404(Tie, request.user, public_id=public_id)
    if request.method == "POST":
        ties.delete_tie(tie, by=request.user)
        messages.success(request, _("The tie is deleted."))
        return redirect("network:tie-list", tie.wave.public_id)
    return render(request, "network/ties_confirm_delete.html", {"tie": tie, "wave": tie.wave})


@ability_required("network.edit")
def tie_import(request: HttpRequest) -> HttpResponse:
    form = TieImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(request.user, KIND, upload.name, upload.read())
        url = reverse("network:tie-import-preview", args=[staged.pk])
        wave = form.cleaned_data["wave"]
        return redirect(f"{url}?wave={wave.public_id}" if wave else url)
    context = {"form": form, "columns": importing.COLUMNS}
    return render(request, "network/ties_import.html", context, status=400 if form.errors else 200)


@ability_required("network.edit")
def tie_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    wave = _chosen_wave(request)
    staged, table = staged_table(request, pk, KIND, read=importing.read_ties_upload)
    if table is None:
        return redirect("network:tie-import")
    preview = importing.preview_ties(table, default_wave=wave)
    if request.method == "POST" and request.POST.get("confirm") and preview.can_apply:
        try:
            summary = importing.apply_ties(preview, by=request.user)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            staged.delete()
            messages.success(request, _("Import done: %(create)s created, %(skip)s skipped.") % summary)
            return redirect(reverse("network:tie-list", args=[wave.public_id]) if wave else "network:index")
    context = {"staged": staged, "preview": preview, "wave": wave}
    return render(
        request, "network/ties_import_preview.html", context, status=200 if preview.can_apply else 400
    )


def _chosen_wave(request: HttpRequest) -> Wave | None:
    value = request.GET.get("wave", "")
    if not value:
        return None
    try:
        public_id = uuid.UUID(value)
    except ValueError:  # a malformed id is as unknown as a missing one
        raise Http404 from None
    return get_visible_or_404(Wave, request.user, public_id=public_id)


def tie_export(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in exporting.FORMATS:
        raise Http404
    content, content_type = exporting.export_ties(wave, TieFilterForm(request.GET).params(), fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporting.filename(wave, fmt)}"'
    return response
