"""Administrations: the evaluation overview, the list, a page per administration with its links,
invitations and response rate, create, edit, close now, invite, send, and the response list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.core.pagination import paginate
from healthywork.core.permissions import get_visible_or_404
from healthywork.evaluation import administrations
from healthywork.evaluation.forms_administrations import AdministrationForm, InvitationForm
from healthywork.evaluation.models import Administration, Instrument, Invitation, ResponseStatus


def _managed(request: HttpRequest, public_id) -> Administration:
    administration = get_visible_or_404(Administration, request.user, public_id=public_id)
    if not administration.can_manage(request.user):
        raise PermissionDenied("evaluation.manage")
    return administration


def _with_counts(queryset):
    return (
        queryset.select_related("instrument")
        .annotate(
            invited=Count("invitations", distinct=True),
            complete=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETE), distinct=True),
            started=Count("responses", distinct=True),
        )
        .order_by("-opens_at", "-pk")
    )


def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    visible = Administration.objects.visible_to(request.user)
    open_now = _with_counts(
        visible.filter(opens_at__lte=now).filter(Q(closes_at=None) | Q(closes_at__gt=now))
    )
    context = {
        "instruments": Instrument.objects.annotate(item_count=Count("items")).order_by("title"),
        "open_administrations": open_now,
        "recent": _with_counts(visible).order_by("-created_at", "-pk")[:10],
        "can_create": request.user.can("evaluation.manage"),
    }
    return render(request, "evaluation/index.html", context)


def administration_list(request: HttpRequest) -> HttpResponse:
    rows = _with_counts(Administration.objects.visible_to(request.user))
    time_point = request.GET.get("time_point", "")
    if time_point:
        rows = rows.filter(time_point=time_point)
    context = {
        "page": paginate(request, rows, per_page=50),
        "time_point": time_point,
        "can_create": request.user.can("evaluation.manage"),
        "now": timezone.now(),
    }
    return render(request, "evaluation/administration_list.html", context)


def administration_detail(request: HttpRequest, public_id) -> HttpResponse:
    administration = get_object_or_404(
        Administration.objects.visible_to(request.user).select_related(
            "instrument", "cohort", "session", "team", "pre"
        ),
        public_id=public_id,
    )
    can_manage = administration.can_manage(request.user)
    invitations = administration.invitations.select_related("response", "person", "team").order_by(
        "name", "pk"
    )
    context = {
        "administration": administration,
        "can_manage": can_manage,
        "is_open": administration.is_open(),
        "counts": administrations.counts(administration),
        "invitations": [
            (invitation, administrations.invitation_status(invitation)) for invitation in invitations
        ]
        if can_manage
        else [],
        "public_url": request.build_absolute_uri(
            reverse("evaluation:respond-public", args=[administration.public_token])
        ),
        "invite_form": InvitationForm(user=request.user) if can_manage else None,
        "follow_ons": administration.follow_ons.all(),
    }
    return render(request, "evaluation/administration_detail.html", context)


def administration_create(request: HttpRequest) -> HttpResponse:
    if not request.user.can("evaluation.manage"):
        raise PermissionDenied("evaluation.manage")
    initial = {}
    instrument = Instrument.objects.filter(public_id=request.GET.get("instrument") or None).first()
    if instrument is not None:
        initial = {"instrument": instrument, "title": instrument.title}
    form = AdministrationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        administration = administrations.save_administration(form.cleaned_data, by=request.user)
        messages.success(
            request, _("The administration %(title)s is added.") % {"title": administration.title}
        )
        return redirect(administration)
    return render(
        request, "evaluation/administration_form.html", {"form": form}, status=400 if form.errors else 200
    )


def administration_edit(request: HttpRequest, public_id) -> HttpResponse:
    administration = _managed(request, public_id)
    # The form binds its own copy: validation changes it, while the page keeps the saved title.
    edited = Administration.objects.get(pk=administration.pk)
    form = AdministrationForm(request.POST or None, instance=edited, user=request.user)
    if request.method == "POST" and form.is_valid():
        administrations.save_administration(form.cleaned_data, by=request.user, administration=edited)
        messages.success(request, _("The administration is saved."))
        return redirect(administration)
    context = {"form": form, "administration": administration}
    return render(request, "evaluation/administration_form.html", context, status=400 if form.errors else 200)


@require_POST
def administration_close(request: HttpRequest, public_id) -> HttpResponse:
    administration = _managed(request, public_id)
    if not administration.is_open():
        messages.info(request, _("This administration is not open; nothing was changed."))
    else:
        administrations.close_now(administration, by=request.user)
        messages.success(request, _("The administration is closed: its links no longer take answers."))
    return redirect(administration)


@require_POST
def invitation_add(request: HttpRequest, public_id) -> HttpResponse:
    administration = _managed(request, public_id)
    form = InvitationForm(request.POST, user=request.user)
    if form.is_valid():
        new = administrations.add_invitations(
            administration,
            people=form.cleaned_data["people"] or [],
            team=form.cleaned_data["team"],
            pasted=form.cleaned_data["pasted"] or [],
            language=form.cleaned_data["language"],
            by=request.user,
        )
        if new:
            messages.success(request, _("%(count)s people invited.") % {"count": len(new)})
        else:
            messages.info(request, _("Everyone chosen was already invited; nothing was changed."))
        return redirect(administration)
    context = {"administration": administration, "form": form}
    return render(request, "evaluation/administration_invite.html", context, status=400)


def _personal_link(request: HttpRequest):
    def link(invitation: Invitation) -> str:
        return request.build_absolute_uri(reverse("evaluation:respond-personal", args=[invitation.token]))

    return link


@require_POST
def invitation_send(request: HttpRequest, public_id) -> HttpResponse:
    administration = _managed(request, public_id)
    if (
        not administration.is_open()
        and administration.closes_at
        and administration.closes_at <= timezone.now()
    ):
        messages.error(request, _("This administration is closed; no invitations were sent."))
        return redirect(administration)
    sent = administrations.send_invitations(
        administration, _personal_link(request), by=request.user, resend=request.POST.get("resend") == "1"
    )
    if sent:
        messages.success(request, _("%(count)s invitations sent.") % {"count": sent})
    else:
        messages.info(request, _("There was no invitation left to send."))
    return redirect(administration)


def response_list(request: HttpRequest, public_id) -> HttpResponse:
    administration = get_object_or_404(
        Administration.objects.visible_to(request.user).select_related("instrument"), public_id=public_id
    )
    rows = administration.responses.select_related("invitation", "person", "team", "organization").annotate(
        answer_count=Count("answers")
    )
    status = request.GET.get("status", "")
    if status in ResponseStatus.values:
        rows = rows.filter(status=status)
    context = {
        "administration": administration,
        "page": paginate(request, rows.order_by("-submitted_at", "-pk"), per_page=100),
        "identify": administration.may_identify(request.user),
        "status": status,
        "statuses": ResponseStatus.choices,
    }
    return render(request, "evaluation/administration_responses.html", context)
