"""Reads for pages and reports about proposals (no writes here)."""

from __future__ import annotations

from typing import Any


def inbox_items(user: Any) -> list[Any]:
    """What waits for ``user``: filled in with the inbox work."""
    return []
