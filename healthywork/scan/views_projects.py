"""The scan's home (projects), a project's overview, its members, pseudonyms and de-identification."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.core import tabular
from healthywork.core.permissions import ability_required, get_visible_or_404
from healthywork.scan import deidentify, projects
from healthywork.scan.forms_projects import MemberForm, ProjectForm, PseudonymForm, PseudonymImportForm
from healthywork.scan.models import (
    Code,
    Coding,
    Document,
    Interview,
    InterviewStatus,
    Project,
    ProjectMember,
    Pseudonym,
    RoundStatus,
)


def _status(form) -> int:
    return 400 if form.errors else 200


def count_per(queryset, field: str = "project") -> Coalesce:
    """A per-project count as a subquery (several joined counts would multiply one another)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def managed_project(request: HttpRequest, public_id) -> Project:
    """The visible project (else 404) that the user may manage (else 403)."""
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    if not project.can_manage(request.user):
        raise PermissionDenied
    return project


def index(request: HttpRequest) -> HttpResponse:
    visible = Project.objects.visible_to(request.user)
    projects_list = visible.annotate(
        interview_count=count_per(Interview.objects.all()),
        document_count=count_per(Document.objects.all()),
        code_count=count_per(Code.objects.all()),
        coding_count=count_per(Coding.objects.visible_to(request.user), "document__project"),
    )
    return render(request, "scan/projects_index.html", {"projects": projects_list})


def project_detail(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    by_status = dict(project.interviews.values_list("status").annotate(total=Count("pk")).order_by())
    context = {
        "project": project,
        "interview_statuses": [(label, by_status.get(value, 0)) for value, label in InterviewStatus.choices],
        "interview_total": sum(by_status.values()),
        "document_count": project.documents.count(),
        "deidentified_count": project.documents.filter(is_deidentified=True).count(),
        "code_count": project.codes.count(),
        "coding_count": Coding.objects.visible_to(request.user).filter(document__project=project).count(),
        "open_rounds": project.rounds.filter(status=RoundStatus.OPEN),
        "members": project.members.select_related("user"),
        "guides": project.guides.all(),
        "can_manage": project.can_manage(request.user),
    }
    return render(request, "scan/projects_detail.html", context)


@ability_required("scan.manage")
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = projects.create_project(form.cleaned_data, by=request.user)
        messages.success(request, _("%(name)s is created.") % {"name": project.name})
        return redirect(project)
    return render(request, "scan/projects_form.html", {"form": form}, status=_status(form))


def project_edit(request: HttpRequest, public_id) -> HttpResponse:
    project = managed_project(request, public_id)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        projects.update_project(project, form.cleaned_data, by=request.user)
        messages.success(request, _("%(name)s is saved.") % {"name": project.name})
        return redirect(project)
    return render(
        request, "scan/projects_form.html", {"form": form, "project": project}, status=_status(form)
    )


def project_members(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    can_manage = project.can_manage(request.user)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            member = projects.set_member(
                project, form.cleaned_data["user"], form.cleaned_data["role"], by=request.user
            )
            messages.success(
                request,
                _("%(name)s is a member as %(role)s.")
                % {"name": member.user.display_name(), "role": member.get_role_display()},
            )
            return redirect("scan:project-members", public_id=project.public_id)
    context = {
        "project": project,
        "members": project.members.select_related("user"),
        "form": form if can_manage else None,
        "can_manage": can_manage,
    }
    return render(request, "scan/projects_members.html", context, status=_status(form))


@require_POST
def member_remove(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    project = managed_project(request, public_id)
    member = get_object_or_404(ProjectMember, pk=pk, project=project)
    projects.remove_member(member, by=request.user)
    messages.success(request, _("%(name)s is no longer a member.") % {"name": member.user.display_name()})
    return redirect("scan:project-members", public_id=project.public_id)


def pseudonyms(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    can_manage = project.can_manage(request.user)
    if not can_manage:  # the table holds the real names: managers only
        raise PermissionDenied
    form = PseudonymForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        pseudonym = deidentify.save_pseudonym(form.save(commit=False), by=request.user)
        messages.success(request, _("%(name)s is added to the table.") % {"name": pseudonym.name})
        return redirect("scan:pseudonyms", public_id=project.public_id)
    context = {
        "project": project,
        "pseudonyms": project.pseudonyms.all(),
        "form": form,
        "import_form": PseudonymImportForm(),
    }
    return render(request, "scan/projects_pseudonyms.html", context, status=_status(form))


def pseudonym_edit(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    project = managed_project(request, public_id)
    pseudonym = get_object_or_404(Pseudonym, pk=pk, project=project)
    form = PseudonymForm(request.POST or None, instance=pseudonym, project=project)
    if request.method == "POST" and form.is_valid():
        deidentify.save_pseudonym(form.save(commit=False), by=request.user)
        messages.success(request, _("The pseudonym is saved."))
        return redirect("scan:pseudonyms", public_id=project.public_id)
    context = {"project": project, "pseudonym": pseudonym, "form": form}
    return render(request, "scan/projects_pseudonym_form.html", context, status=_status(form))


@require_POST
def pseudonym_delete(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    project = managed_project(request, public_id)
    pseudonym = get_object_or_404(Pseudonym, pk=pk, project=project)
    deidentify.delete_pseudonym(pseudonym, by=request.user)
    messages.success(request, _("%(name)s is removed from the table.") % {"name": pseudonym.name})
    return redirect("scan:pseudonyms", public_id=project.public_id)


@require_POST
def pseudonym_import(request: HttpRequest, public_id) -> HttpResponse:
    """All rows or none: a file with a refused row changes nothing and shows each row's problem."""
    project = managed_project(request, public_id)
    form = PseudonymImportForm(request.POST, request.FILES)
    preview = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = tabular.read_table(upload.read(), upload.name)
        except tabular.TableError as error:
            form.add_error("file", str(error))
        else:
            preview = deidentify.preview_pseudonyms(project, table)
            if preview.can_apply:
                summary = deidentify.apply_pseudonyms(project, preview, by=request.user, filename=upload.name)
                messages.success(
                    request,
                    _("Import done: %(create)s added, %(update)s changed, %(skip)s unchanged.") % summary,
                )
                return redirect("scan:pseudonyms", public_id=project.public_id)
    context = {
        "project": project,
        "pseudonyms": project.pseudonyms.all(),
        "form": PseudonymForm(project=project),
        "import_form": form,
        "preview": preview,
    }
    return render(request, "scan/projects_pseudonyms.html", context, status=400)


def deidentify_project(request: HttpRequest, public_id) -> HttpResponse:
    project = managed_project(request, public_id)
    if request.method == "POST" and project.pseudonyms.exists():
        report = deidentify.apply(project, by=request.user)
        messages.success(
            request,
            _("De-identification done: %(replacements)s names replaced in %(documents)s documents.")
            % {"replacements": report.replacements, "documents": len(report.documents)},
        )
        return redirect("scan:document-list", public_id=project.public_id)
    context = {
        "project": project,
        "report": deidentify.preview(project),
        "pseudonym_count": project.pseudonyms.count(),
    }
    return render(request, "scan/projects_deidentify.html", context)
