"""The inbox provider of proposals (提案), registered with :mod:`lvzhi.core.inbox` by ``ProposalsConfig.ready``:
the items of :func:`lvzhi.proposals.queries.inbox_items` in the core's shape."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from lvzhi.core.inbox import InboxItem


def proposal_inbox(user: Any, today: date) -> Iterable[InboxItem]:
    """What waits for ``user`` among proposals (see :func:`lvzhi.proposals.queries.inbox_items`)."""
    from lvzhi.proposals.queries import inbox_items

    label = _("提案")
    return [InboxItem(source="proposal", type_label=label, what=i.what, title=i.title, number=i.number,
                      deadline=i.deadline, urgency=i.urgency, url=i.url) for i in inbox_items(user, today=today)]
