"""The station pages through Django's test client: public list and page, portal matter, staff forms (bad input
re-rendered in Chinese, no 500), a reception with two matters, triage steps, rota, themes, rating, figures."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.stations import importing
from lvzhi.stations.models import Matter, Reception, RotaTurn, Station, StationRating
from lvzhi.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_public_pages_and_a_portal_matter(world: Any) -> None:
    anon = Client()
    assert anon.get("/stations/").status_code == 200
    page = anon.get(f"/stations/{world.central.pk}/")
    assert page.status_code == 200 and "陈代表" in page.content.decode()
    bad = anon.post(f"/stations/{world.central.pk}/", {"content": ""})
    assert bad.status_code == 400 and "请填写「反映内容」" in bad.content.decode()
    ok = anon.post(f"/stations/{world.central.pk}/", {"content": "公园路灯不亮", "visitor_contact": "138"})
    assert ok.status_code == 200
    m = Matter.objects.get()
    assert m.tracking_code in ok.content.decode()
    found = anon.get(f"/stations/lookup/?code={m.tracking_code}")
    assert "公园路灯不亮" in found.content.decode() and "138" not in found.content.decode()
    assert anon.get("/stations/lookup/?code=NOPE").status_code == 404
    assert anon.get("/stations/999999/").status_code == 404
    assert anon.get("/stations/criteria/").status_code == 200
    assert anon.get("/stations/manage/").status_code == 302  # to the login


def test_staff_create_a_station_and_import(world: Any) -> None:
    staff = client_for(world.user("staff"))
    bad = staff.post("/stations/new/", {"name": "外海联络站", "level": "ordinary", "district": "江海区", "town": "外海街道",
                                        "address": "   ", "active": "on"})
    assert bad.status_code == 400
    ok = staff.post("/stations/new/", {"name": "外海联络站", "level": "ordinary", "district": "江海区",
                                       "town": "外海街道", "address": "外海大道", "active": "on",
                                       "deputies": [world.npc.deputies[4].pk]})
    assert ok.status_code == 302
    s = Station.objects.get(name="外海联络站")
    assert list(s.deputies.all()) == [world.npc.deputies[4]]
    assert client_for(world.user("deputy0")).get("/stations/new/").status_code == 404
    template = staff.get("/stations/import/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    refused = staff.post("/stations/import/", {"file": io.BytesIO(b"junk")})
    assert refused.status_code == 400 and "Excel" in refused.content.decode()
    f = io.BytesIO(importing.template())
    f.name = "stations.xlsx"
    assert staff.post("/stations/import/", {"file": f}).status_code == 302  # the example row: one station
    assert Station.objects.filter(name=importing.EXAMPLE[0]).exists()


def test_rota_page_refuses_a_late_turn(world: Any) -> None:
    staff = client_for(world.station_staff)
    late = staff.post(f"/stations/{world.central.pk}/rota/", {
        "date": (timezone.localdate() + timedelta(days=1)).isoformat(), "half_day": "am",
        "deputies": [world.npc.deputies[0].pk]})
    assert late.status_code == 400 and "至少提前 2 天" in late.content.decode()
    ok = staff.post(f"/stations/{world.central.pk}/rota/", {
        "date": (timezone.localdate() + timedelta(days=2)).isoformat(), "half_day": "am",
        "deputies": [world.npc.deputies[0].pk]})
    assert ok.status_code == 302
    turn = RotaTurn.objects.get()
    assert "陈代表" in Client().get(f"/stations/{world.central.pk}/").content.decode()
    deputy = client_for(world.user("deputy0"))
    assert "已确认" not in deputy.get("/stations/my/").content.decode()
    deputy.post("/stations/my/", {"turn": turn.pk})
    assert turn.duty.get().confirmed_at is not None
    assert "已确认" in deputy.get("/stations/my/").content.decode()
    assert client_for(world.user("clerk0")).get(f"/stations/{world.central.pk}/rota/").status_code == 404


def test_reception_with_two_matters_and_triage_pages(world: Any) -> None:
    staff = client_for(world.station_staff)
    form = staff.get(f"/stations/{world.central.pk}/receptions/new/").content.decode()
    assert 'name="token"' in form
    data = {"date": timezone.localdate().isoformat(), "deputies": [world.npc.deputies[0].pk], "visitors": "2",
            "token": "t-1", "rows": "3",
            "m1-content": "小区路灯坏了", "m1-visitor_name": "王阿姨",
            "m2-content": "", "m2-visitor_name": "李先生"}
    bad = staff.post(f"/stations/{world.central.pk}/receptions/new/", data)
    assert bad.status_code == 400 and "第 2 件事项：请填写「反映内容」" in bad.content.decode()
    assert Reception.objects.count() == 0
    data["m2-content"] = "建议增开公交"
    assert staff.post(f"/stations/{world.central.pk}/receptions/new/", data).status_code == 302
    again = staff.post(f"/stations/{world.central.pk}/receptions/new/", data)  # the double submit
    assert again.status_code == 409 and "请勿重复提交" in again.content.decode()
    first, second = Matter.objects.order_by("id")
    page = staff.get(f"/stations/matters/{first.pk}/").content.decode()
    assert "当场答复" in page and "不予受理" in page
    no_reason = staff.post(f"/stations/matters/{first.pk}/do/decline/",
                           {"version": first.version, "decline-ground": "litigation", "decline-reason": ""})
    assert no_reason.status_code == 400 and "不予受理理由" in no_reason.content.decode()
    ok = staff.post(f"/stations/matters/{first.pk}/do/answer/", {"version": first.version,
                                                                  "answer-answer": "已联系物业维修"})
    assert ok.status_code == 302
    stale = staff.post(f"/stations/matters/{first.pk}/do/feedback/", {
        "version": first.version, "feedback-to_citizen": "已告知", "feedback-to_deputy": "已告知"})
    assert stale.status_code == 409
    # the council's staff turn the second into the deputy's draft suggestion
    council_staff = client_for(world.user("staff"))
    conv = council_staff.post(f"/stations/matters/{second.pk}/do/convert/", {
        "version": second.version, "convert-deputy": world.npc.deputies[0].pk, "convert-title": "关于增开公交的建议"})
    assert conv.status_code == 302
    s = Suggestion.objects.get()
    assert s.station_matters.get() == second
    assert client_for(world.user("clerk0")).get(f"/stations/matters/{second.pk}/").status_code == 404


def test_themes_rating_and_figures_pages(world: Any) -> None:
    staff = client_for(world.user("staff"))
    bad = staff.post("/stations/themes/", {"title": "代表进站月", "start": "2026-05-31", "end": "2026-05-01"})
    assert bad.status_code == 400 and "结束日期" in bad.content.decode()
    assert staff.post("/stations/themes/", {"title": "代表进站月", "start": "2026-05-01",
                                            "end": "2026-05-31"}).status_code == 302
    page = staff.get(f"/stations/{world.central.pk}/rate/")
    assert page.status_code == 200
    from lvzhi.stations.models import RatingCriterion
    crits = list(RatingCriterion.objects.filter(council=world.npc.council))
    data: dict[str, Any] = {"year": "2026"}
    for c in crits:
        data[f"score-{c.pk}"] = str(c.max_points)
        data[f"evidence-{c.pk}"] = "现场查看"
    data[f"evidence-{crits[0].pk}"] = ""
    missing = staff.post(f"/stations/{world.central.pk}/rate/", data)
    assert missing.status_code == 400 and "佐证材料" in missing.content.decode()
    data[f"evidence-{crits[0].pk}"] = "照片 3 张"
    assert staff.post(f"/stations/{world.central.pk}/rate/", data).status_code == 302
    assert StationRating.objects.get().stars == 5
    assert staff.get("/stations/figures/?from=2026-01-01&to=2026-12-31").status_code == 200
    assert staff.get("/stations/figures/?from=bad").status_code == 200
    assert client_for(world.user("deputy0")).get("/stations/figures/").status_code == 404
    assert client_for(world.user("leader")).get("/stations/figures/").status_code == 200


def test_the_inbox_lists_what_waits_at_the_stations(world: Any) -> None:
    from lvzhi.core.inbox import inbox_items
    from lvzhi.stations import actions as st

    r = st.register_reception(world.station_staff, world.central, date=timezone.localdate(),
                              deputies=[world.npc.deputies[0]], visitors=1,
                              matters=[{"content": "路灯坏了"}, {"content": "公交太少"}])
    first, second = r.matters.order_by("id")
    st.refer(world.station_staff, first.pk, to="town", referred_to="白沙街道")
    turn = st.publish_turn(world.user("staff"), world.central, date=timezone.localdate() + timedelta(days=2), half_day="am",
                           deputies=[world.npc.deputies[0]])

    def whats(user: Any) -> list[str]:
        return sorted(i.what for i in inbox_items(user) if i.source == "stations")

    assert whats(world.station_staff) == ["群众意见待分类处理", "转交事项待登记办理结果"]
    assert whats(world.user("deputy0")) == ["接待排班待确认", "群众意见待分类处理"]  # the result is the staff's
    assert whats(world.user("deputy3")) == []
    st.confirm_turn(world.user("deputy0"), turn.pk)
    st.answer_on_spot(world.user("deputy0"), second.pk, answer="已解释")
    assert whats(world.user("deputy0")) == ["群众意见待反馈"]
    assert client_for(world.station_staff).get("/").status_code == 200
