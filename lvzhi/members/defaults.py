"""What every council gets on creation and on ``lvzhi setup``: a registry of default installers per council
kind, so that an app above ``members`` (a case type such as deputies' suggestions) gives councils its default
workflow without ``members`` or the setup command importing it.

An app registers in its ``AppConfig.ready``::

    from lvzhi.members.choices import CouncilKind
    from lvzhi.members.defaults import register_defaults

    register_defaults(CouncilKind.NPC, install_suggestion_workflow)   # NPC councils only
    register_defaults(None, install_something)                          # every council

An installer takes the council and must be idempotent (it runs again on every ``lvzhi setup``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lvzhi.members.models import Council

Installer = Callable[["Council"], Any]  # the return value (e.g. the workflow installed) is ignored

_installers: list[tuple[str | None, Installer]] = []


def register_defaults(kind: str | None, installer: Installer) -> None:
    """Run ``installer(council)`` for every council of ``kind`` (a :class:`CouncilKind` value; ``None``: every
    kind) when it is created and on each ``lvzhi setup``. Registering the same installer twice for a kind
    is a no-op (``ready`` may run more than once in tests)."""
    if (kind, installer) not in _installers:
        _installers.append((kind, installer))


def installers_for(kind: str) -> list[Installer]:
    """The installers registered for councils of ``kind``, in registration order."""
    return [installer for k, installer in _installers if k is None or k == kind]


def install_registered_defaults(council: Council) -> None:
    """Run every installer registered for ``council.kind`` (see :func:`register_defaults`)."""
    for installer in installers_for(council.kind):
        installer(council)
