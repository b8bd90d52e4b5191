from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from lvzhi.members.models import Council


class CasesConfig(AppConfig):
    name = "lvzhi.cases"
    label = "cases"
    verbose_name = _("办理")

    def ready(self) -> None:
        from lvzhi.members.defaults import register_defaults

        # Every council gets the defaults of the case types that apply to its kind, on creation and on setup.
        register_defaults(None, install_case_types)


def install_case_types(council: Council) -> None:
    """Install the defaults of every registered case type that applies to ``council`` (idempotent)."""
    from lvzhi.cases.registry import install_for

    install_for(council)
