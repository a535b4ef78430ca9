"""Plain factory functions for the scan."""

from datetime import UTC, datetime
from itertools import count

from healthywork.partners.models import Organization
from healthywork.partners.tests import factories as partner_factories
from healthywork.scan.models import (
    Code,
    Coding,
    Document,
    Interview,
    Project,
    ProjectMember,
    ProjectRole,
    Round,
)

_numbers = count(1)

TRANSCRIPT = (
    "Interviewer: What does precarious work look like for the people you serve?\n\n"
    "Respondent: Many of our members work through staffing agencies. They do not know their "
    "schedule from one week to the next. Wage theft is common.\n\n"
    "Interviewer: Which policies are you working on?\n\n"
    "Respondent: We are pushing a fair workweek ordinance with the city council. We also train "
    "members on their rights."
)


def project(name: str | None = None, **fields) -> Project:
    return Project.objects.create(name=name or f"Scan {next(_numbers)}", **fields)


def member(project_obj: Project, user, role: str = ProjectRole.CODER) -> ProjectMember:
    return ProjectMember.objects.create(project=project_obj, user=user, role=role)


def interview(project_obj: Project, organization: Organization | None = None, **fields) -> Interview:
    fields.setdefault("scheduled_at", datetime(2017, 6, 1, 14, 0, tzinfo=UTC))
    return Interview.objects.create(
        project=project_obj, organization=organization or partner_factories.organization(), **fields
    )


def document(project_obj: Project, text: str = TRANSCRIPT, title: str | None = None, **fields) -> Document:
    return Document.objects.create(
        project=project_obj, title=title or f"Transcript {next(_numbers)}", text=text, **fields
    )


def code(project_obj: Project, name: str | None = None, parent: Code | None = None, **fields) -> Code:
    return Code.objects.create(
        project=project_obj, name=name or f"Code {next(_numbers)}", parent=parent, **fields
    )


def coding(document_obj: Document, code_obj: Code, coder, start: int, end: int, **fields) -> Coding:
    return Coding.objects.create(
        document=document_obj,
        code=code_obj,
        coder=coder,
        start_offset=start,
        end_offset=end,
        snippet=document_obj.text[start:end],
        **fields,
    )


def coding_of(document_obj: Document, code_obj: Code, coder, phrase: str, **fields) -> Coding:
    """Code the first occurrence of `phrase` in the document."""
    start = document_obj.text.index(phrase)
    return coding(document_obj, code_obj, coder, start, start + len(phrase), **fields)


def round_of(project_obj: Project, documents: list[Document], coders: list, **fields) -> Round:
    fields.setdefault("name", f"Round {next(_numbers)}")
    blind_round = Round.objects.create(project=project_obj, **fields)
    blind_round.documents.set(documents)
    blind_round.coders.set(coders)
    return blind_round
