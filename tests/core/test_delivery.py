"""Notifications outside the app (issue 11, item 7): e-mail at once or as a daily digest, SMS through an HTTP
gateway, each user's choice on /notifications/settings/.

Real parts: a real SMTP server (aiosmtpd) on a local port receives the mail through Django's SMTP backend, and
a real HTTP server on a local port plays the SMS gateway. Expected subjects and bodies are written by hand
from the rule (what the user chose, which notifications are unread, which kinds are quiet).
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from lvzhi.core import audit, delivery
from lvzhi.core.models import AuditEntry, Notification, NotificationDelivery, NotificationPreference
from tests.mailservers import free_port
from tests.mailservers import subject as _subject

PASSWORD = "Lvzhi-test-2026"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _user(name: str, mail: str = "") -> Any:
    return get_user_model().objects.create_user(username=name, password=PASSWORD, email=mail)


def _note(user: Any, kind: str, text: str, *, read: bool = False, url: str = "") -> Notification:
    return Notification.objects.create(recipient=user, kind=kind, text=text, url=url,
                                       read_at=timezone.now() if read else None)


def _prefer(user: Any, **values: Any) -> NotificationPreference:
    return NotificationPreference.objects.create(user=user, **values)


@pytest.mark.django_db
def test_daily_digest_lists_unread_outside_quiet_kinds_once(smtp):
    staff = _user("staff-digest", "staff@council.example")
    _prefer(staff, email_mode="daily", quiet_kinds=["reminder"])
    _note(staff, "assigned", "提案第 12 号已交办给您单位")
    _note(staff, "assigned", "提案第 15 号已交办给您单位")
    _note(staff, "replied", "提案第 3 号已收到答复", url="/proposals/3/")
    _note(staff, "rated", "已读的评价通知", read=True)
    _note(staff, "reminder", "静默类型的期限提醒")
    other = _user("nobody", "nobody@council.example")  # never chose e-mail: gets nothing
    _note(other, "assigned", "不应发出")

    counts = delivery.send_digests()

    assert (counts.digests, counts.failed) == (1, 0)
    smtp.wait(1)
    assert smtp.recipients == [["staff@council.example"]]
    msg = smtp.messages[0]
    assert _subject(msg) == f"【履职】您有 3 条未读通知（{timezone.localdate():%Y-%m-%d}）"
    body = msg.get_content()
    assert "交办（2 条）" in body and "收到答复（1 条）" in body
    assert body.index("交办（2 条）") < body.index("收到答复（1 条）")  # the kind with most first
    for text in ("提案第 12 号已交办给您单位", "提案第 15 号已交办给您单位", "提案第 3 号已收到答复"):
        assert text in body
    assert "已读的评价通知" not in body and "静默类型的期限提醒" not in body and "不应发出" not in body
    assert "https://lvzhi.example.gov.cn/notifications/?unread=1" in body

    # A second run the same day has nothing new: no mail.
    assert delivery.send_digests().digests == 0
    # A new notification goes into tomorrow's digest, alone.
    _note(staff, "closed", "提案第 12 号已办结")
    assert delivery.send_digests().digests == 1
    smtp.wait(2)
    assert _subject(smtp.messages[1]).startswith("【履职】您有 1 条未读通知")


@pytest.mark.django_db
def test_instant_email_and_sms_each_once_and_quiet_kinds_stay_in_app(smtp, gateway):
    deputy = _user("deputy-instant", "deputy@council.example")
    _prefer(deputy, email_mode="instant", sms_mode="instant", phone="13800138000", quiet_kinds=["reminder"])
    a = _note(deputy, "replied", "您的建议第 7 号已收到答复", url="/suggestions/7/")
    _note(deputy, "reminder", "提醒：只在系统内")

    counts = delivery.deliver_instant()

    assert (counts.emails, counts.sms, counts.failed) == (1, 1, 0)
    smtp.wait(1)
    assert _subject(smtp.messages[0]) == "【履职】收到答复"
    assert smtp.messages[0].get_content().replace("\r\n", "\n").strip() == (
        "您的建议第 7 号已收到答复\nhttps://lvzhi.example.gov.cn/suggestions/7/")
    assert gateway.posts == [({"to": "13800138000", "text": "【履职】您的建议第 7 号已收到答复"}, "Bearer gw-secret")]
    assert set(NotificationDelivery.objects.filter(notification=a).values_list("channel", flat=True)) == {"email", "sms"}
    # Repeated: nothing is sent twice.
    assert delivery.deliver_instant() == delivery.DeliveryCounts()
    assert len(smtp.messages) == 1 and len(gateway.posts) == 1


@pytest.mark.django_db
def test_gateway_failure_is_recorded_and_retried_never_raised(gateway):
    deputy = _user("deputy-sms")
    _prefer(deputy, sms_mode="instant", phone="13900139000")
    note = _note(deputy, "assigned", "建议第 9 号已交办")
    gateway.status = 503

    counts = delivery.deliver_instant([note.pk])

    assert (counts.sms, counts.failed) == (0, 1)
    row = NotificationDelivery.objects.get(notification=note, channel="sms")
    assert (row.sent_at, row.attempts, row.error) == (None, 1, "HTTP 503")
    # The gateway is back: the next run (the command) sends it.
    gateway.status = 200
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert "短信 1 条" in out.getvalue()
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2
    assert len(gateway.posts) == 2


@pytest.mark.django_db
def test_unreachable_smtp_server_loses_nothing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    staff = _user("staff-down", "down@council.example")
    _prefer(staff, email_mode="daily")
    note = _note(staff, "assigned", "提案第 1 号已交办")

    for _ in range(delivery.MAX_ATTEMPTS + 1):
        delivery.send_digests()

    row = NotificationDelivery.objects.get(notification=note, channel="digest")
    assert row.sent_at is None and row.attempts == delivery.MAX_ATTEMPTS and row.error
    assert Notification.objects.get(pk=note.pk).read_at is None  # still unread in the app


@pytest.mark.django_db(transaction=True)
def test_an_act_notifying_a_user_who_chose_instant_mail_reaches_the_smtp_server(smtp):
    clerk = _user("clerk-instant", "clerk@unit.example")
    _prefer(clerk, email_mode="instant")
    with transaction.atomic():
        audit.notify([clerk], "assigned", "提案第 21 号已交办给您单位", url="/proposals/21/")
    smtp.wait(1)
    assert [_subject(m) for m in smtp.messages] == ["【履职】交办"]
    assert smtp.recipients == [["clerk@unit.example"]]


@pytest.mark.django_db
def test_settings_page_saves_choices_and_names_the_missing_field():
    user = _user("member-prefs")  # no e-mail on the account
    client = Client()
    client.force_login(user)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200 and "每日汇总一封" in page.content.decode()

    bad = client.post("/notifications/settings/", {"email_mode": "daily", "email": "", "sms_mode": "instant",
                                                   "phone": "12345"})
    text = bad.content.decode()
    assert bad.status_code == 422
    assert "选择邮件通知时须填写电子邮箱。" in text and "手机号码应为 11 位数字，以 1 开头。" in text
    assert not NotificationPreference.objects.filter(user=user).exists()

    ok = client.post("/notifications/settings/", {"email_mode": "daily", "email": "me@example.org",
                                                  "sms_mode": "off", "phone": "", "quiet_kinds": ["reminder"]})
    assert ok.status_code == 302
    pref = NotificationPreference.objects.get(user=user)
    assert (pref.email_mode, pref.email, pref.sms_mode, pref.quiet_kinds) == ("daily", "me@example.org", "off",
                                                                            ["reminder"])
    entry = AuditEntry.objects.get(event="notification_preference_changed")
    assert entry.actor_id == user.pk and entry.new_values == {"fields": ["email", "email_mode", "quiet_kinds"]}
    assert "me@example.org" not in json.dumps(entry.new_values)


@pytest.mark.django_db
def test_command_without_channels_says_so():
    out = io.StringIO()
    call_command("send_notifications", "--digest", stdout=out)
    assert "未配置邮件服务器" in out.getvalue()
