"""Fixtures of the opinions tests: the shared world, a clean cache (the portal's rate limit lives there)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()
