"""Staff pages: the training list with filters, a training's page (with its registrations for
those who manage it), create, edit, cancel, delete, materials, registrations added by hand,
cancelled or promoted, and their export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.core import icalendar
from healthywork.core.pagination import paginate
from healthywork.core.permissions import require
from healthywork.training import calendar, interchange, registrations, trainings
from healthywork.training.forms_trainings import ManualRegistrationForm, MaterialForm, TrainingForm
from healthywork.training.models import Modality, Registration, RegistrationStatus, Training, TrainingStatus


def _training(request: HttpRequest, public_id, *, manage: bool = False) -> Training:
    """The training if the person may see it (else 404); with `manage`, 403 unless they run it."""
    training = get_object_or_404(trainings.visible_trainings(request.user), public_id=public_id)
    if manage and not training.can_manage(request.user):
        raise PermissionDenied("training.manage")
    return training


def base_url(request: HttpRequest) -> str:
    """The site's address as this request reached it, for the links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


def _status(form) -> int:
    return 400 if form.errors else 200


def training_list(request: HttpRequest) -> HttpResponse:
    visible = trainings.visible_trainings(request.user)
    filters = {name: request.GET.get(name, "") for name in trainings.FILTER_NAMES}
    listed = trainings.filter_trainings(visible, filters).prefetch_related("facilitators")
    context = {
        "page": paginate(request, listed),
        "filters": filters,
        "series_names": trainings.series_names(visible),
        "modalities": Modality.choices,
        "languages": Training._meta.get_field("language").choices,
        "statuses": TrainingStatus.choices,
        "can_create": request.user.can("training.manage"),
    }
    return render(request, "training/training_list.html", context)


def training_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "training.manage")
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        training = trainings.create_training(form.cleaned_data, by=request.user)
        messages.success(request, _("%(title)s is created.") % {"title": training.title})
        return redirect(training)
    return render(request, "training/training_form.html", {"form": form}, status=_status(form))


def training_edit(request: HttpRequest, public_id) -> HttpResponse:
    training = _training(request, public_id, manage=True)
    form = TrainingForm(request.POST or None, instance=training)
    if request.method == "POST" and form.is_valid():
        promoted = trainings.update_training(
            training, form.cleaned_data, by=request.user, base_url=base_url(request)
        )
        messages.success(request, _("%(title)s is saved.") % {"title": training.title})
        if promoted:
            messages.info(
                request,
                _("%(count)s people moved from the waitlist into the new seats and were e-mailed.")
                % {"count": len(promoted)},
            )
        return redirect(training)
    stored = Training.objects.get(pk=training.pk)
    return render(
        request, "training/training_form.html", {"form": form, "training": stored}, status=_status(form)
    )


def training_cancel(request: HttpRequest, public_id) -> HttpResponse:
    training = _training(request, public_id, manage=True)
    if request.method == "POST":
        notify = request.POST.get("notify") == "on"
        count = trainings.cancel_training(
            training, by=request.user, notify=notify, base_url=base_url(request)
        )
        messages.success(
            request,
            _("%(title)s is cancelled; %(count)s registrants were e-mailed.")
            % {"title": training.title, "count": count},
        )
        return redirect(training)
    live = training.registrations.filter(status__in=registrations.LIVE).count()
    return render(request, "training/training_cancel.html", {"training": training, "live": live})


def training_delete(request: HttpRequest, public_id) -> HttpResponse:
    training = _training(request, public_id)
    require(request.user, "training.manage")
    if request.method == "POST":
        trainings.delete_training(training, by=request.user)
        messages.success(request, _("%(title)s is deleted.") % {"title": training.title})
        return redirect("training:index")
    context = {"training": training, "registrations": training.registrations.count()}
    return render(request, "training/training_delete.html", context)


