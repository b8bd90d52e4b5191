"""Online consultation (网络议政 / 云端协商, issue 9 item 2): staff open a topic's thread until a closing day and
its participants are told; participants (members abroad too: only the account matters) post their views;
others cannot; staff close it with a summary, which becomes the draft outcome; each post is an act of the
member's duty record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.core.models import Notification
from lvzhi.duties import actions as act
from lvzhi.duties import acts as registry
from lvzhi.duties.models import ConsultationTopic, TopicPost
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _topic(world: World) -> ConsultationTopic:
    staff = world.user("staff")
    year = timezone.localdate().year
    plan = act.create_plan(staff, world.council, year=year, title=f"{year}年度协商计划")
    return act.add_topic(staff, plan.pk, title="推进跨境电商发展", form="online", month=timezone.localdate().month,
                         participants=[(world.members[0], "lead"), (world.members[1], "member")])


def test_thread_from_opening_to_summary(world: World, django_capture_on_commit_callbacks: Any) -> None:
    topic = _topic(world)
    staff, today = world.user("staff"), timezone.localdate()
    zhang, li, wang = world.user("member0"), world.user("member1"), world.user("member2")

    with pytest.raises(DomainError) as err:  # not open yet
        act.post_to_thread(zhang, topic.pk, text="意见")
    assert err.value.field == "text"
    with pytest.raises(ForbiddenError):
        act.open_thread(zhang, topic.pk, closes_on=today + timedelta(days=7))
    with pytest.raises(DomainError) as err:
        act.open_thread(staff, topic.pk, closes_on=today - timedelta(days=1))
    assert err.value.field == "closes_on"
    with django_capture_on_commit_callbacks(execute=True):
        act.open_thread(staff, topic.pk, closes_on=today + timedelta(days=7))
    told = set(Notification.objects.filter(kind="consultation").values_list("recipient_id", flat=True))
    assert told == {zhang.pk, li.pk}  # the participants, not 王五

    act.post_to_thread(zhang, topic.pk, text="建议设立跨境电商公共海外仓。")
    act.post_to_thread(li, topic.pk, text="  建议简化出口退税流程。 ")
    with pytest.raises(NotFoundError):  # 王五 does not take part
        act.post_to_thread(wang, topic.pk, text="我也想说")
    with pytest.raises(DomainError, match="不能超过 2000 个字"):
        act.post_to_thread(zhang, topic.pk, text="长" * 2001)
    with pytest.raises(DomainError, match="请填写"):
        act.post_to_thread(zhang, topic.pk, text="   ")
    assert list(TopicPost.objects.order_by("id").values_list("member__name", "text")) == [
        ("张三", "建议设立跨境电商公共海外仓。"), ("李四", "建议简化出口退税流程。")]

    # Two posts of 张三 and 李四 are two acts in their records, dated today.
    posts = [(a.member_id, a.day) for a in registry.acts_of(world.council, today, today) if a.kind == "thread_post"]
    assert sorted(posts) == sorted([(world.members[0].pk, today), (world.members[1].pk, today)])

    with pytest.raises(DomainError) as err:
        act.summarise_thread(staff, topic.pk, summary=" ")
    assert err.value.field == "summary"
    act.summarise_thread(staff, topic.pk, summary="委员建议建设公共海外仓、简化退税。")
    topic.refresh_from_db()
    assert topic.outcome == "委员建议建设公共海外仓、简化退税。"  # the draft outcome
    with pytest.raises(DomainError, match="未开放"):  # closed by the summary
        act.post_to_thread(li, topic.pk, text="迟到的意见")


def test_thread_closes_after_its_last_day(world: World) -> None:
    topic = _topic(world)
    today = timezone.localdate()
    act.open_thread(world.user("staff"), topic.pk, closes_on=today)
    topic.refresh_from_db()
    assert act.thread_is_open(topic, today)
    assert not act.thread_is_open(topic, today + timedelta(days=1))


def test_pages_for_participant_staff_and_outsider(world: World) -> None:
    topic = _topic(world)
    url = f"/duties/consultations/{topic.pk}/"
    staff = _client(world.user("staff"))
    assert "开展网络议政" in staff.get(f"/duties/plans/{topic.plan_id}/").content.decode()
    bad = staff.post(url, {"action": "open", "closes_on": "2026-13-40"})
    assert bad.status_code == 400 and "请按 YYYY-MM-DD 填写截止日期。" in bad.content.decode()
    closes = timezone.localdate() + timedelta(days=3)
    assert staff.post(url, {"action": "open", "closes_on": closes.isoformat()}).status_code == 302

    zhang = _client(world.user("member0"))
    listing = zhang.get("/duties/consultations/").content.decode()
    assert "推进跨境电商发展" in listing and "进行中" in listing
    empty = zhang.post(url, {"action": "post", "text": ""})
    assert empty.status_code == 400 and "请填写「发言内容」。" in empty.content.decode()
    assert zhang.post(url, {"action": "post", "text": "支持设立海外仓。"}).status_code == 302
    assert "支持设立海外仓。" in zhang.get(url).content.decode()
    # A member cannot open or summarise; 王五 does not see the topic at all.
    assert zhang.post(url, {"action": "summarise", "summary": "x"}).status_code == 400
    wang = _client(world.user("member2"))
    assert wang.get(url).status_code == 404
    assert "推进跨境电商发展" not in wang.get("/duties/consultations/").content.decode()
    assert wang.get("/duties/consultations/not-a-number/").status_code == 404
    assert staff.post(url, {"action": "summarise", "summary": "综述：支持海外仓。"}).status_code == 302
    assert "综述：支持海外仓。" in zhang.get(url).content.decode()
