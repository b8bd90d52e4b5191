"""What the core needs to know about an account without knowing the app that models accounts' roles.

The core (audit entries of logins, password changes, API tokens) files an account's events under the
council the account acts for. Which council that is lives in an upper layer (``lvzhi.members``), which
registers its answer here when the apps are ready; the core never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_council_of: Callable[[Any], int | None] | None = None


def register_council_resolver(resolver: Callable[[Any], int | None]) -> None:
    """Install ``resolver(user) -> council id or None`` (called once from an app's ``ready``)."""
    global _council_of
    _council_of = resolver


def council_id_of_user(user: Any) -> int | None:
    """The id of the council ``user`` acts for, or ``None`` (no resolver, no user, no council)."""
    if user is None or _council_of is None:
        return None
    return _council_of(user)
