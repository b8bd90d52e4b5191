"""Citizens' messages: the public portal, staff intake, routing, unit replies, masking, ratings, rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.audit import timeline
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.opinions import actions as act
from lvzhi.opinions.access import access_message, message_by_code, public_messages
from lvzhi.opinions.models import Message
from lvzhi.opinions.ratelimit import rate
from tests.states import state_code

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID_NUMBER = "430102198801012345"


def _post(client, **data):
    values = {"title": "小区路灯不亮", "body": "A市B区幸福小区路灯坏了三个月。", "place": "幸福小区", "contact": ""}
    ip = data.pop("ip", "10.0.0.1")
    values.update(data)
    return client.post(reverse("portal"), values, REMOTE_ADDR=ip)


def test_citizen_portal_to_masked_publication_and_rating(world, today):
    citizen = Client(enforce_csrf_checks=True)
    page = citizen.get(reverse("portal"))
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    body = f"我叫张小明，电话{PHONE}，身份证{ID_NUMBER}，幸福小区路灯坏了。"
    resp = citizen.post(reverse("portal"), {"title": "路灯不亮", "body": body, "place": "幸福小区",
                                            "contact": PHONE, "csrfmiddlewaretoken": token})
    assert resp.status_code == 200
    message = Message.objects.get()
    code = message.tracking_code
    assert len(code) == 12 and code in resp.content.decode()
    assert message.anonymous and message.channel == "portal" and message.contact == PHONE
    assert message_by_code(code.lower()) == message
    # Without the CSRF token the post is refused.
    assert Client(enforce_csrf_checks=True).post(reverse("portal"), {"title": "x", "body": "y"}).status_code == 403

    staff = world.user("staff")
    act.route_message(staff, message.pk, unit=world.units[1], category="城乡建设",
                      suggested={"category": "交通运输", "unit": world.units[0].name})
    message.refresh_from_db()
    assert message.state.code == state_code("routed") and message.deadline and message.deadline > today
    routed = next(e for e in timeline(message) if e.event == "routed")
    assert routed.new_values["suggested"] == {"category": "交通运输", "unit": world.units[0].name}
    assert routed.new_values["chosen"]["unit"] == world.units[1].pk
    assert routed.new_values["chosen"]["category"] == "城乡建设"
    with pytest.raises(NotFoundError):
        access_message(world.user("clerk0"), message.pk)
    with pytest.raises(ForbiddenError):
        act.draft_message_reply(world.user("clerk0"), message.pk, text="不是我们的")
    act.draft_message_reply(world.user("clerk1"), message.pk, text=f"已修复。如有问题请致电 {PHONE}。")
    with pytest.raises(ForbiddenError):
        act.sign_off_message_reply(world.user("clerk1"), message.pk)
    act.sign_off_message_reply(world.user("head1"), message.pk)
    message.refresh_from_db()
    assert message.state.code == state_code("replied") and message.reply_unit == world.units[1] and message.replied_at
    assert not public_messages().exists()
    act.publish_message(staff, message.pk)

    public = Client()
    listing = public.get(reverse("portal")).content.decode()
    detail = public.get(reverse("portal-message", args=[message.pk])).content.decode()
    lookup = public.get(reverse("portal-lookup"), {"code": code}).content.decode()
    for page_text in (listing, detail, lookup):
        assert PHONE not in page_text and ID_NUMBER not in page_text and "张小明" not in page_text
        assert "路灯不亮" in page_text
    assert "139****5678" in detail and "已修复" in detail

    resp = public.post(reverse("portal-lookup"), {"code": code, "rating": "great"})
    assert resp.status_code == 400 and "满意" in resp.content.decode()
    resp = public.post(reverse("portal-lookup"), {"code": code, "rating": "satisfied"})
    assert resp.status_code == 302
    message.refresh_from_db()
    assert message.rating == "satisfied" and message.state.code == state_code("closed")
    with pytest.raises(DomainError, match="已评价"):
        act.rate_message(code, rating="unsatisfied")
    with pytest.raises(NotFoundError):
        act.rate_message("WRONGCODE123", rating="satisfied")
    assert public.get(reverse("portal-lookup"), {"code": "NOPE"}).status_code == 404


def test_unsatisfied_rating_and_rehandling_and_send_back(world):
    staff = world.user("staff")
    message = act.submit_portal_message(world.council, title="噪音扰民", body="工地夜间施工。")
    act.route_message(staff, message.pk, unit=world.units[0])
    with pytest.raises(DomainError) as err:
        act.return_message(world.user("clerk0"), message.pk, reason=" ")
    assert err.value.field == "reason"
    act.return_message(world.user("clerk0"), message.pk, reason="不属于本单位职责")
    message.refresh_from_db()
    assert message.state.code == state_code("received") and message.unit is None
    act.route_message(staff, message.pk, unit=world.units[2])
    act.draft_message_reply(world.user("clerk2"), message.pk, text="已责令停工。")
    act.sign_off_message_reply(world.user("head2"), message.pk)
    act.rate_message(message.tracking_code, rating="unsatisfied")
    message.refresh_from_db()
    assert message.state.code == state_code("replied") and message.rating == "unsatisfied"
    with pytest.raises(DomainError):  # re-handling needs a reason
        act.route_message(staff, message.pk, unit=world.units[2])
    act.route_message(staff, message.pk, unit=world.units[2], comment="群众不满意，请重新办理")
    message.refresh_from_db()
    assert message.state.code == state_code("routed") and message.reply_status == ""


def test_staff_registers_letters_visits_and_enterprise_issues(world, client, today):
    staff = world.user("staff")
    letter = act.register_message(staff, world.council, channel="letter", title="來信：道路積水",
                                  body="雨天积水严重🌧️", submitter_name="王大妈", contact="0750-1234567")
    assert letter.title == "來信：道路積水" and letter.body == "雨天积水严重🌧️" and not letter.anonymous
    with pytest.raises(DomainError) as err:
        act.register_message(staff, world.council, channel="enterprise", title="用电报装慢", body="报装三个月未通电")
    assert err.value.field == "enterprise_name"
    ent = act.register_message(staff, world.council, channel="enterprise", title="用电报装慢", body="报装三个月",
                               enterprise_name="某某科技公司", member=world.members[0], visit_leader="李副市长")
    assert ent.channel == "enterprise" and ent.member == world.members[0]
    with pytest.raises(ForbiddenError):
        act.register_message(world.user("member0"), world.council, channel="letter", title="x", body="y")
    client.force_login(staff)
    resp = client.post(reverse("opinions-message-new"), {"channel": "visit", "title": "", "body": "来访内容保留"})
    assert resp.status_code == 400 and "请填写「标题」" in resp.content.decode()
    assert "来访内容保留" in resp.content.decode()
    resp = client.post(reverse("opinions-message-new"), {"channel": "visit", "title": "来访", "body": "内容",
                                                         "received_on": today.isoformat()})
    visit = Message.objects.get(channel="visit")
    assert resp.status_code == 302 and timezone.localdate(visit.submitted_at) == today
    page = client.get(reverse("opinions-message", args=[visit.pk])).content.decode()
    assert "推荐分类与承办单位" in page and "相似案件" in page
    resp = client.post(reverse("opinions-message-act", args=[visit.pk]),
                       {"action": "route", "unit": world.units[0].pk,
                        "deadline": (today - timedelta(days=1)).isoformat()})
    assert resp.status_code == 400 and "不能早于今天" in resp.content.decode()
    resp = client.post(reverse("opinions-message-act", args=[visit.pk]),
                       {"action": "route", "unit": world.units[0].pk, "category": "城乡建设",
                        "deadline": (today + timedelta(days=30)).isoformat()})
    assert resp.status_code == 302
    visit.refresh_from_db()
    assert visit.deadline == today + timedelta(days=30) and visit.state_deadline == visit.deadline
    listing = client.get(reverse("opinions-home"), {"tab": "messages", "channel": "visit"}).content.decode()
    assert "来访" in listing and "用电报装慢" not in listing
    client.force_login(world.user("clerk0"))
    assert client.get(reverse("opinions-message", args=[visit.pk])).status_code == 200
    assert client.get(reverse("opinions-message", args=[letter.pk])).status_code == 404
    client.force_login(world.user("member0"))
    assert client.get(reverse("opinions-message-new")).status_code == 404


def test_portal_bad_input_keeps_fields_and_accepts_any_script(world):
    client = Client()
    resp = _post(client, title="", body="内容保留在表单里")
    text = resp.content.decode()
    assert resp.status_code == 400 and "请填写「标题」" in text and "内容保留在表单里" in text
    resp = _post(client, body="  ")
    assert resp.status_code == 400 and "请填写「内容」" in resp.content.decode()
    resp = _post(client, title="很长的留言", body="长" * 100_000, place="保留的地点")
    text = resp.content.decode()
    assert resp.status_code == 400 and "5000" in text and "保留的地点" in text and "很长的留言" in text
    assert Message.objects.count() == 0
    resp = _post(client, title="燈壞了 💡", body="繁體字與表情🙂都應保存")
    assert resp.status_code == 200
    m = Message.objects.get()
    assert (m.title, m.body) == ("燈壞了 💡", "繁體字與表情🙂都應保存")


def test_portal_rate_limit_per_address(world):
    client = Client()
    limit, _window = rate()
    for i in range(limit):
        assert _post(client, title=f"留言{i}").status_code == 200
    resp = _post(client, title="第六条", body="刷屏内容")
    text = resp.content.decode()
    assert resp.status_code == 429 and "提交过于频繁" in text and f"最多提交 {limit} 条" in text
    assert "刷屏内容" in text  # the refused text stays in the form
    assert Message.objects.count() == limit  # the earlier ones are all kept
    assert set(Message.objects.values_list("title", flat=True)) == {f"留言{i}" for i in range(limit)}
    assert _post(client, title="另一个地址", ip="10.0.0.2").status_code == 200
