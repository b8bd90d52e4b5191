"""The year's work-report figures (issue 9, item 9): every module's 数读 in one Word document and one workbook,
the duties' figures as the registered section ``duties``. Expected values are the 2025 scenario of
``build_record`` (tests/duties/conftest.py) counted by hand:

- meetings: 8 held (全体会议, 常委会会议, 调研, 视察, 座谈, 培训, 联系界别群众活动, 社会公益活动), each inviting the
  three members → 24 invitations; present: 张三 8 + 李四 1 (research) = 9; excused: 李四 plenary, 王五 standing =
  2; unexcused 24 − 9 − 2 = 13; rate 9 / 24 = 37.5 %. One written speech.
- Jinan rules: 优秀 1 (张三), 称职 1, 不称职 1 (33.3 % each); "三个一" met by 1 of 3 (33.3 %).
- proposals submitted in February 2025: P1–P4 = 4 received, P1, P2, P4 filed = 3 (75.0 %).
- public-opinion reports submitted in March 2025: 3, adopted R1 and R3 = 2.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from lvzhi.core import sections as module_sections
from lvzhi.duties import actions as act
from lvzhi.duties.yearreport import year_sections, yearly_docx, yearly_xlsx
from tests.conftest import World
from tests.duties.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def jinan(record_world: World) -> World:
    act.install_example(record_world.user("staff"), record_world.council, "jinan", activate=True)
    return record_world


def _figures(section: module_sections.Section) -> dict[str, Any]:
    return dict(section.figures)


def test_duties_section_is_registered_with_the_year_counted_by_hand(jinan: World) -> None:
    assert "duties" in module_sections.keys()
    [section] = module_sections.sections(jinan.council.pk, date(YEAR, 1, 1), date(YEAR, 12, 31), only="duties")
    fig = _figures(section)
    assert (fig["会议活动（场）"], fig["参会（人次）"], fig["出席（人次）"], fig["请假（人次）"], fig["缺席（人次）"]) == \
        (8, 24, 9, 2, 13)
    assert fig["出席率"] == "37.5%" and fig["会议发言（人次）"] == 1 and fig["委员（人）"] == 3
    assert (fig["完成基本履职要求（人）"], fig["基本履职完成率"]) == (1, "33.3%")
    meetings, grades = section.tables
    assert sum(row[1] for row in meetings.rows) == 8 and ["全体会议", 1] in meetings.rows
    assert grades.rows == [["优秀", 1, "33.3%"], ["称职", 1, "33.3%"], ["不称职", 1, "33.3%"]]
    # an open start means 1 January of the end's year: the same figures
    [same] = module_sections.sections(jinan.council.pk, None, date(YEAR, 12, 31), only="duties")
    assert _figures(same) == fig
    # 2024: nothing held, no rate
    [empty] = module_sections.sections(jinan.council.pk, date(2024, 1, 1), date(2024, 12, 31), only="duties")
    assert _figures(empty)["会议活动（场）"] == 0 and _figures(empty)["出席率"] == "—"


def test_without_rule_set_the_section_has_no_grades(record_world: World) -> None:
    [section] = module_sections.sections(record_world.council.pk, date(YEAR, 1, 1), date(YEAR, 12, 31),
                                         only="duties")
    assert _figures(section)["出席（人次）"] == 9 and "完成基本履职要求（人）" not in _figures(section)
    assert [t.caption for t in section.tables] == ["会议活动（按类型）"] and "尚未启用考评规则" in section.scope


def test_a_council_not_using_the_module_has_no_duties_section(world: World) -> None:
    """No meeting recorded and no rule set: the statistics page and workbook stay as they were."""
    assert module_sections.sections(world.council.pk, only="duties") == []
    act.install_example(world.user("staff"), world.council, "jinan", activate=True)
    [section] = module_sections.sections(world.council.pk, only="duties")
    assert _figures(section)["会议活动（场）"] == 0 and _figures(section)["委员（人）"] == 3


def test_year_sections_reuse_the_statistics_of_every_module(jinan: World) -> None:
    sections = {s.key: s for s in year_sections(jinan.council, YEAR)}
    # a CPPCC without stations, outreach office, livelihood projects, topics, visits or studios: those
    # sections do not apply
    assert list(sections) == ["proposals", "opinions", "messages", "duties"]
    proposals = _figures(sections["proposals"])
    assert (proposals["收到提案"], proposals["立案"], proposals["立案率"]) == (4, 3, "75.0%")
    assert (_figures(sections["opinions"])["报送信息"], _figures(sections["opinions"])["采用信息"]) == (3, 2)
    assert _figures(sections["messages"])["收到群众意见"] == 0


def _box(doc: Any, label: str) -> str:
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                texts = [p.text for p in cell.paragraphs]
                if len(texts) == 2 and texts[1] == label:
                    return texts[0]
    raise AssertionError(f"no box {label}")


def _shaded(cell: Any) -> bool:
    return 'w:fill="2F6FB0"' in cell._tc.xml


def test_word_document_has_a_box_per_figure_grouped_by_module_and_bars(jinan: World) -> None:
    sections = year_sections(jinan.council, YEAR)
    doc = Document(io.BytesIO(yearly_docx(jinan.council, YEAR, sections)))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == [s.title for s in sections]
    assert headings.index("提案") < headings.index("委员履职")
    assert _box(doc, "出席率") == "37.5%" and _box(doc, "收到提案") == "4" and _box(doc, "采用信息") == "2"
    # the front grid: each module's headline figure, labelled with the module
    assert _box(doc, "提案 · 收到提案") == "4" and _box(doc, "委员履职 · 会议活动（场）") == "8"
    assert _box(doc, "社情民意 · 报送信息") == "3" and _box(doc, "群众意见 · 收到群众意见") == "0"
    # the grade table: 1, 1, 1 members → every bar full (20 shaded cells)
    grade_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "等次")
    assert [sum(_shaded(c) for c in row.cells) for row in grade_table.rows[1:]] == [20, 20, 20]
    # proposal categories: 经济建设 0, 社会事业 0, 未分类 4 (none categorised) → bars 0, 0, 20 cells;
    # the reply grades are all 0 → no bar drawn
    categories = next(t for t in doc.tables if [c.text for c in t.rows[0].cells[:3]] == ["类别", "收到", "立案"])
    assert [sum(_shaded(c) for c in row.cells) for row in categories.rows[1:]] == [0, 0, 20]
    replies = next(t for t in doc.tables if t.rows[0].cells[0].text == "类别" and t.rows[1].cells[0].text.startswith("A类"))
    assert not any(_shaded(c) for row in replies.rows for c in row.cells)


def test_workbook_has_one_sheet_per_module_with_charts(jinan: World) -> None:
    sections = year_sections(jinan.council, YEAR)
    data = yearly_xlsx(sections)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [s.title for s in sections]
    rows = {r[0]: r[1] for r in wb["委员履职"].iter_rows(values_only=True) if r and r[0]}
    assert rows["出席率"] == "37.5%" and rows["出席（人次）"] == 9
    charts = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 2  # meetings by kind and grades on the duties sheet at least


def test_command_writes_both_files(jinan: World, tmp_path: Path) -> None:
    out = io.StringIO()
    docx_path, xlsx_path = tmp_path / "r.docx", tmp_path / "r.xlsx"
    call_command("yearly_report", "--council", str(jinan.council.pk), "--year", str(YEAR), "--docx",
                 str(docx_path), "--xlsx", str(xlsx_path), stdout=out)
    assert _box(Document(str(docx_path)), "出席率") == "37.5%"
    assert "委员履职" in load_workbook(str(xlsx_path)).sheetnames
    assert "出席率" in out.getvalue() and "37.5%" in out.getvalue()


@pytest.mark.parametrize(("council", "year", "target", "message"), [
    ("999999", "2025", "r.docx", "机构不存在：999999"),
    (None, "20x5", "r.docx", "年度无效：20x5"),
    (None, "2025", "missing/r.docx", "目录不存在"),
])
def test_command_refuses_bad_input(world: World, tmp_path: Path, council: str | None, year: str, target: str,
                                   message: str) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("yearly_report", "--council", council or str(world.council.pk), "--year", year,
                     "--docx", str(tmp_path / target), stderr=err)
    assert exc.value.code == 2 and message in err.getvalue()
    assert not list(tmp_path.rglob("*.docx"))


def test_page_and_downloads_for_staff_only(jinan: World) -> None:
    staff = Client()
    staff.force_login(jinan.user("staff"))
    page = staff.get(f"/duties/yearly/?year={YEAR}")
    assert page.status_code == 200 and "37.5%" in page.content.decode()
    docx = staff.get(f"/duties/yearly.docx?year={YEAR}")
    assert docx.status_code == 200 and _box(Document(io.BytesIO(docx.content)), "出席率") == "37.5%"
    xlsx = staff.get(f"/duties/yearly.xlsx?year={YEAR}")
    assert "委员履职" in load_workbook(io.BytesIO(xlsx.content)).sheetnames
    bad = staff.get("/duties/yearly/?year=abc")
    assert bad.status_code == 400 and "年度无效：abc" in bad.content.decode()
    member = Client()
    member.force_login(jinan.user("member0"))
    assert member.get(f"/duties/yearly/?year={YEAR}").status_code == 404
    assert member.get(f"/duties/yearly.docx?year={YEAR}").status_code == 404
