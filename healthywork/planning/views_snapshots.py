"""Snapshots (list, one read-only, the difference between two, taking them for a team or a whole
cohort, deleting by administrators), the cohort's evolution, and comments on a team's work."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.collaborative.models import Cohort, Team
from healthywork.core.permissions import get_visible_or_404
from healthywork.planning import comments, snapshots
from healthywork.planning.access import team_for
from healthywork.planning.forms_snapshots import CohortSnapshotForm, CommentForm, DiffForm, TeamSnapshotForm
from healthywork.planning.models import ArtifactKind, Comment, Snapshot

KIND_LABELS = dict(ArtifactKind.choices)


def _listed(queryset: QuerySet) -> QuerySet:
    return queryset.defer("data").select_related("session", "taken_by").order_by("kind", "taken_at", "id")


def _by_kind(rows) -> list[tuple[str, str, list[Snapshot]]]:
    """[(kind, label, snapshots oldest first)] for every kind, in the order of ArtifactKind."""
    grouped: dict[str, list[Snapshot]] = {kind: [] for kind in KIND_LABELS}
    for snapshot in rows:
        grouped.setdefault(snapshot.kind, []).append(snapshot)
    return [(kind, KIND_LABELS.get(kind, kind), grouped[kind]) for kind in grouped]


def _default_label(label: str, session=None) -> str:
    if label:
        return label
    if session is not None:
        return str(session)
    return _("Snapshot of %(date)s") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")}


def snapshot_list(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id)
    can_edit = team.can_edit(request.user)
    form = TeamSnapshotForm()
    return _render_list(request, team, form, can_edit)


def _render_list(request: HttpRequest, team: Team, form: TeamSnapshotForm, can_edit: bool, status=200):
    context = {
        "team": team,
        "groups": _by_kind(_listed(team.snapshots.all())),
        "form": form,
        "can_edit": can_edit,
        "can_delete": request.user.is_administrator,
    }
    return render(request, "planning/snapshots_list.html", context, status=status)


@require_POST
def snapshot_take_team(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id, edit=True)
    form = TeamSnapshotForm(request.POST)
    if not form.is_valid():
        return _render_list(request, team, form, True, status=400)
    taken = snapshots.take_snapshots(
        None, [team], label=_default_label(form.cleaned_data["label"]), by=request.user
    )
    if taken:
        messages.success(request, _("%(count)s snapshots taken.") % {"count": len(taken)})
    else:
        messages.info(request, _("Nothing to snapshot yet: the team has not started any of its tools."))
    return redirect("planning:snapshots", team.public_id)


@require_POST
def snapshot_take(request: HttpRequest, public_id) -> HttpResponse:
    cohort = get_visible_or_404(Cohort, request.user, public_id=public_id)
    if not cohort.can_manage(request.user):
        raise PermissionDenied("collaborative.manage")
    form = CohortSnapshotForm(request.POST, cohort=cohort)
    if not form.is_valid():
        return _render_evolution(request, cohort, form, status=400)
    session = form.cleaned_data["session"]
    label = _default_label(form.cleaned_data["label"], session)
    taken = snapshots.take_snapshots(session, cohort.teams.all(), label=label, by=request.user)
    teams = len({snapshot.team_id for snapshot in taken})
    messages.success(
        request,
        _("%(count)s snapshots taken of %(teams)s teams, labelled “%(label)s”.")
        % {"count": len(taken), "teams": teams, "label": label},
    )
    return redirect("planning:cohort-evolution", cohort.public_id)


def snapshot_detail(request: HttpRequest, public_id) -> HttpResponse:
    snapshot = get_object_or_404(
        Snapshot.objects.visible_to(request.user).select_related("team__cohort", "session", "taken_by"),
        public_id=public_id,
    )
    siblings = list(_listed(Snapshot.objects.filter(team=snapshot.team, kind=snapshot.kind)))
    position = [item.pk for item in siblings].index(snapshot.pk)
    context = {
        "snapshot": snapshot,
        "team": snapshot.team,
        "data": snapshots.readable(snapshot.data, snapshot.kind),
        "previous": siblings[position - 1] if position > 0 else None,
        "next": siblings[position + 1] if position + 1 < len(siblings) else None,
        "can_delete": request.user.is_administrator,
    }
    return render(request, "planning/snapshots_detail.html", context)


def snapshot_delete(request: HttpRequest, public_id) -> HttpResponse:
    snapshot = get_object_or_404(
        Snapshot.objects.visible_to(request.user).select_related("team"), public_id=public_id
    )
    if not request.user.is_administrator:
        raise PermissionDenied("users.manage")
    if request.method == "POST":
        team = snapshot.team
        snapshots.delete_snapshot(snapshot, by=request.user)
        messages.success(request, _("The snapshot is deleted."))
        return redirect("planning:snapshots", team.public_id)
    return render(request, "planning/snapshots_delete.html", {"snapshot": snapshot, "team": snapshot.team})


def snapshot_diff(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id)
    asked = "a" in request.GET or "b" in request.GET
    form = DiffForm(request.GET if asked else None, team=team)
    context: dict[str, Any] = {"team": team, "form": form, "groups": _by_kind(_listed(team.snapshots.all()))}
    if asked and form.is_valid():
        older, newer = form.cleaned_data["older"], form.cleaned_data["newer"]
        changes = snapshots.diff(older.data, newer.data, older.kind)
        context.update(
            older=older, newer=newer, kind_label=KIND_LABELS.get(older.kind), changes=changes,
            counts=snapshots.summary(changes),
        )  # fmt: skip
    return render(request, "planning/snapshots_diff.html", context, status=400 if form.errors else 200)


def _evolution_rows(request: HttpRequest, cohort: Cohort) -> list[dict[str, Any]]:
    teams = list(Team.objects.visible_to(request.user).filter(cohort=cohort).order_by("name"))
    rows = _listed(Snapshot.objects.filter(team__in=teams))
    by_team: dict[int, list[Snapshot]] = {}
    for snapshot in rows:
        by_team.setdefault(snapshot.team_id, []).append(snapshot)
    result = []
    for team in teams:
        cells = []
        for kind, label, items in _by_kind(by_team.get(team.pk, [])):
            cells.append({"kind": kind, "label": label, "snapshots": items, "count": len(items)})
        result.append({"team": team, "cells": cells})
    return result


def _render_evolution(request: HttpRequest, cohort: Cohort, form=None, status: int = 200) -> HttpResponse:
    can_manage = cohort.can_manage(request.user)
    context = {
        "cohort": cohort,
        "rows": _evolution_rows(request, cohort),
        "kinds": list(KIND_LABELS.items()),
        "can_manage": can_manage,
        "form": form or (CohortSnapshotForm(cohort=cohort) if can_manage else None),
    }
    return render(request, "planning/snapshots_evolution.html", context, status=status)


def cohort_evolution(request: HttpRequest, public_id) -> HttpResponse:
    cohort = get_visible_or_404(Cohort, request.user, public_id=public_id)
    return _render_evolution(request, cohort)


# --- Comments ---------------------------------------------------------------------------------


def _comments_context(request: HttpRequest, team: Team, form: CommentForm) -> dict[str, Any]:
    kind = request.GET.get("kind", "")
    kind = kind if kind in KIND_LABELS else ""
    listed = team.comments.select_related("author")
    if kind:
        listed = listed.filter(kind=kind)
    return {
        "team": team,
        "kind": kind,
        "kinds": list(KIND_LABELS.items()),
        "comment_list": listed.order_by("is_resolved", "created_at", "id"),
        "about_labels": comments.about_labels(team),
        "form": form,
        "can_comment": team.can_comment(request.user),
    }


def comments_page(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id)
    kind = request.GET.get("kind", "")
    form = CommentForm(initial={"kind": kind if kind in KIND_LABELS else ArtifactKind.POWER_MAP}, team=team)
    return render(request, "planning/comments_page.html", _comments_context(request, team, form))


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_POST
def comment_add(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id)
    if not team.can_comment(request.user):
        raise PermissionDenied
    form = CommentForm(request.POST, team=team)
    if not form.is_valid():
        context = _comments_context(request, team, form)
        return render(request, "planning/comments_page.html", context, status=400)
    data = form.cleaned_data
    comments.add_comment(team, data["kind"], data["text"], about=data["about"], by=request.user)
    messages.success(request, _("Your comment is added."))
    fallback = reverse("planning:comments", args=[team.public_id]) + f"?kind={data['kind']}"
    return redirect(_back(request, fallback))


@require_POST
def comment_resolve(request: HttpRequest, public_id) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user).select_related("team__cohort"), public_id=public_id
    )
    if not comment.team.can_comment(request.user):
        raise PermissionDenied
    is_resolved = request.POST.get("resolved", "1") != "0"
    comments.set_resolved(comment, is_resolved, by=request.user)
    messages.success(
        request, _("The comment is resolved.") if is_resolved else _("The comment is open again.")
    )
    fallback = reverse("planning:comments", args=[comment.team.public_id]) + f"?kind={comment.kind}"
    return redirect(_back(request, fallback))
