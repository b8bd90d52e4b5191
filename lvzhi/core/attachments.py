"""Checking and storing uploaded attachments (PDF and Word only, size-limited) and citizens' photos (cleaned by
:mod:`lvzhi.core.images`)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from lvzhi.core.errors import DomainError
from lvzhi.core.images import CleanPhoto
from lvzhi.core.models import Attachment

# The first bytes each allowed type starts with: PDF, Office Open XML (a zip), legacy Word (OLE2).
_MAGIC = {".pdf": (b"%PDF",), ".docx": (b"PK\x03\x04",), ".doc": (b"\xd0\xcf\x11\xe0",)}


def check_upload(upload: UploadedFile, *, field: str = "attachments") -> None:
    """Refuse a file that is empty, larger than ``settings.ATTACHMENT_MAX_BYTES`` or not a PDF/Word file.

    The type is judged by extension *and* content (magic bytes), so a renamed file is refused too.
    Raises :class:`DomainError` naming ``field``.
    """
    name = upload.name or ""
    ext = Path(name).suffix.lower()
    limit_mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
    if ext not in settings.ATTACHMENT_EXTENSIONS:
        raise DomainError(f"附件「{name}」类型不支持：只接受 PDF 或 Word（.pdf、.doc、.docx）文件。", field=field)
    if not upload.size:
        raise DomainError(f"附件「{name}」是空文件。", field=field)
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise DomainError(f"附件「{name}」超过 {limit_mb} MB 的大小限制。", field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in _MAGIC[ext]):
        raise DomainError(f"附件「{name}」的内容与扩展名不符，不是有效的 {ext[1:].upper()} 文件。", field=field)


def store(upload: UploadedFile, target: models.Model, *, actor: Any) -> Attachment:
    """Check ``upload`` (see :func:`check_upload`) and attach it to ``target``."""
    check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    ext = Path(upload.name or "").suffix.lower()
    return Attachment.objects.create(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk, file=upload,
        name=Path(upload.name or "file").name[:255], size=upload.size or 0,
        content_type=settings.ATTACHMENT_EXTENSIONS[ext], sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )


def store_photo(photo: CleanPhoto, target: models.Model, *, index: int, actor: Any = None) -> Attachment:
    """Attach a photo already cleaned by :func:`lvzhi.core.images.clean_photo` to ``target`` as
    ``照片{index}.{ext}`` (the citizen's file name is not kept: it may hold personal data)."""
    name = f"照片{index}.{photo.extension}"
    return Attachment.objects.create(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk,
        file=ContentFile(photo.data, name=f"photo.{photo.extension}"), name=name, size=len(photo.data),
        content_type=photo.content_type, sha256=hashlib.sha256(photo.data).hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )


def photos_of(target: models.Model) -> models.QuerySet[Attachment]:
    """The photos attached to ``target`` (attachments of an ``image/*`` type), in upload order."""
    return attachments_of(target).filter(content_type__startswith="image/").order_by("id")


def attachments_of(target: models.Model) -> models.QuerySet[Attachment]:
    return Attachment.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
