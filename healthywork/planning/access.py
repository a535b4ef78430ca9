"""The one guard every planning page loads its team with."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from healthywork.collaborative.models import Team


def team_for(request: HttpRequest, public_id, *, edit: bool = False) -> Team:
    """The team (with its cohort) if the person may see it, else 404 (never 403: a stranger learns
    nothing); with `edit`, 403 unless they may edit the team's work."""
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("cohort"), public_id=public_id
    )
    if edit and not team.can_edit(request.user):
        raise PermissionDenied
    return team
