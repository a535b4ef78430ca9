"""Sessions: the cohort's list and calendar file, a session's page, create, edit and delete (the
cohort's managers), materials, attendance (the facilitator's sheet, walk-ins and the tablet sign-in)
and deliverables per team."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.collaborative import sessions
from healthywork.collaborative.forms_sessions import (
    DeliverableForm,
    DeliverableStatusForm,
    MaterialForm,
    SessionForm,
    WalkInForm,
)
from healthywork.collaborative.models import Cohort, Deliverable, Session, Team
from healthywork.core import icalendar
from healthywork.core.permissions import get_visible_or_404


def _cohort(request: HttpRequest, public_id, *, manage: bool = False) -> Cohort:
    cohort = get_visible_or_404(Cohort, request.user, public_id=public_id)
    if manage and not cohort.can_manage(request.user):
        raise PermissionDenied("collaborative.manage")
    return cohort


def _session(request: HttpRequest, public_id, *, manage: bool = False) -> Session:
    """The session if the person may see it (else 404); with `manage`, 403 unless they run the cohort."""
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("cohort"), public_id=public_id
    )
    if manage and not session.cohort.can_manage(request.user):
        raise PermissionDenied("collaborative.manage")
    return session


def _status(form) -> int:
    return 400 if form.errors else 200


def session_list(request: HttpRequest, public_id) -> HttpResponse:
    cohort = _cohort(request, public_id)
    listed = cohort.sessions.annotate(
        present=Count("attendance", filter=Q(attendance__is_present=True), distinct=True),
        deliverable_count=Count("deliverables", distinct=True),
    ).order_by("number")
    context = {"cohort": cohort, "sessions": listed, "can_manage": cohort.can_manage(request.user)}
    return render(request, "collaborative/sessions_list.html", context)


def sessions_ics(request: HttpRequest, public_id) -> HttpResponse:
    cohort = _cohort(request, public_id)
    response = HttpResponse(
        sessions.sessions_ics(cohort, request.build_absolute_uri), content_type=icalendar.CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="sessions.ics"'
    return response


def session_create(request: HttpRequest, public_id) -> HttpResponse:
    cohort = _cohort(request, public_id, manage=True)
    form = SessionForm(request.POST or None, instance=Session(cohort=cohort))
    if request.method == "POST" and form.is_valid():
        session = sessions.create_session(cohort, form.cleaned_data, by=request.user)
        messages.success(request, _("%(session)s is added.") % {"session": session})
        for warning in form.date_warnings:
            messages.warning(request, warning)
        return redirect(session)
    return render(
        request, "collaborative/sessions_form.html", {"form": form, "cohort": cohort}, status=_status(form)
    )


def session_edit(request: HttpRequest, public_id) -> HttpResponse:
    session = _session(request, public_id, manage=True)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        sessions.update_session(session, form.cleaned_data, by=request.user)
        messages.success(request, _("%(session)s is saved.") % {"session": session})
        for warning in form.date_warnings:
            messages.warning(request, warning)
        return redirect(session)
    stored = Session.objects.get(pk=session.pk)
    context = {"form": form, "cohort": session.cohort, "session": stored}
    return render(request, "collaborative/sessions_form.html", context, status=_status(form))


def session_delete(request: HttpRequest, public_id) -> HttpResponse:
    session = _session(request, public_id, manage=True)
    if request.method == "POST":
        sessions.delete_session(session, by=request.user)
        messages.success(request, _("%(session)s is deleted.") % {"session": session})
        return redirect("collaborative:session-list", session.cohort.public_id)
    context = {
        "session": session,
        "cohort": session.cohort,
        "counts": {
            "materials": session.materials.count(),
            "attendance": session.attendance.count(),
            "deliverables": session.deliverables.count(),
        },
    }
    return render(request, "collaborative/sessions_delete.html", context)


def session_detail(request: HttpRequest, public_id) -> HttpResponse:
    session = _session(request, public_id)
    cohort = session.cohort
    visible = Team.objects.visible_to(request.user).filter(cohort=cohort).order_by("name")
    teams = list(visible)
    counts = sessions.attendance_counts([session.pk], [team.pk for team in teams])
    can_manage = cohort.can_manage(request.user)
    context = {
        "session": session,
        "cohort": cohort,
        "can_manage": can_manage,
        "warnings": sessions.date_warnings(cohort, session.starts_at, session.ends_at),
        "facilitators": session.facilitators.all(),
        "materials": session.materials.all(),
        "agenda": [line.strip() for line in session.agenda.splitlines() if line.strip()],
        "present_total": session.attendance.filter(is_present=True).count(),
        "team_attendance": [(team, *counts[(team.pk, session.pk)]) for team in teams],
        "deliverables": sessions.deliverables_by_team(session, visible),
        "material_form": MaterialForm() if can_manage else None,
        "deliverable_form": DeliverableForm() if can_manage else None,
        # Update links only where the update would be allowed (evaluators read, they do not edit).
        "editable_teams": {team.pk for team in teams}
        if can_manage
        else set(
            visible.filter(people__user=request.user, people__can_edit=True).values_list("pk", flat=True)
        ),
    }
    return render(request, "collaborative/sessions_detail.html", context)


def material_add(request: HttpRequest, public_id) -> HttpResponse:
    session = _session(request, public_id, manage=True)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        material = sessions.add_material(
            session, title=data["title"], upload=data["file"], url=data["url"], by=request.user
        )
        messages.success(request, _("%(title)s is added to the materials.") % {"title": material.title})
        return redirect(session)
    context = {"form": form, "session": session, "cohort": session.cohort}
    return render(request, "collaborative/sessions_material_form.html", context, status=_status(form))


@require_POST
def material_remove(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    session = _session(request, public_id, manage=True)
    material = get_object_or_404(session.materials, pk=pk)
    sessions.remove_material(material, by=request.user)
    messages.success(request, _("%(title)s is removed from the materials.") % {"title": material.title})
    return redirect(session)


def material_file(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    """The uploaded file, always as a download (never shown inline: it may be any kind of file)."""
    session = _session(request, public_id)
    material = get_object_or_404(session.materials, pk=pk)
    if not material.file:
        raise Http404
    name = material.file.name.rsplit("/", 1)[-1]
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=name)


def session_attendance(request: HttpRequest, public_id) -> HttpResponse:
    """The facilitator's sheet: every person on the cohort's teams, a present box each, save all."""
    session = _session(request, public_id, manage=True)
    if request.method == "POST":
        present_ids = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
        changed = sessions.save_sheet(session, present_ids, by=request.user)
        messages.success(
            request,
            _("The attendance is saved (%(count)s changed).") % {"count": len(changed)}
            if changed
            else _("The attendance is saved (nothing changed)."),
        )
        return redirect("collaborative:session-attendance", session.public_id)
    return _attendance_page(request, session, WalkInForm(session=session))


def _attendance_page(request: HttpRequest, session: Session, walk_in_form: WalkInForm) -> HttpResponse:
    groups = sessions.roster(session)
    context = {
        "session": session,
        "cohort": session.cohort,
        "groups": groups,
        "present": sum(group.present for group in groups),
        "total": sum(len(group.entries) for group in groups),
        "walk_in_form": walk_in_form,
    }
    return render(request, "collaborative/sessions_attendance.html", context, status=_status(walk_in_form))


@require_POST
def attendance_walk_in(request: HttpRequest, public_id) -> HttpResponse:
    session = _session(request, public_id, manage=True)
    form = WalkInForm(request.POST, session=session)
    if not form.is_valid():
        return _attendance_page(request, session, form)
    data = form.cleaned_data
    mark, is_new = sessions.add_walk_in(
        session,
        team=data["team"],
        person=data["person"],
        name=data["name"].strip(),
        email=data["email"],
        by=request.user,
    )
    text = _("%(name)s is added to the registry and signed in.") if is_new else _("%(name)s is signed in.")
    messages.success(request, text % {"name": mark.person.name})
    return redirect("collaborative:session-attendance", session.public_id)


def session_sign_in(request: HttpRequest, public_id) -> HttpResponse:
    """The tablet: people find their name and tap it; a facilitator's account stays signed in."""
    session = _session(request, public_id, manage=True)
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()
    entries = [entry for group in sessions.roster(session) for entry in group.entries]
    if request.method == "POST":
        return _sign_in_tap(request, session, entries, query)
    if query:
        folded = query.casefold()
        entries = [entry for entry in entries if folded in entry.person.name.casefold()]
    entries.sort(key=lambda entry: entry.person.name.casefold())
    context = {"session": session, "cohort": session.cohort, "entries": entries, "query": query}
    template = "collaborative/sessions_sign_in.html"
    if request.htmx and not request.htmx.boosted:
        template += "#names"
    return render(request, template, context)