def training_detail(request: HttpRequest, public_id) -> HttpResponse:
    training = _training(request, public_id)
    can_manage = training.can_manage(request.user)
    context = {
        "training": training,
        "can_manage": can_manage,
        "can_delete": request.user.can("training.manage"),
        "when": calendar.when_text(training),
        "materials": training.materials.all(),
        "facilitators": training.facilitators.all(),
        "closed_reason": registrations.closed_reason(training),
    }
    if can_manage:
        context.update(
            {
                "registrations": trainings.registration_rows(training),
                "counts": registrations.counts(training),
                "registration_form": ManualRegistrationForm(),
                "material_form": MaterialForm(),
            }
        )
    return render(request, "training/training_detail.html", context)


def training_ics(request: HttpRequest, public_id) -> HttpResponse:
    training = _training(request, public_id)
    content = calendar.training_ics(
        training, base_url(request), for_registrant=training.can_manage(request.user)
    )
    response = HttpResponse(content, content_type=icalendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{training.slug}.ics"'
    return response


@require_POST
def registration_add(request: HttpRequest, public_id) -> HttpResponse:
    training = _training(request, public_id, manage=True)
    form = ManualRegistrationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = registrations.register(
                training,
                data,
                by=request.user,
                base_url=base_url(request),
                check_open=False,
                send=data["send_email"],
            )
        except registrations.RegistrationRefused as refused:
            messages.error(request, refused.message)
        else:
            if registration.status == RegistrationStatus.WAITLISTED:
                text = _("%(name)s is on the waitlist (the training is full).")
            else:
                text = _("%(name)s is registered.")
            messages.success(request, text % {"name": registration.name})
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    return redirect(training)


def _registration(request: HttpRequest, public_id) -> Registration:
    registration = get_object_or_404(
        Registration.objects.visible_to(request.user).select_related("training"), public_id=public_id
    )
    return registration


@require_POST
def registration_cancel_staff(request: HttpRequest, public_id) -> HttpResponse:
    registration = _registration(request, public_id)
    promoted = registrations.cancel(registration, by=request.user, base_url=base_url(request))
    messages.success(request, _("The registration of %(name)s is cancelled.") % {"name": registration.name})
    for person in promoted:
        messages.info(
            request,
            _("%(name)s moved from the waitlist into the seat and was e-mailed.") % {"name": person.name},
        )
    return redirect(registration.training)


@require_POST
def registration_promote(request: HttpRequest, public_id) -> HttpResponse:
    registration = _registration(request, public_id)
    try:
        registrations.promote(registration, by=request.user, base_url=base_url(request))
    except registrations.RegistrationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("%(name)s is registered and was e-mailed.") % {"name": registration.name})
    return redirect(registration.training)


def registrations_export(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    training = _training(request, public_id, manage=True)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content, content_type = interchange.registrations_file(training, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{training.slug}-registrations.{fmt}"'
    return response


def material_add(request: HttpRequest, public_id) -> HttpResponse:
    training = _training(request, public_id, manage=True)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        material = trainings.add_material(
            training,
            title=data["title"],
            url=data["url"],
            upload=data["file"],
            is_public=data["is_public"],
            by=request.user,
        )
        messages.success(request, _("%(title)s is added to the materials.") % {"title": material.title})
        return redirect(training)
    context = {"form": form, "training": training}
    return render(request, "training/training_material_form.html", context, status=_status(form))


@require_POST
def material_remove(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    training = _training(request, public_id, manage=True)
    material = get_object_or_404(training.materials, pk=pk)
    trainings.remove_material(material, by=request.user)
    messages.success(request, _("%(title)s is removed from the materials.") % {"title": material.title})
    return redirect(training)


def material_file(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    """Always a download (never shown inline)."""
    training = _training(request, public_id)
    material = get_object_or_404(training.materials, pk=pk)
    return file_response(material)


def file_response(material) -> HttpResponse:
    if not material.file:
        raise Http404
    name = material.file.name.rsplit("/", 1)[-1]
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=name)
