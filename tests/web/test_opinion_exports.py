"""Excel exports of the report and message lists: the rows the user may see with the page's filters, report
drafts only when asked, no citizen's name or contact in the file."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from lvzhi.opinions import actions as op

pytestmark = pytest.mark.django_db


def _rows(client, params):
    response = client.get(reverse("opinions-xlsx"), params)
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.worksheets[0]
    return ws.title, [[c.value for c in row] for row in ws.iter_rows()]


def test_report_and_message_exports(world, login):
    member = world.user("member0")
    draft = op.create_report(member, council=world.council, title="尚未报送的草稿", situation="情况", suggestion="建议")
    sent = op.create_report(member, council=world.council, title="关于老旧小区加装电梯的情况反映", situation="情况",
                            suggestion="建议")
    op.submit_report(member, sent.pk)
    op.create_report(world.user("member1"), council=world.council, title="李四的草稿", suggestion="建议")
    op.register_message(world.user("staff"), world.council, channel="letter", title="路灯不亮",
                        body="某路段路灯不亮，请修复。", submitter_name="陈先生", contact="13800138000",
                        place="蓬江区")
    title, rows = _rows(login("member0"), {"tab": "reports"})
    assert title == "社情民意信息" and rows[0][:4] == ["标题", "报送者", "报送者类型", "状态"]
    assert [r[0] for r in rows[1:]] == ["关于老旧小区加装电梯的情况反映"]  # own, submitted; no draft
    assert rows[1][1] == "张三" and rows[1][4] is not None
    _, rows = _rows(login("member0"), {"tab": "reports", "drafts": "1"})
    assert sorted(r[0] for r in rows[1:]) == sorted([draft.title, sent.title])  # not 李四's draft
    title, rows = _rows(login("staff"), {"tab": "messages"})
    assert title == "群众意见" and rows[0][:3] == ["标题", "渠道", "分类"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [("路灯不亮", "来信", "蓬江区")]
    flat = " ".join(str(v) for r in rows for v in r)
    assert "陈先生" not in flat and "13800138000" not in flat
    # a member sees no messages: an empty list, not an error
    _, rows = _rows(login("member0"), {"tab": "messages"})
    assert rows == [rows[0]]
    # the list page links the export of its tab
    html = login("staff").get(reverse("opinions-home"), {"tab": "messages"}).content.decode()
    assert f'href="{reverse("opinions-xlsx")}?tab=messages"' in html