def _sign_in_tap(request: HttpRequest, session: Session, entries: list, query: str) -> HttpResponse:
    back = reverse("collaborative:session-sign-in", args=[session.public_id]) + "?" + urlencode({"q": query})
    chosen = request.POST.get("person", "")
    found = next((entry for entry in entries if str(entry.person.pk) == chosen), None)
    if found is None:
        messages.error(request, _("That name is not on this session's list; ask the facilitator."))
        response = redirect(back)
        if request.htmx:
            response = HttpResponse(status=400)
            response["HX-Redirect"] = back
        return response
    mark = sessions.sign_in(session, found.person, by=request.user)
    found.is_present, found.signed_in_at = True, mark.signed_in_at
    if request.htmx:
        context = {"entry": found, "session": session, "query": query, "just_signed_in": True}
        return render(request, "collaborative/sessions_sign_in.html#entry", context)
    messages.success(request, _("Welcome, %(name)s: you are signed in.") % {"name": found.person.name})
    return redirect(back)


def deliverable_create(request: HttpRequest, public_id) -> HttpResponse:
    """One deliverable for every team of the cohort at once."""
    session = _session(request, public_id, manage=True)
    form = DeliverableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = sessions.add_deliverable_for_every_team(session, form.cleaned_data, by=request.user)
        messages.success(
            request,
            _("%(title)s is added for %(count)s teams.")
            % {"title": form.cleaned_data["title"], "count": len(created)},
        )
        return redirect(session)
    context = {"form": form, "session": session, "cohort": session.cohort}
    return render(request, "collaborative/sessions_deliverable_form.html", context, status=_status(form))


