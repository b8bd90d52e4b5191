from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from lvzhi.core.inbox import InboxItem
    from lvzhi.members.models import Council


class CasesConfig(AppConfig):
    name = "lvzhi.cases"
    label = "cases"
    verbose_name = _("办理")

    def ready(self) -> None:
        from lvzhi.members.defaults import register_defaults

        # Every council gets the defaults of the case types that apply to its kind, on creation and on setup.
        register_defaults(None, install_case_types)
        from lvzhi.core.inbox import register_provider

        # The inbox of every case type registered with the core (deputies' suggestions …).
        register_provider("cases", case_inbox)
        from lvzhi.cases.reminders import case_reminders
        from lvzhi.core import reminders

        reminders.register_provider("cases", case_reminders)


def install_case_types(council: Council) -> None:
    """Install the defaults of every registered case type that applies to ``council`` (idempotent)."""
    from lvzhi.cases.registry import install_for

    install_for(council)


def case_inbox(user: Any, today: date) -> Iterable[InboxItem]:
    """The items of :func:`lvzhi.cases.queries.inbox_items` in the core inbox's shape (provider ``cases``)."""
    from lvzhi.cases import registry
    from lvzhi.cases.queries import inbox_items
    from lvzhi.core.inbox import InboxItem

    return [InboxItem(source="cases", type_label=registry.get(i.case_type).label, what=i.what, title=i.title,
                      number=i.number, deadline=i.deadline, urgency=i.urgency, url=i.url)
            for i in inbox_items(user, today=today)]
