"""The compilation (汇编) of a session's published reply letters: title page, table of contents (number, title,
handling unit, page), every sent letter on a new page in case-number order, drafts and unanswered cases left
out; staff only. Where LibreOffice is installed, the rendered PDF is read back: each page given in the table of
contents is the page where that letter begins."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment as CaseAssignment
from lvzhi.core.models import Job
from lvzhi.members import actions as org
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, Proposal
from lvzhi.reports import compilation, documents, jobs
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import accepted, answer
from tests.cases.npc import build_npc
from tests.rendering import needs_renderer, pdf_page_count, pdf_text

pytestmark = pytest.mark.django_db

LONG = "\n".join(["城区公交线网覆盖不足夜间班次偏少群众出行不便" * 6] * 12)  # 12 paragraphs of 132 characters


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _filed(world: Any, title: str, units: list[tuple[int, str]]) -> Proposal:
    p = act.create_proposal(world.user("member0"), session=world.session, title=title, situation="情况",
                            analysis="分析", suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk, category=world.categories[0])
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[i], role) for i, role in units])
    p.refresh_from_db()
    return p


def _reply(world: Any, p: Proposal, unit: int, *, text: str = "答复正文", send: bool = True) -> Any:
    a = Assignment.objects.get(proposal=p, unit=world.units[unit])
    reply = act.draft_reply(world.user(f"clerk{unit}"), a.pk, grade_code="A", text=text)
    return act.sign_off_reply(world.user(f"head{unit}"), reply.pk) if send else reply


def _session_letters(world: Any) -> list[tuple[str, str, str]]:
    """Three proposals answered in reverse order (the second by two units separately), one with a draft
    reply only, one not answered: ``(number, title, unit)`` of the letters expected, worked out by hand."""
    p1 = _filed(world, "公交线网", [(0, "sole")])
    p2 = _filed(world, "学位供给", [(2, "separate"), (0, "separate")])
    p3 = _filed(world, "夜间经济", [(1, "sole")])
    p4 = _filed(world, "草稿答复", [(0, "sole")])
    _filed(world, "尚未答复", [(1, "sole")])
    _reply(world, p3, 1)
    _reply(world, p2, 2)
    _reply(world, p2, 0)
    _reply(world, p1, 0, text=LONG)  # three pages or so: the next letters start further on
    _reply(world, p4, 0, send=False)
    units = {i: world.units[i].name for i in range(3)}
    assert p1.number < p2.number < p3.number  # numbered in order of filing
    # p2's two letters by unit name: 市发展和改革局 (units[0]) sorts before 市教育局 (units[2]) in code points
    two = sorted([units[0], units[2]])
    return [(p1.number, "公交线网", units[0]), (p2.number, "学位供给", two[0]), (p2.number, "学位供给", two[1]),
            (p3.number, "夜间经济", units[1])]


def _toc(doc: Any) -> list[tuple[str, str, str]]:
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["编号", "标题", "承办单位", "页码"]
    return [tuple(c.text for c in row.cells[:3]) for row in table.rows[1:]]


def test_number_order_compares_numbers_part_by_part() -> None:
    numbers = ["14-3-10", "14-3-2", "", "14-3-001", "2026-0100", "2026-0099"]
    assert sorted(numbers, key=compilation.number_key) == ["14-3-001", "14-3-2", "14-3-10", "2026-0099",
                                                          "2026-0100", ""]


def test_proposal_compilation_holds_the_sent_letters_in_number_order(world: Any) -> None:
    expected = _session_letters(world)
    response = _client(world.user("staff")).get(reverse("compilation-docx", args=[world.session.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    texts = [p.text for p in doc.paragraphs]
    assert texts.count(world.council.name) == 1 and "提案答复汇编" in texts
    assert f"{world.council.short_name}十四届三次会议" in texts and "共 4 件" in texts
    assert _toc(doc) == expected
    # each letter starts on a new page, with its case number line first
    starts = [p.text for p in doc.paragraphs if p.paragraph_format.page_break_before and p.text.startswith("案号")]
    assert starts == [f"案号：{n}\t（A类）" for n, _, _ in expected]
    assert not any("草稿答复" in t or "未签发稿" in t for t in texts)
    # the 目录 also starts on a page of its own; the title page has no page number
    assert next(p for p in doc.paragraphs if p.text == "目　　录").paragraph_format.page_break_before
    assert doc.sections[0].different_first_page_header_footer
    assert doc.sections[0].first_page_footer.paragraphs[0].text == ""


def test_compilation_is_for_the_staff_only(world: Any) -> None:
    _session_letters(world)
    for name in ("member0", "clerk0", "head0", "leader"):
        client = _client(world.user(name))
        assert client.get(reverse("compilation-docx", args=[world.session.pk])).status_code == 404, name
        assert client.get(reverse("compilation-pdf", args=[world.session.pk])).status_code == 404, name
        assert client.get(reverse("compilations")).status_code == 404, name
    other = build_npc("另一市人大常委会")
    assert _client(world.user("staff")).get(reverse("compilation-docx", args=[other.session.pk])).status_code == 404
    page = _client(world.user("staff")).get(reverse("compilations")).content.decode()
    assert reverse("compilation-docx", args=[world.session.pk]) in page
    assert f"{world.council.short_name}十四届三次会议" in page and "<td>4</td>" in page


def test_a_large_compilation_runs_as_a_background_job(world: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMPILATION_BACKGROUND_LETTERS = 3  # the session has 4 letters: more than the threshold
    expected = _session_letters(world)
    client = _client(world.user("staff"))
    response = client.get(reverse("compilation-docx", args=[world.session.pk]))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job-progress", args=[job.pk])
    assert job.kind == jobs.COMPILATION_JOB and job.status == "pending" and job.total == 4
    assert client.get(reverse("job-status", args=[job.pk])).json()["download_url"] is None
    jobs.run_compilation(job.pk, world.session.pk, compilation.PROPOSALS, "docx")  # what the thread runs
    status = client.get(reverse("job-status", args=[job.pk])).json()
    assert (status["status"], status["done"], status["total"], status["percent"]) == ("done", 4, 4, 100)
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == documents.DOCX_CONTENT_TYPE
    assert "attachment" in download["Content-Disposition"] and ".docx" in download["Content-Disposition"]
    assert _toc(Document(io.BytesIO(b"".join(download.streaming_content)))) == expected
    # someone else's job is not found
    assert _client(world.user("leader")).get(reverse("job-download", args=[job.pk])).status_code == 404


def test_suggestion_compilation_of_a_congress_session() -> None:
    npc = build_npc("测试市人大常委会")
    org.update_council_policy(None, npc.council, short_name="测试市人大常委会")
    s1 = accepted(npc, title="关于加装电梯的建议")
    s2 = accepted(npc, deputy="deputy1", title="关于便民服务点的建议")
    s3 = accepted(npc, deputy="deputy2", title="关于草稿的建议")
    for s, unit in ((s1, 0), (s2, 1), (s3, 2)):
        cases.assign(npc.user("staff"), Suggestion, s.pk, [(npc.units[unit], "sole")])
    answer(npc, CaseAssignment.objects.get(suggestion=s2))
    answer(npc, CaseAssignment.objects.get(suggestion=s1))
    answer(npc, CaseAssignment.objects.get(suggestion=s3), sign=False)  # awaiting sign-off: left out
    s1.refresh_from_db()
    s2.refresh_from_db()
    response = _client(npc.user("staff")).get(reverse("compilation-docx", args=[npc.session.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    texts = [p.text for p in doc.paragraphs]
    assert "代表建议答复汇编" in texts and "测试市十六届人大三次会议" in texts
    assert _toc(doc) == [(s1.number, s1.title, npc.units[0].name), (s2.number, s2.title, npc.units[1].name)]
    assert f"关于测试市十六届人大三次会议第{s1.number}号建议的答复" in texts
    assert not any("草稿" in t for t in texts[texts.index("目　　录"):] if not t.startswith("关于测试市"))


def _pages(pdf: Path) -> list[str]:
    text = pdf_text(pdf)
    return [re.sub(r"[ \t]+", " ", page) for page in text.split("\f")][:-1]


@needs_renderer
def test_rendered_compilation_pages_match_its_table_of_contents(world: Any, tmp_path: Path) -> None:
    expected = _session_letters(world)
    response = _client(world.user("staff")).get(reverse("compilation-pdf", args=[world.session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "compilation.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    pages = _pages(pdf)
    assert pdf_page_count(pdf) == len(pages)
    flat = [re.sub(r"\s", "", page) for page in pages]
    assert "提案答复汇编" in flat[0] and not re.search(r"—\d+—", flat[0])  # title page: no page number
    assert "目录" in flat[1]
    for n, page in enumerate(flat[1:], start=2):
        assert re.findall(r"—(\d+)—", page)[-1:] == [str(n)], f"page number of page {n}"
    # the page the table of contents gives for each letter is the page beginning with that letter
    numbers = {number for number, _, _ in expected}
    rows = [line.strip() for line in pages[1].splitlines() if line.strip().split(" ")[0] in numbers]
    assert len(rows) == len(expected)
    given = []
    for row, (number, title, unit) in zip(rows, expected, strict=True):
        assert row.startswith(number) and title in row.replace(" ", "") and unit in row.replace(" ", "")
        given.append(int(row.split()[-1]))
    starts = [n for n, page in enumerate(flat, start=1) if page.startswith("案号：")]
    assert given == starts
    for (number, _title, unit), page in zip(expected, given, strict=True):
        assert flat[page - 1].startswith(f"案号：{number}") and unit in flat[page - 1]
        assert f"第{number}号提案的答复" in flat[page - 1]
    assert starts[1] - starts[0] >= 2  # the long letter runs over more than one page
