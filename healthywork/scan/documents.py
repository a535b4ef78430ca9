"""Writes to documents: one transaction and one audit event each."""

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from healthywork.core import audit
from healthywork.scan.extract import normalise
from healthywork.scan.models import Document, Project

DOCUMENT_FIELDS = ["title", "interview", "language"]


def _snapshot(document: Document) -> dict[str, Any]:
    data = audit.snapshot(document)
    # The text itself is research data: the audit log keeps its size, not its words.
    for key in ("text", "original_text"):
        data.pop(key, None)
    data["words"] = document.word_count
    return data


@transaction.atomic
def create_document(
    project: Project,
    data: dict[str, Any],
    *,
    text: str,
    by: Any,
    file_name: str = "",
    file_content: bytes | None = None,
) -> Document:
    """A new document of `text` (normalised); the uploaded file, if any, is kept as its original."""
    document = Document(project=project, created_by=by if getattr(by, "is_authenticated", False) else None)
    for key in DOCUMENT_FIELDS:
        if key in data:
            setattr(document, key, data[key])
    document.text = normalise(text)
    if file_content is not None:
        document.original_name = file_name[:255]
        document.original_file.save(file_name, ContentFile(file_content), save=False)
    document.save()
    audit.record(by, "create", document, audit.diff({}, _snapshot(document)))
    return document


@transaction.atomic
def update_document(document: Document, data: dict[str, Any], *, by: Any) -> Document:
    """Change a document's title, interview or language (its text is changed by coding tools only)."""
    before = _snapshot(Document.objects.get(pk=document.pk))
    for key in DOCUMENT_FIELDS:
        if key in data:
            setattr(document, key, data[key])
    document.save()
    changes = audit.diff(before, _snapshot(document))
    if changes:
        audit.record(by, "change", document, changes)
    return document


@transaction.atomic
def delete_document(document: Document, *, by: Any) -> None:
    """Remove a document with its codings and memos; the uploaded file goes once the delete commits."""
    audit.record(by, "delete", document, audit.diff(_snapshot(document), {}))
    if document.original_file:
        storage, name = document.original_file.storage, document.original_file.name
        transaction.on_commit(lambda: storage.delete(name))
    document.delete()
