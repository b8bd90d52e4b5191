"""The meeting pages through the Django test client: staff create a meeting, a member asks for leave, the
QR page serves an SVG, the check-in page writes nothing on GET, and the import page shows row numbers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.duties.models import CheckIn, Invitee, Meeting
from lvzhi.duties.tokens import checkin_path
from tests.conftest import World
from tests.duties.conftest import meeting, xlsx

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_staff_create_a_meeting_and_members_see_it(world: World) -> None:
    staff = client_for(world.user("staff"))
    start = (timezone.localtime() + timedelta(days=2)).replace(second=0, microsecond=0)
    r = staff.post("/duties/meetings/new/", {
        "kind": "consultation", "title": "专题协商会：侨乡文旅", "place": "市政协三楼",
        "start": start.strftime("%Y-%m-%dT%H:%M"), "end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "invite_all": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    m = Meeting.objects.get(title="专题协商会：侨乡文旅")
    assert m.invitees.count() == 3
    bad = staff.post("/duties/meetings/new/", {"kind": "consultation", "title": "x",
                                               "start": start.strftime("%Y-%m-%dT%H:%M"),
                                               "end": start.strftime("%Y-%m-%dT%H:%M")})
    assert bad.status_code == 400 and "结束时间须晚于开始时间" in bad.content.decode()
    member = client_for(world.user("member0"))
    assert "专题协商会：侨乡文旅" in member.get("/duties/meetings/").content.decode()
    r = member.post(f"/duties/meetings/{m.pk}/respond/", {"attend": "0", "reason": "在外地出差"})
    assert r.status_code == 302
    inv = Invitee.objects.get(meeting=m, member=world.members[0])
    assert (inv.response, inv.leave_status, inv.leave_reason) == ("leave", "pending", "在外地出差")
    page = staff.get(f"/duties/meetings/{m.pk}/").content.decode()
    assert "在外地出差" in page and "批准" in page
    staff.post(f"/duties/meetings/{m.pk}/leave/{inv.pk}/", {"approve": "1"})
    inv.refresh_from_db()
    assert inv.leave_status == "approved"
    # a unit clerk sees nothing
    assert client_for(world.user("clerk0")).get(f"/duties/meetings/{m.pk}/").status_code == 404


def test_qr_svg_and_check_in_page(world: World) -> None:
    m = meeting(world)
    staff = client_for(world.user("staff"))
    svg = staff.get(f"/duties/meetings/{m.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client_for(world.user("member0")).get(f"/duties/meetings/{m.pk}/qr.svg").status_code == 404
    member = client_for(world.user("member0"))
    path = checkin_path(m)
    assert member.get(path).status_code == 200
    assert not CheckIn.objects.exists()  # GET writes nothing
    token = path.split("?t=")[1]
    r = member.post(f"/duties/meetings/{m.pk}/checkin/", {"t": token})
    assert "签到成功" in r.content.decode()
    r = member.post(f"/duties/meetings/{m.pk}/checkin/", {"t": token})
    assert "无需重复签到" in r.content.decode()
    r = member.post(f"/duties/meetings/{m.pk}/checkin/", {"t": "forged"})
    assert r.status_code == 400 and "无效" in r.content.decode()
    assert CheckIn.objects.count() == 1


def test_import_page_reports_the_row(world: World) -> None:
    m = meeting(world)
    staff = client_for(world.user("staff"))
    assert staff.get("/duties/attendance-template.xlsx").status_code == 200
    f = xlsx([["姓名", "出席情况"], ["张三", "出席"], ["李四", "出席"], ["查无此人", "出席"]])
    f.name = "sheet.xlsx"
    r = staff.post(f"/duties/meetings/{m.pk}/import/", {"file": f})
    html = r.content.decode()
    assert r.status_code == 400 and "查无此人" in html and "<td>4</td>" in html
    assert not CheckIn.objects.exists()


def test_check_in_page_shows_a_bad_code_at_once_and_hides_the_meeting_from_others(world: World) -> None:
    m = meeting(world, invite=2)
    member = client_for(world.user("member0"))
    r = member.get(f"/duties/meetings/{m.pk}/checkin/", {"t": "forged"})
    assert r.status_code == 400 and "签到二维码无效" in r.content.decode() and "确认签到" not in r.content.decode()
    # 王五 is not invited: the meeting is not found for him
    assert client_for(world.user("member2")).get(checkin_path(m)).status_code == 404


def test_scores_export_and_quarter_pages(record_world: World) -> None:
    import io

    from openpyxl import load_workbook

    from lvzhi.duties import actions as act
    from tests.duties.conftest import YEAR

    act.install_example(record_world.user("staff"), record_world.council, "tongcheng", activate=True)
    staff = client_for(record_world.user("staff"))
    wb = load_workbook(io.BytesIO(staff.get("/duties/scores.xlsx", {"year": YEAR}).content))
    rows = list(wb["排名"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [(1, "张三", 100, "合格"), (2, "李四", 52, "不合格"),
                                                        (3, "王五", 21.25, "不合格")]
    detail = [r for r in wb["明细"].iter_rows(min_row=2, values_only=True) if r[0] == "张三" and r[2] == "提案被立案"]
    assert [r[6] for r in detail] == [7.5, 15, 3.75]
    page = staff.get("/duties/scores/", {"year": YEAR, "quarter": 1}).content.decode()
    assert "2025年第1季度" in page and "95.00" in page
    bad = staff.get("/duties/scores/", {"year": YEAR, "quarter": 5}).content.decode()
    assert "季度「5」无效" in bad
    assert client_for(record_world.user("member0")).get("/duties/scores.xlsx").status_code == 404


def test_yearly_report_word_and_excel_charts(record_world: World) -> None:
    import io

    from docx import Document
    from openpyxl import load_workbook

    from lvzhi.duties import actions as act
    from tests.duties.conftest import YEAR

    act.install_example(record_world.user("staff"), record_world.council, "jinan", activate=True)
    leader = client_for(record_world.user("leader"))
    doc = Document(io.BytesIO(leader.get("/duties/report.docx", {"year": YEAR}).content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2025年度委员履职数读" in text
    box = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert box["会议活动"] == "8 场" and box["参会"] == "24 人次，出席率 37.5%"
    assert box["考评优秀"] == "1 人（33.3%）" and box["完成基本履职要求"] == "1 / 3 人"
    ranking = doc.tables[-1]
    assert [c.text for c in ranking.rows[1].cells] == ["1", "张三", "92.00", "优秀"]
    wb = load_workbook(io.BytesIO(leader.get("/duties/scores.xlsx", {"year": YEAR}).content))
    assert wb.sheetnames == ["数读", "排名", "明细"] and len(wb["数读"]._charts) == 2
    assert client_for(record_world.user("member0")).get("/duties/report.docx").status_code == 404


def test_rule_page_refuses_bad_input_in_chinese(world: World) -> None:
    from lvzhi.duties import actions as act

    rs = act.install_example(world.user("staff"), world.council, "tongcheng", activate=True)
    staff = client_for(world.user("staff"))
    for data, message in (({"item": "x", "version": rs.version}, "输入无效"),
                          ({"item": "0", "points": "五十", "version": rs.version}, "应为数字"),
                          ({"item": "0", "points": "50", "cap": "50", "version": rs.version - 1}, "已被他人修改")):
        page = staff.post(f"/duties/rules/{rs.pk}/", data, follow=True).content.decode()
        assert message in page, data
    rs.refresh_from_db()
    assert rs.version == 1


def test_staff_add_and_delete_items_and_set_grades_in_the_page(world: World) -> None:
    """Starting from Jinan: add 无故缺席常委会议 −5 (standing, unexcused), replace the grades, delete the
    item again; a band overlapping is refused with the reason and nothing changes."""
    from lvzhi.duties import actions as act
    from lvzhi.duties.models import RuleSet

    rs = act.install_example(world.user("staff"), world.council, "jinan", activate=True)
    staff = client_for(world.user("staff"))
    url = f"/duties/rules/{rs.pk}/"
    page = staff.post(url, {"op": "add", "version": 1, "label": "无故缺席常委会议", "group": "扣分事项",
                            "act_kind": "meeting", "conditions": "meeting_kind=standing; outcome=unexcused",
                            "points": "-5", "split": "full"}, follow=True).content.decode()
    # (PostgreSQL's jsonb keeps keys in its own order: either order of the two conditions is the same rule)
    assert "规则已保存" in page and ("meeting_kind=standing; outcome=unexcused" in page
                                 or "outcome=unexcused; meeting_kind=standing" in page)
    rs = RuleSet.objects.get(pk=rs.pk)
    item = rs.items.get(label="无故缺席常委会议")
    assert item.conditions == {"meeting_kind": "standing", "outcome": "unexcused"} and item.points == -5
    page = staff.post(url, {"op": "grades", "version": rs.version,
                            "grades": "优秀,85,\n称职,50,85\n不称职,,60"}, follow=True).content.decode()
    assert "分数段重叠" in page
    staff.post(url, {"op": "grades", "version": rs.version, "grades": "合格,60,\n不合格,,60"})
    rs.refresh_from_db()
    assert [(g.name, g.min_score, g.max_score) for g in rs.grades.all()] == [("合格", 60, None), ("不合格", None, 60)]
    index = list(rs.items.values_list("label", flat=True)).index("无故缺席常委会议")
    staff.post(url, {"op": "delete", "item": index, "version": rs.version})
    assert not RuleSet.objects.get(pk=rs.pk).items.filter(label="无故缺席常委会议").exists()
    bad = staff.post(url, {"op": "add", "version": rs.version + 1, "label": "x", "act_kind": "meeting",
                           "conditions": "outcome", "points": "1"}, follow=True).content.decode()
    assert "条件「outcome」应写成 属性=值。" in bad
