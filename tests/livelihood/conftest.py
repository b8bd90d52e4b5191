from __future__ import annotations

from typing import Any

import pytest

from tests.cases.npc import NPC, build_npc


@pytest.fixture
def npc(db: Any) -> NPC:
    return build_npc()
