"""Interview guides (with their topics and questions) and interviews, with a schedule and its .ics."""

import calendar
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.core import icalendar
from healthywork.core.pagination import paginate
from healthywork.core.permissions import get_visible_or_404
from healthywork.scan import guides, projects
from healthywork.scan.forms_interviews import (
    MONTH,
    GuideForm,
    InterviewFilterForm,
    InterviewForm,
    QuestionForm,
    TopicForm,
)
from healthywork.scan.models import (
    Coding,
    Interview,
    InterviewGuide,
    InterviewStatus,
    Project,
    Question,
    Topic,
)
from healthywork.scan.views_projects import count_per, managed_project


def _status(form) -> int:
    return 400 if form.errors else 200


def _guide(request: HttpRequest, public_id, manage: bool = False) -> InterviewGuide:
    guide = get_object_or_404(
        InterviewGuide.objects.select_related("project"),
        public_id=public_id,
        project__in=Project.objects.visible_to(request.user),
    )
    if manage and not guide.project.can_manage(request.user):
        raise PermissionDenied
    return guide


def _interview(request: HttpRequest, public_id, manage: bool = False) -> Interview:
    interview = get_visible_or_404(Interview, request.user, public_id=public_id)
    if manage and not interview.project.can_manage(request.user):
        raise PermissionDenied
    return interview


# Guides


def guide_list(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    guide_rows = project.guides.annotate(
        topic_count=Count("topics", distinct=True), interview_count=Count("interviews", distinct=True)
    ).order_by("title", "-version")
    context = {"project": project, "guides": guide_rows, "can_manage": project.can_manage(request.user)}
    return render(request, "scan/guides_list.html", context)


def guide_create(request: HttpRequest, public_id) -> HttpResponse:
    project = managed_project(request, public_id)
    form = GuideForm(request.POST or None, project=project, instance=InterviewGuide(project=project))
    if request.method == "POST" and form.is_valid():
        guide = guides.save_guide(form.save(commit=False), by=request.user)
        messages.success(request, _("The guide is created; add its topics and questions."))
        return redirect(guide)
    return render(request, "scan/guides_form.html", {"form": form, "project": project}, status=_status(form))


@require_POST
def guide_seed(request: HttpRequest, public_id) -> HttpResponse:
    project = managed_project(request, public_id)
    guide = guides.seed_scan_guide(project, by=request.user)
    messages.success(
        request, _("%(guide)s is created from the environmental scan's guide.") % {"guide": guide}
    )
    return redirect(guide)


def guide_detail(request: HttpRequest, public_id) -> HttpResponse:
    guide = _guide(request, public_id)
    is_print = request.GET.get("print") == "1"
    context = {
        "guide": guide,
        "project": guide.project,
        "topics": guide.topics.prefetch_related("questions"),
        "versions": guide.project.guides.filter(title=guide.title),
        "can_manage": guide.project.can_manage(request.user) and not is_print,
        "is_print": is_print,
    }
    return render(request, "scan/guides_detail.html", context)


def guide_edit(request: HttpRequest, public_id) -> HttpResponse:
    guide = _guide(request, public_id, manage=True)
    form = GuideForm(request.POST or None, project=guide.project, instance=guide)
    if request.method == "POST" and form.is_valid():
        guides.save_guide(form.save(commit=False), by=request.user)
        messages.success(request, _("The guide is saved."))
        return redirect(guide)
    context = {"form": form, "project": guide.project, "guide": guide}
    return render(request, "scan/guides_form.html", context, status=_status(form))


@require_POST
def guide_new_version(request: HttpRequest, public_id) -> HttpResponse:
    guide = _guide(request, public_id, manage=True)
    copy = guides.new_guide_version(guide, by=request.user)
    messages.success(request, _("Version %(version)s is created as a copy.") % {"version": copy.version})
    return redirect(copy)


def _item_form(request: HttpRequest, guide: InterviewGuide, form, heading: str) -> HttpResponse | None:
    if request.method == "POST" and form.is_valid():
        if isinstance(form.instance, Topic):
            guides.save_topic(form.save(commit=False), by=request.user)
        else:
            guides.save_question(form.save(commit=False), by=request.user)
        messages.success(request, _("The guide is saved."))
        return redirect(guide)
    context = {"form": form, "guide": guide, "project": guide.project, "heading": heading}
    return render(request, "scan/guides_item_form.html", context, status=_status(form))


def topic_edit(request: HttpRequest, public_id, pk: int | None = None) -> HttpResponse:
    guide = _guide(request, public_id, manage=True)
    topic = get_object_or_404(Topic, pk=pk, guide=guide) if pk else Topic(guide=guide)
    heading = _("Edit the topic") if pk else _("Add a topic")
    return _item_form(request, guide, TopicForm(request.POST or None, instance=topic), heading)


def question_edit(
    request: HttpRequest, public_id, pk: int | None = None, topic_pk: int | None = None
) -> HttpResponse:
    guide = _guide(request, public_id, manage=True)
    if pk:
        question = get_object_or_404(Question, pk=pk, topic__guide=guide)
    else:
        question = Question(topic=get_object_or_404(Topic, pk=topic_pk, guide=guide))
    heading = _("Edit the question") if pk else _("Add a question to “%(topic)s”") % {"topic": question.topic}
    return _item_form(request, guide, QuestionForm(request.POST or None, instance=question), heading)


def _guide_item(guide: InterviewGuide, kind: str, pk: int) -> Topic | Question:
    if kind == "topic":
        return get_object_or_404(Topic, pk=pk, guide=guide)
    if kind == "question":
        return get_object_or_404(Question, pk=pk, topic__guide=guide)
    raise Http404


@require_POST
def item_delete(request: HttpRequest, public_id, kind: str, pk: int) -> HttpResponse:
    guide = _guide(request, public_id, manage=True)
    guides.delete_item(_guide_item(guide, kind, pk), by=request.user)
    messages.success(request, _("It is removed from the guide."))
    return redirect(guide)


@require_POST
def item_move(request: HttpRequest, public_id, kind: str, pk: int) -> HttpResponse:
    guide = _guide(request, public_id, manage=True)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose to move up or down."))
    else:
        guides.move_item(_guide_item(guide, kind, pk), direction, by=request.user)
    return redirect(guide)


# Interviews


def interview_list(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    form = InterviewFilterForm(request.GET or None, project=project)
    interviews = project.interviews.select_related("organization__sector", "interviewer")
    if request.GET:
        interviews = form.filter(interviews)
    by_status = dict(interviews.values_list("status").annotate(total=Count("pk")).order_by())
    context = {
        "project": project,
        "form": form,
        "page": paginate(
            request, interviews.annotate(document_count=Count("documents")).order_by("scheduled_at", "id")
        ),
        "status_counts": [(label, by_status.get(value, 0)) for value, label in InterviewStatus.choices],
        "can_manage": project.can_manage(request.user),
    }
    template = "scan/interviews_list.html" + ("#results" if request.htmx and not request.htmx.boosted else "")
    return render(request, template, context)


def _month(value: str) -> date:
    match = MONTH.match(value or "")
    if match and 1 <= int(match.group(2)) <= 12 and 1900 <= int(match.group(1)) <= 9999:
        return date(int(match.group(1)), int(match.group(2)), 1)
    today = timezone.localdate()
    return today.replace(day=1)


def interview_schedule(request: HttpRequest, public_id) -> HttpResponse:
    """One month of interviews as an agenda grouped by week, and the next planned ones."""
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    month = _month(request.GET.get("month", ""))
    last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    zone = timezone.get_current_timezone()
    start = datetime.combine(month, datetime.min.time(), zone)
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), zone)
    interviews = project.interviews.select_related("organization", "interviewer")
    weeks: dict[date, list[Interview]] = {}
    for interview in interviews.filter(scheduled_at__gte=start, scheduled_at__lt=end):
        day = timezone.localtime(interview.scheduled_at).date()
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(interview)
    context = {
        "project": project,
        "month": month,
        "previous_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": last_day + timedelta(days=1),
        "weeks": sorted(weeks.items()),
        "upcoming": interviews.filter(
            status=InterviewStatus.PLANNED, scheduled_at__gte=timezone.now()
        ).order_by("scheduled_at")[:10],
        "unscheduled": interviews.filter(status=InterviewStatus.PLANNED, scheduled_at__isnull=True),
    }
    return render(request, "scan/interviews_schedule.html", context)


