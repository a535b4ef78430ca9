from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthywork.core.models import AuditEvent
from healthywork.core.pagination import paginate


def render_history(request: HttpRequest, obj: models.Model, template: str, context: dict) -> HttpResponse:
    """An object's history tab: its audit events, newest first."""
    events = AuditEvent.objects.for_object(obj).select_related("actor")
    return render(request, template, {**context, "object": obj, "page": paginate(request, events, 50)})
