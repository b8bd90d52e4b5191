"""Fixtures of the suggestion page tests: a small people's congress (tests/cases/npc.py), logged-in
clients, uploaded files in a temporary media root."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.cases.npc import NPC, build_npc


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def npc(db: Any) -> NPC:
    return build_npc()


@pytest.fixture
def login(npc: NPC) -> Callable[[str], Client]:
    """``login("staff")`` → a test client logged in as that user of the people's congress."""

    def _login(name: str) -> Client:
        client = Client()
        client.force_login(npc.user(name))
        return client

    return _login