def interview_schedule_ics(request: HttpRequest, public_id) -> HttpResponse:
    """The project's planned interviews that have a date, as an iCalendar file."""
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    planned = project.interviews.filter(status=InterviewStatus.PLANNED, scheduled_at__isnull=False)
    events = []
    for interview in planned.select_related("organization", "guide"):
        description = f"{interview.get_mode_display()}" + (
            f" — {interview.guide}" if interview.guide_id else ""
        )
        events.append(
            icalendar.Event(
                uid=f"{interview.public_id}@healthywork",
                summary=_("Interview: %(organization)s") % {"organization": interview.organization},
                start=interview.scheduled_at,
                end=interview.scheduled_at + timedelta(minutes=interview.duration_minutes or 60),
                description=description,
                url=request.build_absolute_uri(interview.get_absolute_url()),
            )
        )
    content = icalendar.calendar(events, product="-//healthywork//scan//EN", method="")
    response = HttpResponse(content, content_type=icalendar.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="interviews.ics"'
    return response


def interview_detail(request: HttpRequest, public_id) -> HttpResponse:
    interview = _interview(request, public_id)
    context = {
        "interview": interview,
        "project": interview.project,
        "interviewees": interview.interviewees.all(),
        "documents": interview.documents.annotate(
            coding_count=count_per(Coding.objects.visible_to(request.user), "document")
        ).order_by("title", "id"),
        "can_manage": interview.project.can_manage(request.user),
    }
    return render(request, "scan/interviews_detail.html", context)


def interview_create(request: HttpRequest, public_id) -> HttpResponse:
    project = managed_project(request, public_id)
    form = InterviewForm(request.POST or None, project=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        interview = projects.create_interview(project, form.cleaned_data, by=request.user)
        messages.success(
            request, _("The interview with %(name)s is saved.") % {"name": interview.organization}
        )
        return redirect(interview)
    return render(
        request, "scan/interviews_form.html", {"form": form, "project": project}, status=_status(form)
    )


def interview_edit(request: HttpRequest, public_id) -> HttpResponse:
    interview = _interview(request, public_id, manage=True)
    form = InterviewForm(
        request.POST or None, instance=interview, project=interview.project, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        projects.update_interview(interview, form.cleaned_data, by=request.user)
        messages.success(
            request, _("The interview with %(name)s is saved.") % {"name": interview.organization}
        )
        return redirect(interview)
    context = {"form": form, "project": interview.project, "interview": interview}
    return render(request, "scan/interviews_form.html", context, status=_status(form))


def interview_delete(request: HttpRequest, public_id) -> HttpResponse:
    interview = _interview(request, public_id, manage=True)
    if request.method == "POST":
        project = interview.project
        projects.delete_interview(interview, by=request.user)
        messages.success(request, _("The interview is deleted; its documents stay in the project."))
        return redirect("scan:interview-list", public_id=project.public_id)
    return render(
        request, "scan/interviews_confirm_delete.html", {"interview": interview, "project": interview.project}
    )
