"""The demo people's congress gets its liaison stations through the writers, and ``--reset`` removes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lvzhi.demo.builder import build_demo
from lvzhi.demo.npc import npc_council
from lvzhi.smart import store
from lvzhi.stations.choices import Outcome
from lvzhi.stations.models import Matter, Reception, RotaTurn, Station

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _models_in_tmp(settings: Any, tmp_path: Path) -> Any:
    settings.LVZHI_MODELS_DIR = str(tmp_path / "models")
    store.clear_cache()
    yield
    store.clear_cache()


def test_demo_stations_rota_receptions_and_reset() -> None:
    build_demo(train=False)
    council = npc_council()
    assert council is not None
    assert Station.objects.filter(council=council).count() == 6
    assert RotaTurn.objects.filter(station__council=council).count() == 3
    outcomes = set(Matter.objects.filter(council=council).values_list("outcome", flat=True))
    assert outcomes == {*Outcome.values, ""}  # every triage outcome, and the waiting portal matter
    converted = Matter.objects.get(council=council, outcome=Outcome.SUGGESTION)
    assert converted.suggestion is not None and converted.suggestion.leading_deputy.name == "周演示"
    c = Client()
    assert c.post("/login/", {"username": "demo-deputy", "password": "Qiaodu-Daibiao-2024"}).status_code == 302
    assert "白沙街道人大代表中心联络站" in c.get("/stations/my/").content.decode()
    assert c.get(f"/suggestions/{converted.suggestion_id}/").status_code == 200
    build_demo(reset=True, train=False)
    council = npc_council()
    assert Station.objects.count() == 6 and Reception.objects.count() == 3
