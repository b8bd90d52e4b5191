"""Excel import of members and handling units: happy paths, every kind of bad row (row number and column
in the message, nothing imported), the templates, the upload page and the management commands."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lvzhi.cli import main as lvzhi_main
from lvzhi.core.models import AuditEntry
from lvzhi.members.importing import MEMBER_COLUMNS, UNIT_COLUMNS, import_members, import_units
from lvzhi.members.models import HandlingUnit, Member, Organisation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
MEMBER_HEADER = ["姓名", "性别", "界别", "党派团体", "专门委员会", "联络组", "工作单位及职务", "联系电话"]


def xlsx(path: Path, header: list, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def good_rows() -> list[list]:
    return [
        ["张三", "男", "经济界", "民盟市委会", "提案委员会", "第一联络组", "市某公司董事长", 13800138000],
        ["赵六", "女", "教育界", "", "", "第一联络组", "市第一中学校长", "0750-3123456"],
        ["钱七", "", "医药卫生界", "九三学社市委会", "", "", "市人民医院院长", ""],
    ]


def counts() -> tuple[int, int, int]:
    return Member.objects.count(), Organisation.objects.count(), AuditEntry.objects.count()


def test_member_import_creates_updates_and_creates_organisations(world, tmp_path):
    path = xlsx(tmp_path / "members.xlsx", MEMBER_HEADER, good_rows())
    before_orgs = Organisation.objects.count()
    report = import_members(world.user("staff"), world.council, world.session.term, path)
    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 2, 1, 0)
    # New: 教育界, 医药卫生界, 九三学社市委会, 提案委员会, 第一联络组 (经济界 and 民盟市委会 existed).
    assert report.organisations_created == 5 == Organisation.objects.count() - before_orgs
    zhang = Member.objects.get(council=world.council, name="张三")
    assert zhang.phone == "13800138000" and zhang.special_committee.name == "提案委员会"
    assert zhang.gender == "男" and zhang.workplace == "市某公司董事长"
    zhao = Member.objects.get(name="赵六")
    assert zhao.sector.name == "教育界" and zhao.sector.kind == "sector" and zhao.phone == "0750-3123456"
    assert zhao.liaison_group == zhang.liaison_group
    assert AuditEntry.objects.filter(event="member_created", actor=world.user("staff")).count() == 2
    assert AuditEntry.objects.filter(event="member_updated", target_id=zhang.pk).exists()
    again = import_members(world.user("staff"), world.council, world.session.term, path)
    assert (again.created, again.updated, again.unchanged, again.organisations_created) == (0, 0, 3, 0)


def test_member_import_without_optional_columns_leaves_fields_alone(world, tmp_path):
    path = xlsx(tmp_path / "names.xlsx", ["姓名", "电话"], [["张三", "13900139000"], ["孙八", None]])
    report = import_members(None, world.council, world.session.term, path)
    assert report.ok and (report.created, report.updated) == (1, 1)
    zhang = Member.objects.get(name="张三")
    assert zhang.sector.name == "经济界" and zhang.phone == "13900139000"


@pytest.mark.parametrize(("row", "column", "reason"), [
    (["", "男", "经济界", "", "", "", "", ""], "姓名", "姓名不能为空"),
    (["赵六", "未知", "经济界", "", "", "", "", ""], "性别", "性别「未知」无效"),
    (["赵六", "女", "经济界", "", "", "", "", "12345"], "联系电话", "不是有效的电话号码"),
    (["赵六", "女", "经济界", "", "", "", "", "电话：138"], "联系电话", "不是有效的电话号码"),
    (["张三", "男", "经济界", "", "", "", "", ""], "姓名", "与第 2 行重复"),
    (["赵" * 51, "女", "", "", "", "", "", ""], "姓名", "不能超过 50 个字"),
])
def test_member_import_bad_row_reports_row_and_column_and_imports_nothing(world, tmp_path, row, column, reason):
    rows = good_rows()
    rows.insert(2, row)  # Excel row 4 (header is row 1)
    path = xlsx(tmp_path / "bad.xlsx", MEMBER_HEADER, rows)
    before = counts()
    report = import_members(world.user("staff"), world.council, world.session.term, path)
    assert not report.ok
    matching = [e for e in report.errors if e.row == 4 and e.column == column and reason in e.message]
    assert matching, [str(e) for e in report.errors]
    assert f"第 4 行「{column}」列" in str(matching[0])
    assert counts() == before
    assert report.created == report.updated == 0


def test_member_import_reports_every_bad_row_at_once(world, tmp_path):
    rows = [["赵六", "x", "", "", "", "", "", "1"], ["", "", "", "", "", "", "", ""], ["孙八", "", "", "", "", "", "", ""],
            ["", "女", "", "", "", "", "", ""]]
    path = xlsx(tmp_path / "many.xlsx", MEMBER_HEADER, rows)
    before = counts()
    report = import_members(None, world.council, world.session.term, path)
    assert sorted((e.row, e.column) for e in report.errors) == [(2, "性别"), (2, "联系电话"), (5, "姓名")]
    assert counts() == before


def test_member_import_ambiguous_existing_name(world, tmp_path):
    from lvzhi.members import actions as org

    org.save_member(None, world.council, world.session.term, name="张三")
    path = xlsx(tmp_path / "m.xlsx", MEMBER_HEADER, [["张三", "男", "", "", "", "", "", ""]])
    report = import_members(None, world.council, world.session.term, path)
    assert report.errors[0].row == 2 and "多名委员" in report.errors[0].message


def test_missing_columns_not_xlsx_and_empty_files(world, tmp_path):
    term = world.session.term
    before = counts()
    no_name = import_members(None, world.council, term, xlsx(tmp_path / "a.xlsx", ["性别", "界别"], [["男", "x"]]))
    assert no_name.errors[0].column == "姓名" and "缺少必需的列「姓名」" in no_name.errors[0].message
    real_other_sheet = import_members(None, world.council, term, DATA / "tipdm2020c" / "taxonomy_附件1.xlsx")
    assert "缺少必需的列「姓名」" in real_other_sheet.errors[0].message
    assert "一级分类" in real_other_sheet.errors[0].message
    csv = import_members(None, world.council, term, DATA / "jszx2019-proposals" / "proposals.csv")
    assert csv.errors[0].row is None and "不是有效的 Excel" in csv.errors[0].message
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "文件为空" in import_members(None, world.council, term, empty).errors[0].message
    header_only = import_members(None, world.council, term, xlsx(tmp_path / "h.xlsx", MEMBER_HEADER, []))
    assert "没有数据行" in header_only.errors[0].message
    blank = tmp_path / "blank.xlsx"
    Workbook().save(blank)
    assert "工作表为空" in import_members(None, world.council, term, blank).errors[0].message
    assert counts() == before


def test_unit_import(world, tmp_path):
    path = xlsx(tmp_path / "units.xlsx", ["单位名称", "简称"], [
        ["市发展和改革局", "市发改局"], ["市卫生健康局", "市卫健局"], ["市生态环境局", None]])
    report = import_units(world.user("staff"), world.council, path)
    assert report.ok and (report.created, report.updated, report.unchanged) == (2, 1, 0)
    assert HandlingUnit.objects.get(council=world.council, name="市发展和改革局").short_name == "市发改局"
    assert HandlingUnit.objects.filter(council=world.council).count() == 5


@pytest.mark.parametrize(("rows", "row", "column", "reason"), [
    ([["市卫生健康局", "x"], ["", "简称"]], 3, "单位名称", "单位名称不能为空"),
    ([["市卫生健康局", "x"], ["市卫生健康局", "y"]], 3, "单位名称", "与第 2 行重复"),
    ([["市卫生健康局", "简" * 31]], 2, "简称", "不能超过 30 个字"),
])
def test_unit_import_bad_rows(world, tmp_path, rows, row, column, reason):
    before = HandlingUnit.objects.count()
    report = import_units(None, world.council, xlsx(tmp_path / "u.xlsx", ["单位名称", "简称"], rows))
    assert any(e.row == row and e.column == column and reason in e.message for e in report.errors), report.errors
    assert HandlingUnit.objects.count() == before


@pytest.mark.parametrize(("name", "columns", "sheet"), [
    ("org-members-template", MEMBER_COLUMNS, "委员名单"), ("org-units-template", UNIT_COLUMNS, "承办单位")])
def test_templates_download_and_open(world, login, name, columns, sheet):
    response = login(world.user("staff")).get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [sheet, "填写说明"]
    assert [c.value for c in wb[sheet][1]] == [c.header for c in columns]
    explained = [row[0] for row in wb["填写说明"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert all(c.header in explained for c in columns)
    assert login(world.user("member0")).get(reverse(name)).status_code == 404


def test_filled_template_imports(world, login, tmp_path):
    client = login(world.user("staff"))
    wb = load_workbook(io.BytesIO(client.get(reverse("org-members-template")).content))
    wb["委员名单"].append(["周九", "男", "科技界", "", "", "", "市科技公司总经理", "13700137000"])
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    report = import_members(None, world.council, world.session.term, path)
    assert report.ok and report.created == 1


def test_upload_page_reports_errors_then_imports(world, login, tmp_path):
    client = login(world.user("staff"))
    url = reverse("org-members-import", args=[world.council.pk])
    rows = good_rows()
    rows[1][7] = "abc"
    bad = xlsx(tmp_path / "bad.xlsx", MEMBER_HEADER, rows)
    before = counts()
    with bad.open("rb") as fh:
        response = client.post(url, {"term": world.session.term_id, "file": fh})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>3</td><td>联系电话</td>" in html and "未导入任何数据" in html
    assert counts() == before
    good = xlsx(tmp_path / "good.xlsx", MEMBER_HEADER, good_rows())
    with good.open("rb") as fh:
        response = client.post(url, {"term": world.session.term_id, "file": fh})
    assert response.status_code == 302
    assert Member.objects.filter(council=world.council, name="赵六").exists()
    units = xlsx(tmp_path / "units.xlsx", ["单位名称", "简称"], [["市水利局", "水利局"]])
    with units.open("rb") as fh:
        assert client.post(reverse("org-units-import", args=[world.council.pk]), {"file": fh}).status_code == 302
    assert HandlingUnit.objects.filter(name="市水利局").exists()


def test_commands_import_and_report_errors(world, tmp_path, capsys):
    good = xlsx(tmp_path / "good.xlsx", MEMBER_HEADER, good_rows())
    out = io.StringIO()
    call_command("import_members", str(good), council=str(world.council.pk), term=14, stdout=out,
                 stderr=io.StringIO())
    assert "新增 2，更新 1" in out.getvalue()
    rows = good_rows()
    rows[0][1] = "M"
    bad = xlsx(tmp_path / "bad.xlsx", MEMBER_HEADER, rows)
    err = io.StringIO()
    before = counts()
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_members", str(bad), council=str(world.council.pk), term=14, stdout=io.StringIO(),
                     stderr=err)
    assert "第 2 行「性别」列" in err.getvalue()
    assert counts() == before
    with pytest.raises(CommandError, match="没有第9届"):
        call_command("import_members", str(good), council=str(world.council.pk), term=9)
    units = xlsx(tmp_path / "u.xlsx", ["单位名称", "简称"], [["市水利局", "水利局"]])
    call_command("import_units", str(units), council=str(world.council.pk), stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert HandlingUnit.objects.filter(name="市水利局").exists()


@pytest.mark.django_db(transaction=True)
def test_console_command_with_dashes_exits_non_zero_on_errors(world, tmp_path, capsys):
    """``lvzhi import-units`` runs the management command in-process; Django closes the database connections
    when a command ends, hence a transactional test (committed data, flushed afterwards)."""
    bad = xlsx(tmp_path / "bad.xlsx", ["单位名称", "简称"], [["市水利局", ""], ["市水利局", ""]])
    with pytest.raises(SystemExit) as exit_info:
        lvzhi_main(["lvzhi", "import-units", str(bad), "--council", str(world.council.pk)])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "第 3 行「单位名称」列" in captured.err
    good = xlsx(tmp_path / "good.xlsx", MEMBER_HEADER, good_rows())
    lvzhi_main(["lvzhi", "import-members", str(good), "--council", str(world.council.pk), "--term", "14",
                "--user", world.user("staff").username])
    captured = capsys.readouterr()
    assert "新增 2" in captured.out and "导入" in captured.err  # progress bars go to stderr
    assert AuditEntry.objects.filter(event="member_created", actor=world.user("staff")).count() == 2
