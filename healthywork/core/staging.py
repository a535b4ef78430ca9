"""Uploaded files kept until their owner confirms an import preview: one per owner and kind."""

from typing import Any

from healthywork.core.models import StagedUpload


def stage_upload(owner: Any, kind: str, filename: str, data: bytes) -> StagedUpload:
    """Keep `data` for `owner`'s import of `kind`, replacing the one staged before (a new upload
    forgets the old one)."""
    StagedUpload.objects.filter(owner=owner, kind=kind).delete()
    return StagedUpload.objects.create(owner=owner, kind=kind, filename=filename[:255], data=data)
