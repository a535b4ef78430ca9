"""Uploaded files kept until their owner confirms an import preview: one per owner and kind."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages

from healthywork.core import tabular
from healthywork.core.models import StagedUpload
from healthywork.core.permissions import get_visible_or_404
from healthywork.core.tabular import Table


def stage_upload(owner: Any, kind: str, filename: str, data: bytes) -> StagedUpload:
    """Keep `data` for `owner`'s import of `kind`, replacing the one staged before (a new upload
    forgets the old one)."""
    StagedUpload.objects.filter(owner=owner, kind=kind).delete()
    return StagedUpload.objects.create(owner=owner, kind=kind, filename=filename[:255], data=data)


def staged_table(
    request: Any, pk: int, kind: str, read: Callable[[bytes, str], Table] = tabular.read_table
) -> tuple[StagedUpload, Table | None]:
    """The user's staged upload `pk` of `kind` (404 for anyone else's) read as a table by `read`
    (data, filename). When it cannot be read, it is forgotten, the reason goes to the page's
    messages, and the table is None (the caller sends the user back to the upload form)."""
    staged = get_visible_or_404(StagedUpload, request.user, pk=pk, kind=kind)
    try:
        return staged, read(bytes(staged.data), staged.filename)
    except tabular.TableError as error:
        staged.delete()
        messages.error(request, str(error))
        return staged, None
