"""The instrument builder: list, page (dimensions, items, scoring rules, a preview as respondents see
it in English and Spanish), create, edit and copy an instrument; add, edit, delete and reorder its
dimensions and items; items from a table; export and import (our file format or an XLSForm) with a
preview. Every signed-in user reads; `evaluation.manage` writes; an instrument with responses keeps
its items (copy it instead)."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.core.audit import snapshot
from healthywork.core.models import StagedUpload
from healthywork.core.permissions import ability_required, get_visible_or_404
from healthywork.core.staging import stage_upload, staged_table
from healthywork.evaluation import instrument_format, instruments, xlsform
from healthywork.evaluation.forms_instruments import (
    CopyForm,
    DimensionForm,
    InstrumentForm,
    InstrumentImportForm,
    ItemForm,
    ItemsImportForm,
)
from healthywork.evaluation.models import Dimension, Instrument, Item

MANAGE = "evaluation.manage"
IMPORT_KIND = "evaluation-instrument"
ITEMS_KIND = "evaluation-items"


def _status(form) -> int:
    return 400 if form.errors else 200


def _instrument(public_id) -> Instrument:
    return get_object_or_404(Instrument, public_id=public_id)


def _unlocked(request: HttpRequest, instrument: Instrument) -> bool:
    if instruments.is_locked(instrument):
        messages.error(request, _("This instrument has responses; its items cannot change. Copy it instead."))
        return False
    return True


def instrument_list(request: HttpRequest) -> HttpResponse:
    listed = Instrument.objects.annotate(
        item_count=Count("items", distinct=True), administration_count=Count("administrations", distinct=True)
    ).order_by("title")
    context = {"instruments": listed, "can_manage": request.user.can(MANAGE)}
    return render(request, "evaluation/instrument_list.html", context)


def instrument_detail(request: HttpRequest, public_id) -> HttpResponse:
    instrument = _instrument(public_id)
    language = "es" if request.GET.get("preview") == "es" else "en"
    items = list(instrument.items.select_related("dimension"))
    context = {
        "instrument": instrument,
        "dimensions": instrument.dimensions.annotate(item_count=Count("items")),
        "items": items,
        "is_locked": instruments.is_locked(instrument),
        "can_manage": request.user.can(MANAGE),
        "preview_language": language,
        "blocks": instruments.preview_blocks(instrument, language),
        "band_label_es": language == "es",
    }
    return render(request, "evaluation/instrument_detail.html", context)


@ability_required(MANAGE)
def instrument_create(request: HttpRequest) -> HttpResponse:
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instrument = instruments.save_instrument(form.save(commit=False), request.user)
        messages.success(request, _("Instrument created. Add its dimensions and items."))
        return redirect(instrument)
    context = {"form": form, "heading": _("New instrument")}
    return render(request, "evaluation/instrument_form.html", context, status=_status(form))


@ability_required(MANAGE)
def instrument_edit(request: HttpRequest, public_id) -> HttpResponse:
    instrument = _instrument(public_id)
    before = snapshot(instrument)
    form = InstrumentForm(request.POST or None, instance=instrument)
    if request.method == "POST" and form.is_valid():
        instruments.save_instrument(form.save(commit=False), request.user, before=before)
        messages.success(request, _("Instrument saved."))
        return redirect(instrument)
    context = {"form": form, "instrument": instrument, "heading": _("Edit the instrument")}
    return render(request, "evaluation/instrument_form.html", context, status=_status(form))


@ability_required(MANAGE)
def instrument_copy(request: HttpRequest, public_id) -> HttpResponse:
    instrument = _instrument(public_id)
    initial = {
        "name": f"{instrument.name}-copy"[:80],
        "title": _("%(title)s (copy)") % {"title": instrument.title},
    }
    form = CopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        copy = instruments.copy_instrument(
            instrument, form.cleaned_data["name"], form.cleaned_data["title"], request.user
        )
        messages.success(request, _("Copied. This copy has no responses: you can change its items."))
        return redirect(copy)
    context = {"form": form, "instrument": instrument, "heading": _("Copy the instrument")}
    return render(request, "evaluation/instrument_form.html", context, status=_status(form))


def instrument_export(request: HttpRequest, public_id) -> HttpResponse:
    instrument = _instrument(public_id)
    response = HttpResponse(instrument_format.export_json(instrument), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{instrument.name}.instrument.json"'
    return response


# --- Dimensions --------------------------------------------------------------------------------


def _dimension(public_id, pk: int) -> Dimension:
    return get_object_or_404(
        Dimension.objects.select_related("instrument"), instrument__public_id=public_id, pk=pk
    )


@ability_required(MANAGE)
def dimension_form(request: HttpRequest, public_id, pk: int | None = None) -> HttpResponse:
    dimension = _dimension(public_id, pk) if pk else Dimension(instrument=_instrument(public_id))
    instrument = dimension.instrument
    if not _unlocked(request, instrument):
        return redirect(instrument)
    before = snapshot(dimension) if pk else None
    form = DimensionForm(request.POST or None, instance=dimension)
    if request.method == "POST" and form.is_valid():
        instruments.save_dimension(form.save(commit=False), request.user, before=before)
        messages.success(request, _("Dimension saved."))
        return redirect(instrument.get_absolute_url() + "#dimensions")
    heading = _("Edit the dimension") if pk else _("New dimension")
    context = {"form": form, "instrument": instrument, "heading": heading}
    return render(request, "evaluation/instrument_form.html", context, status=_status(form))


# --- Items -------------------------------------------------------------------------------------


def _item(public_id, pk: int) -> Item:
    return get_object_or_404(
        Item.objects.select_related("instrument"), instrument__public_id=public_id, pk=pk
    )


@ability_required(MANAGE)
def item_form(request: HttpRequest, public_id, pk: int | None = None) -> HttpResponse:
    item = _item(public_id, pk) if pk else Item(instrument=_instrument(public_id))
    instrument = item.instrument
    if not _unlocked(request, instrument):
        return redirect(instrument)
    before = snapshot(item) if pk else None
    form = ItemForm(
        request.POST or None, instance=item, default_choices=instruments.default_choices(instrument)
    )
    if request.method == "POST" and form.is_valid():
        instruments.save_item(form.save(commit=False), request.user, before=before)
        messages.success(request, _("Item saved."))
        return redirect(instrument.get_absolute_url() + "#items")
    heading = _("Edit item %(code)s") % {"code": item.code} if pk else _("New item")
    context = {"form": form, "instrument": instrument, "heading": heading, "is_item": True}
    return render(request, "evaluation/instrument_form.html", context, status=_status(form))


def _part(public_id, part: str, pk: int) -> Item | Dimension:
    if part == "item":
        return _item(public_id, pk)
    if part == "dimension":
        return _dimension(public_id, pk)
    raise Http404(part)


@ability_required(MANAGE)
def part_delete(request: HttpRequest, public_id, part: str, pk: int) -> HttpResponse:
    obj = _part(public_id, part, pk)
    instrument = obj.instrument
    if not _unlocked(request, instrument):
        return redirect(instrument)
    if request.method == "POST":
        (instruments.delete_item if part == "item" else instruments.delete_dimension)(obj, request.user)
        messages.success(request, _("Deleted."))
        return redirect(instrument)
    context = {"instrument": instrument, "obj": obj, "part": part}
    return render(request, "evaluation/instrument_confirm_delete.html", context)


@require_POST
@ability_required(MANAGE)
def part_move(request: HttpRequest, public_id, part: str, pk: int) -> HttpResponse:
    obj = _part(public_id, part, pk)
    if _unlocked(request, obj.instrument):
        step = -1 if request.POST.get("direction") == "up" else 1
        (instruments.move_item if part == "item" else instruments.move_dimension)(obj, step, request.user)
    return redirect(obj.instrument.get_absolute_url() + ("#items" if part == "item" else "#dimensions"))


@ability_required(MANAGE)
def items_import(request: HttpRequest, public_id) -> HttpResponse:
    instrument = _instrument(public_id)
    if not _unlocked(request, instrument):
        return redirect(instrument)
    form = ItemsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        data, filename = (
            (upload.read(), upload.name) if upload else (form.cleaned_data["pasted"].encode(), "pasted.csv")
        )
        staged = stage_upload(request.user, ITEMS_KIND, filename, data)
        return redirect("evaluation:instrument-items-import-preview", instrument.public_id, staged.pk)
    context = {"form": form, "instrument": instrument}
    return render(request, "evaluation/instrument_items_import.html", context, status=_status(form))


@ability_required(MANAGE)
def items_import_preview(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    instrument = _instrument(public_id)
    staged, table = staged_table(request, pk, ITEMS_KIND)
    if table is None:
        return redirect("evaluation:instrument-items-import", instrument.public_id)
    preview = instruments.preview_items(instrument, table)
    if request.method == "POST" and preview.can_apply:
        count = instruments.import_items(instrument, preview, request.user)
        staged.delete()
        messages.success(request, _("%(count)s items added.") % {"count": count})
        return redirect(instrument.get_absolute_url() + "#items")
    context = {"instrument": instrument, "preview": preview}
    return render(
        request, "evaluation/instrument_items_preview.html", context, status=200 if preview.can_apply else 400
    )


# --- Import a whole instrument -------------------------------------------------------------------


def read_upload(data: bytes, filename: str) -> tuple[dict, list[str]]:
    """(definition, warnings) of our JSON file or an XLSForm; FormatError for a file that is neither."""
    if filename.lower().endswith(".xlsx"):
        document, warnings = xlsform.read_xlsform(data)
        return document, warnings
    return instrument_format.parse_json(data), []


@ability_required(MANAGE)
def instrument_import(request: HttpRequest) -> HttpResponse:
    form = InstrumentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(request.user, IMPORT_KIND, upload.name, upload.read())
        return redirect("evaluation:instrument-import-preview", staged.pk)
    return render(request, "evaluation/instrument_import.html", {"form": form}, status=_status(form))


@ability_required(MANAGE)
def instrument_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    staged = get_visible_or_404(StagedUpload, request.user, pk=pk, kind=IMPORT_KIND)
    try:
        document, warnings = read_upload(bytes(staged.data), staged.filename)
    except instrument_format.FormatError as error:
        staged.delete()
        context = {"staged": staged, "error": str(error)}
        return render(request, "evaluation/instrument_import_preview.html", context, status=400)
    name = request.POST.get("name", "").strip() or None
    preview = instrument_format.preview_definition(document, name=name, warnings=warnings)
    if request.method == "POST" and request.POST.get("confirm") and preview.can_apply:
        instrument = instrument_format.apply_definition(
            preview, request.user, note=_("imported from %(file)s") % {"file": staged.filename}
        )
        staged.delete()
        messages.success(request, _("Imported “%(title)s”.") % {"title": instrument.title})
        return redirect(instrument)
    context = {"staged": staged, "preview": preview, "document": document}
    status = 200 if preview.can_apply or (preview.asks_name and not request.POST) else 400
    return render(request, "evaluation/instrument_import_preview.html", context, status=status)
