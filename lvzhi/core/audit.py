"""Writing the audit log and notifications. Only action functions call these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from lvzhi.core import delivery
from lvzhi.core.models import AuditEntry, Notification


def record(target: models.Model, event: str, *, actor: Any, council_id: int | None = None,
           from_state: str = "", to_state: str = "", comment: str = "",
           old: dict[str, Any] | None = None, new: dict[str, Any] | None = None) -> AuditEntry:
    """Append one audit entry for ``target``. ``actor`` is a user or ``None`` for the system.

    ``old``/``new`` hold the changed fields only, JSON-serialisable (dates as ISO strings).
    """
    if council_id is None:
        council_id = getattr(target, "council_id", None)
    return AuditEntry.objects.create(
        council_id=council_id,
        actor=actor if getattr(actor, "pk", None) else None,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        event=event, from_state=from_state, to_state=to_state, comment=comment,
        old_values=_jsonable(old or {}), new_values=_jsonable(new or {}),
    )


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, models.Model):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, set | tuple):
            value = sorted(value)
        out[key] = value
    return out


def notify(recipients: Iterable[Any], kind: str, text: str, *, url: str = "", dedupe_key: str = "") -> None:
    """Send an in-app notification to each user in ``recipients`` once the transaction commits.

    With a ``dedupe_key`` a user gets at most one notification with that key (used for deadline reminders).
    Recipients who chose e-mail or SMS get it there too (:mod:`lvzhi.core.delivery`).
    """
    user_ids = sorted({u.pk for u in recipients if u is not None and getattr(u, "pk", None)})
    if not user_ids:
        return

    def _send() -> None:
        existing: set[int] = set()
        if dedupe_key:
            existing = set(Notification.objects.filter(dedupe_key=dedupe_key, recipient_id__in=user_ids)
                           .values_list("recipient_id", flat=True))
        created = Notification.objects.bulk_create([
            Notification(recipient_id=uid, kind=kind, text=text[:500], url=url, dedupe_key=dedupe_key)
            for uid in user_ids if uid not in existing
        ])
        delivery.after_notify(created)

    transaction.on_commit(_send)


def timeline(target: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit entries of ``target``, oldest first, with their actors."""
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False), target_id=target.pk
    ).select_related("actor").order_by("created_at", "id")
