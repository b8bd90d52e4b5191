"""``lvzhi remind``: a registry of reminder providers, one per case type or app, and the one sender.

``core`` imports no case type. An app registers in its ``AppConfig.ready()``::

    from lvzhi.core.reminders import register_provider

    register_provider("proposal", proposal_reminders)   # proposal_reminders(today) -> Iterable[Reminder]

A provider returns what is due on ``today``: deadlines passed (overdue) or within the council's
``at_risk_working_days`` working days (statutory calendar, see :func:`lvzhi.core.inbox.urgency_of`).
:func:`send_reminders` sends each user at most one notification per reminder key and day (the dedupe key is
``<key>:<today>``), so running it twice a day sends nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lvzhi.core import audit
from lvzhi.core.models import Notification


@dataclass(frozen=True)
class Reminder:
    """Remind the accounts ``user_ids`` (``text``, a Chinese sentence, linking to ``url``). ``key`` names the
    case (e.g. ``remind:suggestion:12``): a user gets one reminder per key per day however many deadlines
    of that case are due."""

    key: str
    user_ids: tuple[int, ...]
    text: str
    url: str


Provider = Callable[[date], Iterable[Reminder]]
_PROVIDERS: dict[str, Provider] = {}


def register_provider(key: str, provider: Provider) -> None:
    """Register ``provider(today)`` under ``key`` (again: replaced, so ``ready`` may run twice in tests)."""
    _PROVIDERS[key] = provider


def providers() -> list[str]:
    """The keys of the registered providers, in registration order."""
    return list(_PROVIDERS)


def due(today: date) -> list[Reminder]:
    """Every reminder due on ``today`` from every provider, in provider order."""
    return [r for provider in _PROVIDERS.values() for r in provider(today)]


def send_reminders(today: date | None = None) -> int:
    """Send the reminders due on ``today`` (default: today) as in-app notifications of kind ``reminder`` and
    return how many were sent; a user already reminded about a key on that day is not sent (nor counted)
    again, and inactive accounts are skipped."""
    today = today or timezone.localdate()
    planned: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in due(today):
        planned[f"{reminder.key}:{today.isoformat()}"].append(reminder)
    existing = set(Notification.objects.filter(dedupe_key__in=list(planned)).values_list("recipient_id",
                                                                                       "dedupe_key"))
    wanted = {uid for batch in planned.values() for r in batch for uid in r.user_ids}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=wanted, is_active=True)}
    sent = 0
    with transaction.atomic():
        for key, batch in planned.items():
            seen: set[int] = set()
            for reminder in batch:
                fresh = [users[uid] for uid in dict.fromkeys(reminder.user_ids)
                         if uid in users and uid not in seen and (uid, key) not in existing]
                seen.update(u.pk for u in fresh)
                sent += len(fresh)
                audit.notify(fresh, "reminder", reminder.text, url=reminder.url, dedupe_key=key)
    return sent