def _deliverable(request: HttpRequest, public_id) -> Deliverable:
    visible = Deliverable.objects.filter(team__in=Team.objects.visible_to(request.user))
    return get_object_or_404(visible.select_related("team__cohort", "session"), public_id=public_id)


def deliverable_edit(request: HttpRequest, public_id) -> HttpResponse:
    """The cohort's managers change everything; the team's editors its status and note."""
    deliverable = _deliverable(request, public_id)
    team = deliverable.team
    can_manage = team.cohort.can_manage(request.user)
    if not can_manage and not team.can_edit(request.user):
        raise PermissionDenied("team.edit")
    form_class = DeliverableForm if can_manage else DeliverableStatusForm
    form = form_class(request.POST or None, instance=deliverable)
    if request.method == "POST" and form.is_valid():
        sessions.update_deliverable(deliverable, form.cleaned_data, by=request.user)
        messages.success(request, _("%(title)s is saved.") % {"title": deliverable.title})
        return redirect(deliverable.session)
    stored = Deliverable.objects.select_related("team", "session").get(pk=deliverable.pk)
    stored.overdue = sessions.is_overdue(stored)
    context = {
        "form": form,
        "deliverable": stored,
        "session": stored.session,
        "cohort": team.cohort,
        "can_manage": can_manage,
    }
    return render(request, "collaborative/sessions_deliverable_form.html", context, status=_status(form))


@require_POST
def deliverable_delete(request: HttpRequest, public_id) -> HttpResponse:
    deliverable = _deliverable(request, public_id)
    if not deliverable.team.cohort.can_manage(request.user):
        raise PermissionDenied("collaborative.manage")
    sessions.delete_deliverable(deliverable, by=request.user)
    messages.success(
        request,
        _("%(title)s of %(team)s is deleted.") % {"title": deliverable.title, "team": deliverable.team},
    )
    return redirect(deliverable.session)
