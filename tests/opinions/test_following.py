"""A citizen follows their message by its tracking code, with no account, and is told by e-mail when the unit's
reply is signed off (issue 11, item 9). A real SMTP server (aiosmtpd) receives the notice; the expected text is
written from the rule: the message's title, the day of the reply, and the lookup link carrying the code."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.opinions import actions as act
from lvzhi.opinions.following import MAX_FOLLOWERS, follow_message
from lvzhi.opinions.models import MessageFollow
from tests.mailservers import free_port, subject


def _answer(world, message) -> None:
    act.route_message(world.user("staff"), message.pk, unit=world.units[0])
    act.draft_message_reply(world.user("clerk0"), message.pk, text="路灯已于本周修复。")
    with transaction.atomic():
        act.sign_off_message_reply(world.user("head0"), message.pk)


@pytest.mark.django_db(transaction=True)
def test_follower_gets_one_mail_when_answered_and_the_address_is_then_forgotten(world, smtp):
    message = act.submit_portal_message(world.council, title="幸福路路灯不亮", body="幸福路 3 盏路灯不亮。")
    code = message.tracking_code
    public = Client()
    page = public.get(reverse("portal-lookup"), {"code": code})
    assert "答复后邮件通知我" in page.content.decode()
    resp = public.post(reverse("portal-lookup"), {"code": code, "email": " Citizen@Example.org "})
    assert resp.status_code == 302
    public.post(reverse("portal-lookup"), {"code": code, "email": "citizen@example.org"})  # twice: one follow
    assert list(MessageFollow.objects.values_list("email", flat=True)) == ["citizen@example.org"]

    _answer(world, message)
    smtp.wait(1)

    assert smtp.recipients == [["citizen@example.org"]]
    assert subject(smtp.messages[0]) == "【留言答复】您关注的留言已答复：幸福路路灯不亮"
    body = smtp.messages[0].get_content().replace("\r\n", "\n")
    assert f"您的留言「幸福路路灯不亮」已于 {timezone.localdate():%Y-%m-%d} 答复。" in body
    assert f"请凭查询码 {code} 查看答复并评价：https://lvzhi.example.gov.cn/portal/lookup/?code={code}" in body
    follow = MessageFollow.objects.get()
    assert follow.notified_at is not None and follow.email == ""  # personal data not kept once used
    # The answered page offers no more follow form; a late follow is refused with a reason.
    assert "答复后邮件通知我" not in public.get(reverse("portal-lookup"), {"code": code}).content.decode()
    with pytest.raises(DomainError, match="已答复") as err:
        follow_message(code, email="late@example.org")
    assert err.value.field == "email"


@pytest.mark.django_db
def test_bad_follow_requests_get_a_reason_and_store_nothing(world, settings):
    settings.EMAIL_HOST = "127.0.0.1"
    message = act.submit_portal_message(world.council, title="噪音", body="夜间施工。")
    public = Client()
    resp = public.post(reverse("portal-lookup"), {"code": message.tracking_code, "email": "not-an-address"})
    assert resp.status_code == 400 and "请填写有效的电子邮箱地址。" in resp.content.decode()
    assert public.post(reverse("portal-lookup"), {"code": "NOSUCHCODE12", "email": "a@b.cn"}).status_code == 404
    with pytest.raises(NotFoundError):
        follow_message("", email="a@b.cn")
    assert not MessageFollow.objects.exists()
    for i in range(MAX_FOLLOWERS):
        follow_message(message.tracking_code, email=f"p{i}@example.org")
    with pytest.raises(DomainError, match=f"最多 {MAX_FOLLOWERS} 个邮箱"):
        follow_message(message.tracking_code, email="one-more@example.org")
    assert MessageFollow.objects.count() == MAX_FOLLOWERS


@pytest.mark.django_db
def test_a_notice_that_failed_is_sent_by_the_next_run(world, settings, smtp):
    message = act.submit_portal_message(world.council, title="积水", body="下雨积水。")
    follow_message(message.tracking_code, email="wait@example.org")
    live_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # the mail server is down when the reply is signed off
    act.route_message(world.user("staff"), message.pk, unit=world.units[0])
    act.draft_message_reply(world.user("clerk0"), message.pk, text="已疏通。")
    act.sign_off_message_reply(world.user("head0"), message.pk)
    from lvzhi.opinions.following import notify_followers

    assert notify_followers(message.pk) == 0
    assert MessageFollow.objects.get().attempts == 1
    settings.EMAIL_PORT = live_port
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert "邮件 1 封" in out.getvalue()
    smtp.wait(1)
    assert smtp.recipients == [["wait@example.org"]]
