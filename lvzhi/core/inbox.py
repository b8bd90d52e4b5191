"""The one inbox (待办): a registry of inbox providers, one per case type or app, merged and ordered here.

``core`` imports no case type. An app registers a provider in its ``AppConfig.ready()``::

    from lvzhi.core.inbox import register_provider

    register_provider("proposal", proposal_inbox)   # proposal_inbox(user, today) -> Iterable[InboxItem]

:func:`inbox_items` asks every provider for what waits for ``user`` and returns one list: overdue first
(deadline before today), then at risk (within the council's ``at_risk_working_days`` working days, statutory
calendar, today included), then the rest, each group by deadline (no deadline last), then title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from lvzhi.core.calendar import working_days_between

OVERDUE, AT_RISK, NORMAL = "overdue", "at_risk", "normal"
_RANK = {OVERDUE: 0, AT_RISK: 1, NORMAL: 2}


def urgency_of(deadline: date | None, today: date, at_risk_working_days: int) -> str:
    """``overdue`` when ``deadline`` < ``today``; ``at_risk`` when ``deadline`` falls within
    ``at_risk_working_days`` working days from ``today`` (statutory calendar, today itself at risk);
    ``normal`` otherwise or without a deadline."""
    if deadline is None:
        return NORMAL
    if deadline < today:
        return OVERDUE
    if working_days_between(today, deadline) <= at_risk_working_days:
        return AT_RISK
    return NORMAL


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for a user: ``what`` (a short Chinese label, e.g. 答复待签发) to do about the case
    ``title`` / ``number`` of kind ``type_label`` (提案, 代表建议 …; ``source`` is the provider's key), by
    ``deadline`` (a calendar date or ``None``); ``url`` is the case page."""

    source: str
    type_label: str
    what: str
    title: str
    number: str
    deadline: date | None
    urgency: str
    url: str

    @property
    def sort_key(self) -> tuple[int, date, str]:
        return (_RANK[self.urgency], self.deadline or date.max, self.title)


Provider = Callable[[Any, date], Iterable[InboxItem]]
_PROVIDERS: dict[str, Provider] = {}


def register_provider(key: str, provider: Provider) -> None:
    """Register ``provider(user, today)`` under ``key`` (registering a key again replaces it, so ``ready``
    may run twice in tests)."""
    _PROVIDERS[key] = provider


def providers() -> list[str]:
    """The keys of the registered providers, in registration order."""
    return list(_PROVIDERS)


def inbox_items(user: Any, *, today: date | None = None) -> list[InboxItem]:
    """Everything that waits for ``user`` across every registered provider, overdue first, then at risk, then
    the rest (see the module docstring). An item two providers both report (same page, same ``what``) is
    listed once."""
    today = today or timezone.localdate()
    seen: dict[tuple[str, str], InboxItem] = {}
    for provider in _PROVIDERS.values():
        for item in provider(user, today):
            seen.setdefault((item.url, item.what), item)
    return sorted(seen.values(), key=lambda i: i.sort_key)
