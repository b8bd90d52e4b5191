"""The station registry: maintained by the council's staff (permission, audit, version), imported from Excel
as a whole file (a bad row reported with its number, nothing imported), shown publicly by district."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.core.models import AuditEntry
from lvzhi.stations import actions as st
from lvzhi.stations import importing
from lvzhi.stations.models import Station
from lvzhi.stations.queries import stations_by_district

pytestmark = pytest.mark.django_db

FIELDS = dict(level="ordinary", district="江海区", town="外海街道", address="外海大道 2 号")


def test_staff_create_and_edit_a_station_with_audit(world: Any) -> None:
    staff = world.user("staff")
    s = st.save_station(staff, world.npc.council, name="外海街道联络站", deputies=[world.npc.deputies[4]], **FIELDS)
    assert list(s.deputies.all()) == [world.npc.deputies[4]]
    entry = AuditEntry.objects.filter(target_id=s.pk, event="station_created").get()
    assert entry.new_values["name"] == "外海街道联络站"
    st.save_station(staff, world.npc.council, station=s, expected_version=1, name="外海街道联络站",
                    **{**FIELDS, "address": "外海大道 20 号"})
    s.refresh_from_db()
    assert (s.address, s.version) == ("外海大道 20 号", 2)
    edited = AuditEntry.objects.get(target_id=s.pk, event="station_edited")
    assert edited.old_values == {"address": "外海大道 2 号"} and edited.new_values == {"address": "外海大道 20 号"}
    with pytest.raises(ConflictError):  # an edit from the first version is stale now
        st.save_station(staff, world.npc.council, station=s, expected_version=1, name="外海街道联络站", **FIELDS)


def test_wrong_role_and_bad_input_are_refused(world: Any) -> None:
    for who in ("deputy0", "clerk0", "leader"):
        with pytest.raises(ForbiddenError):
            st.save_station(world.user(who), world.npc.council, name="某站", **FIELDS)
    with pytest.raises(ForbiddenError):
        st.save_station(world.station_staff, world.npc.council, name="某站", **FIELDS)
    with pytest.raises(DomainError) as e:
        st.save_station(world.user("staff"), world.npc.council, name="某站", **{**FIELDS, "address": " "})
    assert e.value.field == "address" and "地址" in e.value.message
    with pytest.raises(DomainError) as e:
        st.save_station(world.user("staff"), world.npc.council, name="某站", **{**FIELDS, "level": "big"})
    assert e.value.field == "level"
    with pytest.raises(DomainError) as e:
        st.save_station(world.user("staff"), world.npc.council, name="白沙街道中心联络站", **FIELDS)
    assert e.value.field == "name" and "已有" in e.value.message
    assert Station.objects.filter(council=world.npc.council).count() == 2


def test_a_cppcc_council_has_no_liaison_stations(db: Any) -> None:
    from tests.conftest import build_world

    cppcc = build_world("某市政协")
    with pytest.raises(DomainError) as e:
        st.save_station(cppcc.user("staff"), cppcc.council, name="某站", **FIELDS)
    assert e.value.field == "council"


def _workbook(rows: list[list[Any]]) -> io.BytesIO:
    wb = load_workbook(io.BytesIO(importing.template()))
    ws = wb.active
    ws.delete_rows(2)  # the example row
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_import_from_the_template(world: Any) -> None:
    rows = [["荷塘镇联络站", "普通站", "蓬江区", "荷塘镇", "荷塘镇政府一楼", "每月10日", "区工作人员", "0750-1", "吴代表、周代表"],
            ["白沙街道中心联络站", "中心站", "蓬江区", "白沙街道", "白沙大道 100 号", "", "", "", "陈代表"]]
    result = importing.import_stations(world.user("staff"), world.npc.council, _workbook(rows))
    assert (result.created, result.updated) == (["荷塘镇联络站"], ["白沙街道中心联络站"])
    new = Station.objects.get(name="荷塘镇联络站")
    assert sorted(new.deputies.values_list("name", flat=True)) == ["吴代表", "周代表"]
    world.central.refresh_from_db()
    assert world.central.address == "白沙大道 100 号"
    assert list(world.central.deputies.values_list("name", flat=True)) == ["陈代表"]


def test_a_bad_row_imports_nothing_and_names_its_row(world: Any) -> None:
    rows = [["荷塘镇联络站", "普通站", "蓬江区", "荷塘镇", "荷塘镇政府一楼", "", "", "", "吴代表"],
            ["杜阮镇联络站", "大站", "蓬江区", "杜阮镇", "杜阮镇政府", "", "", "", ""],
            ["棠下镇联络站", "普通站", "蓬江区", "棠下镇", "", "", "", "", "不存在代表"],
            ["荷塘镇联络站", "普通站", "蓬江区", "荷塘镇", "另一处", "", "", "", ""]]
    with pytest.raises(importing.ImportRefused) as e:
        importing.import_stations(world.user("staff"), world.npc.council, _workbook(rows))
    # rows 3, 4 and 5 of the sheet (the header is row 1)
    assert e.value.errors == ["第 3 行：「类型」须为中心站或普通站（现为「大站」）。",
                              "第 4 行：请填写「地址」。",
                              "第 5 行：站名「荷塘镇联络站」与第 2 行重复。"]
    assert not Station.objects.filter(name="荷塘镇联络站").exists()


def test_a_file_that_is_not_excel_or_has_another_header(world: Any) -> None:
    with pytest.raises(DomainError) as e:
        importing.import_stations(world.user("staff"), world.npc.council, io.BytesIO(b"not a workbook"))
    assert "Excel" in e.value.message
    wb = Workbook()
    wb.active.append(["名称", "地址"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    with pytest.raises(DomainError) as e:
        importing.import_stations(world.user("staff"), world.npc.council, out)
    assert "表头" in e.value.message
    with pytest.raises(ForbiddenError):
        importing.import_stations(world.user("deputy0"), world.npc.council, _workbook([]))


def test_public_list_groups_by_district(world: Any) -> None:
    st.save_station(world.user("staff"), world.npc.council, name="外海街道联络站", **FIELDS)
    groups = stations_by_district(world.npc.council)
    assert [(g.name, [s.name for s in g.stations]) for g in groups] == [
        ("新会区", ["会城街道普通联络站"]), ("江海区", ["外海街道联络站"]), ("蓬江区", ["白沙街道中心联络站"])]
    page = Client().get("/stations/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("新会区") < html.index("会城街道普通联络站") < html.index("蓬江区")
    detail = Client().get(f"/stations/{world.central.pk}/").content.decode()
    assert "白沙大道 1 号" in detail and "陈代表" in detail and "每周三上午" in detail
