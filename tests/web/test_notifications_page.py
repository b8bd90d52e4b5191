"""The notifications page for someone with 100+ unread: filter by kind (named in Chinese, counted), only the
unread ones, and mark read all of them or those of one kind."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lvzhi.core.models import Notification

pytestmark = pytest.mark.django_db


def _flood(user) -> None:
    Notification.objects.bulk_create(
        [Notification(recipient=user, kind="reminder", text=f"提案第{i}号即将到期") for i in range(90)]
        + [Notification(recipient=user, kind="submitted", text=f"新提案待审查：第{i}件") for i in range(30)]
        + [Notification(recipient=user, kind="assigned", text="已读的交办通知")])
    Notification.objects.filter(kind="assigned").update(read_at="2026-01-05T08:00:00+08:00")


def _unread(user, kind: str | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return (qs.filter(kind=kind) if kind else qs).count()


def test_filter_by_kind_and_unread(world, login):
    staff = world.user("staff")
    _flood(staff)
    client = login("staff")
    html = client.get(reverse("notifications")).content.decode()
    # the kinds the user has, in Chinese with counts, never the stored key
    assert "期限提醒（90 条未读／共 90 条）" in html and "新案件待审查（30 条未读／共 30 条）" in html
    assert "交办（0 条未读／共 1 条）" in html and ">reminder<" not in html
    page = client.get(reverse("notifications"), {"kind": "submitted"}).content.decode()
    assert page.count('class="note unread"') == 30 and "即将到期" not in page
    page = client.get(reverse("notifications"), {"kind": "assigned"}).content.decode()
    assert page.count('<li class="note') == 1 and "已读的交办通知" in page
    page = client.get(reverse("notifications"), {"unread": "1"}).content.decode()
    assert page.count('class="note unread"') == 50 and "已读的交办通知" not in page  # 120 unread, 50 a page
    assert re.search(r'href="\?unread=1&amp;page=2"', page)
    # an unknown kind is ignored (all shown), not an error
    assert client.get(reverse("notifications"), {"kind": "nonsense"}).status_code == 200


def test_mark_read_one_kind_then_all(world, login):
    staff = world.user("staff")
    _flood(staff)
    client = login("staff")
    page = client.get(reverse("notifications"), {"kind": "reminder"}).content.decode()
    assert "「期限提醒」90 条全部标为已读" in page
    response = client.post(reverse("notifications"), {"kind": "reminder"})
    assert response.status_code == 302 and response.url == "/notifications/?kind=reminder"
    assert (_unread(staff, "reminder"), _unread(staff, "submitted")) == (0, 30)
    assert "已将 90 条通知标为已读" in client.get(response.url).content.decode()
    assert "全部标为已读（30 条）" in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notifications"))
    assert _unread(staff) == 0
    # someone else's notifications are untouched
    other = world.user("leader")
    Notification.objects.create(recipient=other, kind="reminder", text="领导的提醒")
    client.post(reverse("notifications"), {"kind": "reminder"})
    assert _unread(other) == 1


def test_every_kind_sent_has_a_name():
    import ast
    from pathlib import Path

    from lvzhi.core.notification_kinds import KIND_LABELS

    kinds: set[str] = set()
    for path in (Path(__file__).resolve().parents[2] / "lvzhi").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "notify"
                    and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)):
                kinds.add(node.args[1].value)
    assert {"assigned", "reminder", "message_routed"} <= kinds  # the walk finds the senders
    assert not sorted(kinds - set(KIND_LABELS))
