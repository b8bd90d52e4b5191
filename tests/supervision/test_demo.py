"""The demo topics and firm visits (lvzhi/demo/supervision.py), through the writers, once; the year's report
of the demo year then carries their sections."""

from __future__ import annotations

from datetime import date

import pytest

from lvzhi.core import sections as module_sections
from lvzhi.demo.duties import YEAR
from lvzhi.demo.supervision import build_studios, build_supervision
from lvzhi.firmvisits.models import FirmIssue
from lvzhi.supervision.models import Finding, Topic
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_demo_topics_once(world: World) -> None:
    assert build_supervision(world.council) == 2
    assert build_supervision(world.council) == 0
    assert sorted(Topic.objects.values_list("kind", flat=True)) == ["research", "supervision"]
    assert sorted(Finding.objects.values_list("status", flat=True)) == ["checked", "open", "reported"]
    assert sorted(FirmIssue.objects.values_list("scope", "status")) == [("common", "open"), ("common", "solved"),
                                                                        ("individual", "open")]
    assert build_studios(world.council) == 1 and build_studios(world.council) == 0
    keys = [s.key for s in module_sections.sections(world.council.pk, date(YEAR, 1, 1), date(YEAR, 12, 31))]
    assert "supervision" in keys and "firm_visits" in keys and "studios" in keys
