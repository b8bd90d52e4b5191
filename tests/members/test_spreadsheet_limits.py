"""Workbooks that would exhaust the server are refused before they are read (lvzhi/core/spreadsheets.py; issue
"Production …", item 4: a 307 KB .xlsx inflating to 300 MB was echoed back as a 300 MB error page, and a
1,000,000-row sheet took 78 s to refuse). Files are built here as raw zips, the way an attacker would."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from lvzhi.core import spreadsheets
from lvzhi.members.importing import import_members
from lvzhi.members.models import Member

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "tipdm2020c"
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


def _xlsx(path: Path, sheet_xml: str | None = None, bomb_mb: int = 0) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        if sheet_xml is not None:
            z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if bomb_mb:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                chunk = b"0" * (1 << 20)
                for _ in range(bomb_mb):
                    fh.write(chunk)
    return path


def _sheet(rows: int, dimension: bool) -> str:
    body = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x</t></is></c></row>' for i in range(1, rows + 1))
    dim = f'<dimension ref="A1:A{rows}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main">{dim}<sheetData>{body}</sheetData></worksheet>')


def test_zip_bomb_is_refused_with_a_short_message_on_the_upload_page(world: Any, login: Any, tmp_path: Path) -> None:
    bomb = _xlsx(tmp_path / "bomb.xlsx", bomb_mb=300)  # 300 MB of one byte: compresses to a few hundred KB
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(spreadsheets.SpreadsheetError, match="超过上限"):
        spreadsheets.check_xlsx(bomb)
    before = Member.objects.count()
    client = login(world.user("staff"))
    with bomb.open("rb") as fh:
        r = client.post(reverse("org-members-import", args=[world.council.pk]),
                        {"term": world.session.term_id, "file": fh})
    assert r.status_code == 400
    assert len(r.content) < 100_000, "the refusal must not echo the file"
    assert "超过上限" in r.content.decode()
    assert Member.objects.count() == before


def test_high_compression_ratio_alone_is_refused(tmp_path: Path, settings: Any) -> None:
    settings.SPREADSHEET_MAX_MB = 1000  # under the size cap: the ratio check alone refuses it
    with pytest.raises(spreadsheets.SpreadsheetError, match="压缩比异常"):
        spreadsheets.check_xlsx(_xlsx(tmp_path / "ratio.xlsx", bomb_mb=20))


def test_million_row_sheet_is_refused_from_its_declared_dimension(tmp_path: Path) -> None:
    sheet = _xlsx(tmp_path / "rows.xlsx", _sheet(1_000_000, dimension=True))
    with pytest.raises(spreadsheets.SpreadsheetError, match="1,000,000 行"):
        spreadsheets.check_xlsx(sheet)


def test_sheet_that_hides_its_size_is_cut_while_reading(world: Any, tmp_path: Path, settings: Any) -> None:
    import re

    from openpyxl import Workbook

    settings.SPREADSHEET_MAX_ROWS = 500  # the same rule as the default 200,000, on a file small enough to build fast
    wb = Workbook()
    wb.active.append(["姓名", "性别"])
    for n in range(500):
        wb.active.append([f"委员{n}", "男"])
    made = tmp_path / "made.xlsx"
    wb.save(made)
    sheet = tmp_path / "hidden.xlsx"  # the same workbook with its <dimension> removed
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(sheet, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            dst.writestr(item, data)
    spreadsheets.check_xlsx(sheet)  # nothing declared: passes the first check
    result = import_members(None, world.council, world.session.term, sheet)
    assert result.errors and "超过 500 行" in result.errors[0].message


def test_huge_header_cell_is_not_echoed(world: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["界别" * 50_000, "性别"])
    wb.active.append(["x", "男"])
    path = tmp_path / "header.xlsx"
    wb.save(path)
    result = import_members(None, world.council, world.session.term, path)
    assert "缺少必需的列「姓名」" in result.errors[0].message
    assert len(result.errors[0].message) < 300


def test_the_real_exports_pass(tmp_path: Path) -> None:
    for path in sorted(DATA.glob("*.xlsx")):
        spreadsheets.check_xlsx(path)
        wb = spreadsheets.open_xlsx(path)
        try:
            assert sum(1 for _ in spreadsheets.rows(wb.worksheets[0])) > 10
        finally:
            wb.close()
