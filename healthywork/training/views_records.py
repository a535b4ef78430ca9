"""Attendance, completion, certificates and attached instruments of a training.

Staff pages need `training.can_manage` (training managers and the training's facilitators; others
get 403, a registration they may not see is a 404). The certificate's download and verification
pages are public: they are found only by the certificate's unguessable token.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from healthywork.core import ratelimit
from healthywork.core.permissions import get_visible_or_404
from healthywork.core.staging import stage_upload, staged_table
from healthywork.training import certificates, records, trainings
from healthywork.training.forms_records import (
    AttachForm,
    CompletionRuleForm,
    CreateAdministrationForm,
    ParticipantsFileForm,
)
from healthywork.training.models import Certificate, Registration, Training

STAGED_KIND = "training-attendance"
PUBLIC_LIMIT = (60, 600)  # requests per window (seconds), per address


def _training(request: HttpRequest, public_id) -> Training:
    # a draft the person may not see is a 404 (as on the training's own page), not a 403
    training = get_object_or_404(trainings.visible_trainings(request.user), public_id=public_id)
    if not training.can_manage(request.user):
        raise PermissionDenied("training.manage")
    return training


def _registration(request: HttpRequest, public_id) -> Registration:
    registration = get_visible_or_404(Registration, request.user, public_id=public_id)
    if not registration.training.can_manage(request.user):
        raise PermissionDenied("training.manage")
    return registration


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def attendance(request: HttpRequest, public_id) -> HttpResponse:
    """The sheet: registered people, a box (and optional minutes) per day; saved at once."""
    training = _training(request, public_id)
    errors: list[str] = []
    if request.method == "POST":
        marks, errors = records.parse_sheet(training, request.POST)
        if not errors:
            changed = records.save_attendance(training, marks, by=request.user)
            messages.success(request, _("The attendance is saved (%(count)s changed).") % {"count": changed})
            return redirect("training:attendance", training.public_id)
    return _attendance_page(request, training, errors=errors)


def _attendance_page(request: HttpRequest, training: Training, *, errors=(), file_form=None, rule_form=None):
    rows = records.sheet(training)
    rule = records.default_rule(training)
    context = {
        "training": training,
        "columns": [(key, records.column_label(key)) for key in records.column_keys(training)],
        "rows": rows,
        "errors": errors,
        "file_form": file_form or ParticipantsFileForm(),
        "rule_form": rule_form
        or CompletionRuleForm(
            initial={"rule": "minutes" if rule.min_minutes else "all_days", "min_minutes": rule.min_minutes}
        ),
        "completed": sum(1 for row in rows if row.registration.completed_at),
        "header_variants": records.HEADER_VARIANTS,
        "detail_url": _url("training:detail", training.public_id),
    }
    invalid = errors or (file_form and file_form.errors) or (rule_form and rule_form.errors)
    return render(request, "training/records_attendance.html", context, status=400 if invalid else 200)


@require_POST
def attendance_import(request: HttpRequest, public_id) -> HttpResponse:
    training = _training(request, public_id)
    form = ParticipantsFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _attendance_page(request, training, file_form=form)
    upload = form.cleaned_data["file"]
    staged = stage_upload(request.user, STAGED_KIND, upload.name, upload.read())
    return redirect("training:attendance-import-preview", training.public_id, staged.pk)


def attendance_import_preview(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    """What the file would do; walk-ins are chosen row by row; all of it or nothing."""
    training = _training(request, public_id)
    staged, table = staged_table(request, pk, STAGED_KIND)
    if table is None:
        return redirect("training:attendance", training.public_id)
    walk_ins = set(request.POST.getlist("walk_in"))
    preview = records.preview_participants(training, table, walk_ins)
    if request.method == "POST" and request.POST.get("confirm") and preview.can_apply:
        counts = records.apply_participants(training, preview, by=request.user, filename=staged.filename)
        staged.delete()
        messages.success(
            request,
            _("Imported: %(update)s matched, %(create)s walk-ins added, %(skip)s skipped.") % counts,
        )
        return redirect("training:attendance", training.public_id)
    context = {"training": training, "staged": staged, "preview": preview, "walk_ins": walk_ins}
    return render(
        request,
        "training/records_import_preview.html",
        context,
        status=200 if preview.can_apply else 400,
    )


@require_POST
def completion(request: HttpRequest, public_id) -> HttpResponse:
    """Apply a completion rule to the sheet; those who meet it get their certificates."""
    training = _training(request, public_id)
    form = CompletionRuleForm(request.POST)
    if not form.is_valid():
        return _attendance_page(request, training, rule_form=form)
    counts = records.mark_complete(training, form.completion_rule(), by=request.user)
    messages.success(
        request,
        _("%(completed)s newly completed; %(certificates)s certificates issued.") % counts,
    )
    return redirect("training:attendance", training.public_id)


@require_POST
def registration_completion(request: HttpRequest, public_id) -> HttpResponse:
    """The manual override for one person: complete (with a certificate) or not."""
    registration = _registration(request, public_id)
    is_complete = request.POST.get("complete") == "1"
    records.set_completion(registration, is_complete, by=request.user)
    text = _("%(name)s has completed the training.") if is_complete else _("%(name)s is marked not complete.")
    messages.success(request, text % {"name": registration.name})
    return redirect("training:attendance", registration.training.public_id)


def _certificate(**lookup: Any) -> Certificate:
    return get_object_or_404(Certificate.objects.select_related("registration__training"), **lookup)


def _pdf(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    response = HttpResponse(
        certificates.render_pdf(certificate, request.build_absolute_uri), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificates.filename(certificate)}"'
    return response


def certificate(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: the PDF of a registration's certificate (404 until it is issued)."""
    registration = _registration(request, public_id)
    found = _certificate(registration=registration)
    return _pdf(request, found)


