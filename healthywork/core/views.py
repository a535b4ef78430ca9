from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthywork.core.cycle import STAGES, summaries
from healthywork.core.models import AuditEvent
from healthywork.core.pagination import paginate
from healthywork.core.permissions import ability_required


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"stages": STAGES, "summaries": summaries(request.user)})


@ability_required("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related("actor", "content_type")
    kind = request.GET.get("kind", "")
    if kind:
        app_label, _dot, model = kind.partition(".")
        events = events.filter(content_type__app_label=app_label, content_type__model=model)
    kinds = ContentType.objects.filter(pk__in=AuditEvent.objects.values("content_type").distinct()).order_by(
        "app_label", "model"
    )
    return render(
        request,
        "core/audit_log.html",
        {"page": paginate(request, events, 50), "kinds": kinds, "kind": kind},
    )
