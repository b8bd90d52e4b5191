"""``lvzhi duty-scores``: JSON and the Chinese table of the Tongcheng scores worked out in test_scoring, and
exit code 2 with a Chinese message for an unknown council or year."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lvzhi.duties import actions as act
from tests.conftest import World
from tests.duties.conftest import YEAR

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("duty_scores", *args, stdout=out)
    return out.getvalue()


def test_json_and_table(record_world: World) -> None:
    act.install_example(record_world.user("staff"), record_world.council, "tongcheng", activate=True)
    data = json.loads(run("--council", str(record_world.council.pk), "--year", str(YEAR), "--json"))
    assert data["council"] == {"id": record_world.council.pk, "name": record_world.council.name}
    assert data["year"] == YEAR and data["rule_set"]["name"] == "桐城市政协委员履职考核（百分制）"
    assert [(m["name"], m["score"], m["grade"], m["rank"]) for m in data["members"]] == [
        ("张三", "100.00", "合格", 1), ("李四", "52.00", "不合格", 2), ("王五", "21.25", "不合格", 3)]
    wang = data["members"][2]
    assert wang["member_id"] == record_world.members[2].pk
    # 王五: P4 co-signer of 2 → 10/2/2 = 2.5 and 15/2/2 = 3.75; reports 10 + 10 + 5 = 25 before the cap
    assert wang["items"]["提交提案"] == "2.5" and wang["items"]["提案被立案"] == "3.75"
    assert wang["items"]["报送社情民意"] == "20" and wang["groups"]["反映社情民意"] == "15"
    assert wang["minimum_duties_met"] is True and wang["minimum_duties"] == []
    table = run("--council", str(record_world.council.pk), "--year", str(YEAR))
    assert "名次" in table and "张三" in table and "100.00" in table and "21.25" in table


@pytest.mark.parametrize("args, message", [
    (["--council", "999999", "--year", "2025"], "机构不存在：999999"),
    (["--council", "x", "--year", "2025"], "机构不存在：x"),
])
def test_unknown_council_exits_2(world: World, args: list[str], message: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("duty_scores", *args, stderr=err)
    assert exc.value.code == 2 and message in err.getvalue()


def test_bad_year_and_missing_rules_exit_2(world: World) -> None:
    for args, message in ((["--year", "20x5"], "年度无效：20x5"), (["--year", "2025"], "尚未启用考评规则")):
        err = StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("duty_scores", "--council", str(world.council.pk), *args, stderr=err)
        assert exc.value.code == 2 and message in err.getvalue()


def test_quarter(record_world: World) -> None:
    """Tongcheng, first quarter of 2025 (January–March): 张三 plenary 50, proposals (all in February) 25,
    the written speech 5, report R1 15 → 95; 李四 plenary on leave 30 (the standing-committee absence is in
    April), proposals 25 → 55; 王五 P4 6.25 + reports 15 → 21.25. Second quarter: 张三 research and
    inspection 2 + 2 = 4; 李四 research 2, standing absent −5 → meetings group held at 0 → 2."""
    act.install_example(record_world.user("staff"), record_world.council, "tongcheng", activate=True)
    q1 = json.loads(run("--council", str(record_world.council.pk), "--year", str(YEAR), "--quarter", "1", "--json"))
    assert (q1["from"], q1["to"]) == ("2025-01-01", "2025-03-31")
    assert [(m["name"], m["score"]) for m in q1["members"]] == [("张三", "95.00"), ("李四", "55.00"),
                                                               ("王五", "21.25")]
    q2 = json.loads(run("--council", str(record_world.council.pk), "--year", str(YEAR), "--quarter", "2", "--json"))
    assert {m["name"]: m["score"] for m in q2["members"]} == {"张三": "4.00", "李四": "2.00", "王五": "0.00"}