@login_not_required
def certificate_download(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's link (the certificate's token): the PDF, no account needed."""
    if ratelimit.over_limit(request, "training:certificate", *PUBLIC_LIMIT):
        return HttpResponse(_("Too many requests; try again in a few minutes."), status=429)
    found = _certificate(verify_token=token)
    return _pdf(request, found)


@login_not_required
def certificate_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: whether a certificate is valid, and whose it is (unknown or withdrawn: 404)."""
    if ratelimit.over_limit(request, "training:certificate", *PUBLIC_LIMIT):
        return HttpResponse(_("Too many requests; try again in a few minutes."), status=429)
    found = _certificate(verify_token=token)
    registration = found.registration
    with override(certificates.language_of(registration)):
        dates = certificates.dates_text(registration)
    context = {
        "certificate": found,
        "registration": registration,
        "training": registration.training,
        "dates": dates,
    }
    return render(request, "training/certificate_verify.html", context)


def evaluation(request: HttpRequest, public_id) -> HttpResponse:
    """The training's pre, post and feedback administrations: attach, create, invite, counts."""
    training = _training(request, public_id)
    attach_form = AttachForm(user=request.user, training=training)
    create_form = CreateAdministrationForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "attach":
            attach_form = AttachForm(request.POST, user=request.user, training=training)
            if attach_form.is_valid():
                data = attach_form.cleaned_data
                records.attach_administration(training, data["slot"], data["administration"], by=request.user)
                messages.success(request, _("The surveys of this training are saved."))
                return redirect("training:evaluation", training.public_id)
        elif action == "create":
            create_form = CreateAdministrationForm(request.POST)
            if create_form.is_valid():
                data = create_form.cleaned_data
                created = records.create_administration(
                    training, data["slot"], data["instrument"], by=request.user
                )
                messages.success(request, _("%(title)s is created and attached.") % {"title": created.title})
                return redirect("training:evaluation", training.public_id)
        elif action == "invite":
            count = records.invite_registered(training, by=request.user)
            messages.success(request, _("%(count)s personal invitations created.") % {"count": count})
            return redirect("training:evaluation", training.public_id)
    return _evaluation_page(request, training, attach_form, create_form)


def _prepost_url(training: Training) -> str | None:
    base = _url("evaluation:prepost")
    post = training.post_administration
    return f"{base}?{urlencode({'post': post.public_id})}" if base and post and post.pre_id else None


def _evaluation_page(request, training, attach_form, create_form) -> HttpResponse:
    slots = records.attached(training)
    counts = records.response_counts([administration for _slot, administration in slots if administration])
    rows = []
    for slot, administration in slots:
        rows.append(
            {
                "slot": slot,
                "label": records.slot_label(slot),
                "administration": administration,
                "counts": counts.get(administration.pk) if administration else None,
                "detail_url": administration
                and _url("evaluation:administration-detail", administration.public_id),
                "results_url": administration and _url("evaluation:results", administration.public_id),
                "invitations": [
                    (invitation, _url("evaluation:respond-personal", invitation.token))
                    for invitation in (administration.invitations.all()[:500] if administration else [])
                ],
            }
        )
    context = {
        "training": training,
        "rows": rows,
        "attach_form": attach_form,
        "create_form": create_form,
        "prepost_url": _prepost_url(training),
        "defaults": records.DEFAULT_INSTRUMENTS,
    }
    invalid = attach_form.errors or create_form.errors
    return render(request, "training/records_evaluation.html", context, status=400 if invalid else 200)
