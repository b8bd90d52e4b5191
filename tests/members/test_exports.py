"""Excel exports of the organisation lists (members, handling units): the page's rows with its filters, for
the council's staff only."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.members import actions as org
from lvzhi.members.models import Member

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(response: Any) -> tuple[str, list[list[Any]]]:
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return ws.title, [list(r) for r in ws.iter_rows(values_only=True)]


def test_member_export(world: Any) -> None:
    staff = _client(world.user("staff"))
    url = reverse("org-members-xlsx", args=[world.council.pk])
    title, rows = _rows(staff.get(url))
    assert title == "委员名单"
    assert rows[0] == ["姓名", "性别", "届", "界别", "党派团体", "专门委员会", "联络组", "工作单位及职务", "联系电话", "在任"]
    # a plain loop over the council's members, by name
    assert [r[0] for r in rows[1:]] == [m.name for m in Member.objects.filter(council=world.council)
                                        .order_by("name", "id")]
    zhang = next(r for r in rows if r[0] == "张三")
    assert zhang[2:5] == ["第14届", "经济界", "民盟市委会"] and zhang[9] == "是"
    assert next(r for r in rows if r[0] == "李四")[4] is None  # no party group
    _, rows = _rows(staff.get(url, {"q": "张"}))
    assert [r[0] for r in rows[1:]] == ["张三"]
    page = staff.get(reverse("org-members", args=[world.council.pk]), {"q": "张"}).content.decode()
    assert f'href="{url}?q=%E5%BC%A0"' in page


def test_unit_export(world: Any) -> None:
    staff = _client(world.user("staff"))
    unit = world.units[0]
    org.save_unit(world.user("staff"), world.council, unit=unit, name=unit.name, doc_prefix="江发改",
                  categories="城乡建设、交通运输")
    org.set_unit_active(world.user("staff"), world.units[2], False)
    url = reverse("org-units-xlsx", args=[world.council.pk])
    title, rows = _rows(staff.get(url))
    assert title == "承办单位"
    assert rows[0] == ["单位名称", "简称", "常办分类", "发文机关代字", "答复函标注签发人", "启用", "经办账号数"]
    # active units by name (市交通运输局 before 市发展和改革局 in code-point order of 交 U+4EA4 < 发 U+53D1)
    assert [r[0] for r in rows[1:]] == ["市交通运输局", "市发展和改革局"]
    dev = rows[2]
    assert dev[2:7] == ["城乡建设、交通运输", "江发改", "否", "是", 2]  # clerk0 and head0
    _, rows = _rows(staff.get(url, {"show": "all"}))
    assert [r[0] for r in rows[1:]] == ["市交通运输局", "市发展和改革局", "市教育局"]
    assert rows[3][5] == "否"


def test_members_and_units_cannot_export_the_org_lists(world: Any) -> None:
    for name in ("member0", "clerk0", "leader"):
        client = _client(world.user(name))
        assert client.get(reverse("org-members-xlsx", args=[world.council.pk])).status_code == 404
        assert client.get(reverse("org-units-xlsx", args=[world.council.pk])).status_code == 404


def test_unit_form_sets_the_document_prefix_and_refuses_a_bad_one(world: Any) -> None:
    staff = _client(world.user("staff"))
    unit = world.units[0]
    url = reverse("org-unit-edit", args=[world.council.pk, unit.pk])
    form = {"name": unit.name, "short_name": "", "categories": "", "active": "on", "doc_prefix": "江发改",
            "doc_signer": "on"}
    assert staff.get(url).status_code == 200
    assert staff.post(url, form).status_code == 302
    unit.refresh_from_db()
    assert (unit.doc_prefix, unit.doc_signer) == ("江发改", True)
    response = staff.post(url, {**form, "doc_prefix": "江发改〔2026〕"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "发文机关代字" in page and "年份〔2026〕和序号由系统在签发时编排" in page
    unit.refresh_from_db()
    assert unit.doc_prefix == "江发改"  # nothing lost, nothing half-saved
