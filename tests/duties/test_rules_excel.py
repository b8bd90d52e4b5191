"""Scoring rules in and out of Excel: a shipped rule set round-trips; a sheet with bad rows is refused with
the sheet and row number, a sheet with overlapping grades with the reason, and nothing is written."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from lvzhi.core.errors import DomainError
from lvzhi.duties.examples import EXAMPLES
from lvzhi.duties.models import RuleSet
from lvzhi.duties.ruleio import read_rules, write_rules
from lvzhi.duties.rules import spec_from_dict, spec_to_dict
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _edited(mutate: Any) -> io.BytesIO:
    wb = load_workbook(io.BytesIO(write_rules(spec_from_dict(EXAMPLES["jinan"]))))
    mutate(wb)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "rules.xlsx"  # type: ignore[attr-defined]
    return buf


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_examples_round_trip(key: str) -> None:
    spec = spec_from_dict(EXAMPLES[key])
    again = read_rules(io.BytesIO(write_rules(spec)))
    assert spec_to_dict(again) == spec_to_dict(spec)


def test_bad_rows_are_reported_by_sheet_and_row() -> None:
    def mutate(wb: Any) -> None:
        wb["项目"]["D3"] = "role first"          # condition without '='
        wb["项目"]["E4"] = "五分"                 # points not a number

    with pytest.raises(DomainError) as exc:
        read_rules(_edited(mutate))
    assert "「项目」表第 3 行：条件「role first」应写成 属性=值。" in exc.value.message


def test_import_page(world: World) -> None:
    c = Client()
    c.force_login(world.user("staff"))
    assert c.get("/duties/rules/template.xlsx").status_code == 200

    def overlap(wb: Any) -> None:
        wb["等次"]["B3"] = "50"  # 称职 from 50: overlaps 不称职 (below 60)

    r = c.post("/duties/rules/import/", {"file": _edited(overlap), "activate": "on"})
    html = r.content.decode()
    assert r.status_code == 400 and "分数段重叠" in html
    assert not RuleSet.objects.exists()
    r = c.post("/duties/rules/import/", {"file": _edited(lambda wb: None), "activate": "on"})
    assert r.status_code == 302
    rs = RuleSet.objects.get()
    assert rs.active and rs.name == EXAMPLES["jinan"]["name"] and rs.items.count() == 6
    member = Client()
    member.force_login(world.user("member0"))
    assert member.post("/duties/rules/import/", {"file": _edited(lambda wb: None)}).status_code == 404
