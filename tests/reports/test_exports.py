"""Excel workbooks, Word documents, background export jobs and the ``stats`` command."""

from __future__ import annotations

import io
import math
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from lvzhi.core.models import Job
from lvzhi.proposals.access import visible_proposals
from lvzhi.proposals.models import Assignment, Reply
from lvzhi.proposals.queries import filter_proposals
from lvzhi.reports import documents
from lvzhi.reports.excel import PROPOSAL_LIST_HEADERS, write_proposal_list
from lvzhi.reports.jobs import run_proposal_list_export
from lvzhi.reports.queries import percent, proposal_statistics

pytestmark = pytest.mark.django_db


def _book(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def _rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _client(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------- statistics workbook


def test_statistics_workbook_has_the_figures(client, dataset):
    session = dataset.world.session
    response = _client(client, dataset.user("staff")).get(reverse("stats-xlsx"), {"session": session.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    wb = _book(b"".join(response.streaming_content))
    stats = proposal_statistics(dataset.world.council, session=session)
    assert wb.sheetnames == ["概况", "提案者类型", "提案类别", "不予立案理由", "承办单位", "答复类别", "满意度测评",
                             "社情民意", "群众意见"]
    summary = {row[0].value: row[1] for row in wb["概况"].iter_rows(min_row=2)}
    assert summary["收到提案"].value == stats.received == 12
    assert summary["立案"].value == stats.filed
    assert summary["立案率"].value == pytest.approx(stats.filing_rate)
    assert summary["立案率"].number_format == "0.0%"
    assert summary["首次测评满意率"].value == pytest.approx(stats.first_time_satisfaction_rate)
    assert "第3次会议" in summary["统计范围"].value
    grades = {r[0]: (r[1], r[2]) for r in _rows(wb["答复类别"])[1:]}
    assert grades["A类（已解决或基本解决）"] == (3, pytest.approx(3 / 6))
    assert wb["答复类别"]["C2"].number_format == "0.0%"
    assert _rows(wb["承办单位"])[0] == ["承办单位", "交办件数", "主办（含单办）", "会办", "分办", "已答复", "超期未答复"]
    units = {r[0]: tuple(r[1:]) for r in _rows(wb["承办单位"])[1:]}
    assert units == {u.name: (u.assignments, u.lead, u.co, u.separate, u.replied, u.overdue) for u in stats.by_unit}
    satisfaction = _rows(wb["满意度测评"])
    assert satisfaction[-1][:2] == ["首次测评满意率（满意+基本满意）", stats.first_satisfied]


# ---------------------------------------------------------------------------------------------- proposal list


def test_proposal_list_export_is_what_the_user_sees_with_the_same_filters(client, dataset):
    staff = dataset.user("staff")
    response = _client(client, staff).get(reverse("proposal-list-xlsx"), {"session": dataset.world.session.pk})
    assert response.status_code == 200
    rows = _rows(_book(b"".join(response.streaming_content))["提案清单"])
    assert rows[0] == PROPOSAL_LIST_HEADERS
    expected = filter_proposals(visible_proposals(staff), {"session": str(dataset.world.session.pk)})
    assert sorted(r[1] for r in rows[1:]) == sorted(expected.values_list("title", flat=True))
    assert "关于草稿的建议" not in [r[1] for r in rows]  # a member's draft stays private
    by_title = {r[1]: r for r in rows[1:]}
    joint = by_title["关于加快轨道交通建设的建议"]
    assert joint[0] == dataset.p["joint"].number and joint[2] == "张三、李四"  # declined co-signer left out
    assert joint[5] == "市发展和改革局（主办）；市交通运输局（会办）"
    assert (joint[6], joint[7]) == ("A类", "满意")  # the latest reply and the latest rating
    sep = by_title["关于义务教育学位供给的建议"]
    assert sep[6] == "市发展和改革局：C类；市教育局：D类" and sep[7] == "市发展和改革局：基本满意；市教育局：满意"
    sector = by_title["关于支持民营经济发展的建议"]
    assert sector[5] == "市教育局（单办）" and sector[6] is None and sector[2] == "经济界"  # sent back: left out
    assert by_title["关于发展普惠托育的建议"][7] == "不满意"
    assert joint[8] is not None and joint[8].year >= 2026  # a real date cell


def test_member_and_unit_exports_are_restricted(client, dataset):
    response = _client(client, dataset.user("member1")).get(reverse("proposal-list-xlsx"))
    titles = {r[1] for r in _rows(_book(b"".join(response.streaming_content))["提案清单"])[1:]}
    assert "关于草稿的建议" not in titles and "关于待审查的建议" not in titles  # member2's, not published
    assert "关于退回修改的建议" in titles and "关于加快轨道交通建设的建议" in titles
    client.logout()
    response = _client(client, dataset.user("clerk2")).get(reverse("proposal-list-xlsx"), {"q": "托育"})
    titles = [r[1] for r in _rows(_book(b"".join(response.streaming_content))["提案清单"])[1:]]
    assert titles == ["关于发展普惠托育的建议"]


def test_list_export_reads_a_fixed_number_of_queries_per_chunk(dataset):
    qs = visible_proposals(dataset.user("staff"))
    n = qs.count()
    done: list[int] = []
    with CaptureQueriesContext(connection) as ctx:
        rows = write_proposal_list(qs, io.BytesIO(), chunk_size=3, progress=done.append)
    assert rows == n
    assert len(ctx.captured_queries) <= 1 + 4 * math.ceil(n / 3)  # the chunks, + 4 prefetches per chunk
    assert done == [*range(3, n + 1, 3), n]


def test_large_export_runs_as_a_background_job(client, dataset, settings, tmp_path,
                                               django_capture_on_commit_callbacks):
    settings.EXPORT_BACKGROUND_ROWS = 3
    settings.MEDIA_ROOT = tmp_path
    staff = dataset.user("staff")
    _client(client, staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(reverse("proposal-list-xlsx"), {"plenary": "1"})
    assert len(callbacks) == 1  # the worker thread starts only after the commit
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job-progress", args=[job.pk])
    expected = filter_proposals(visible_proposals(staff), {"plenary": "1"}).count()
    assert job.status == "pending" and job.total == expected > 3
    page = client.get(reverse("job-progress", args=[job.pk]))
    assert page.status_code == 200 and reverse("job-status", args=[job.pk]) in page.content.decode()
    assert client.get(reverse("job-status", args=[job.pk])).json()["download_url"] is None
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404

    run_proposal_list_export(job.pk, {"plenary": "1"})  # what the thread runs, here synchronously

    status = client.get(reverse("job-status", args=[job.pk])).json()
    assert (status["status"], status["percent"], status["done"], status["total"]) == ("done", 100, expected, expected)
    assert status["download_url"] == reverse("job-download", args=[job.pk])
    download = client.get(status["download_url"])
    rows = _rows(_book(b"".join(download.streaming_content))["提案清单"])
    assert len(rows) - 1 == expected
    client.logout()
    _client(client, dataset.user("leader"))  # someone else's job is "not found"
    assert client.get(reverse("job-status", args=[job.pk])).status_code == 404
    assert client.get(reverse("job-progress", args=[job.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------- Word


def _text(content: bytes) -> tuple[Document, str]:
    doc = Document(io.BytesIO(content))
    return doc, "\n".join(p.text for p in doc.paragraphs)


def test_proposal_document(client, dataset):
    p = dataset.p["joint"]
    response = _client(client, dataset.user("member1")).get(reverse("proposal-docx", args=[p.pk]))
    assert response.status_code == 200
    doc, text = _text(b"".join(response.streaming_content))
    assert p.number in text and p.title in text and "测试市政协" in text
    assert "李四" in text and "王五" not in text  # confirmed co-signers only
    assert "一、情况" in text and "三、具体建议" in text and "经济建设" in text
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.font.size.pt == 22
    assert title_run.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body_run = next(par.runs[0] for par in doc.paragraphs if par.text == "现状情况")
    assert body_run.font.size.pt == 16 and body_run.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    font_table = next(part for part in doc.part.package.iter_parts() if str(part.partname) == "/word/fontTable.xml")
    assert "方正小标宋简体".encode() in font_table.blob and 'w:val="宋体"'.encode() in font_table.blob


def test_reply_letter(client, dataset):
    p = dataset.p["joint"]
    reply = Reply.objects.get(assignment__proposal=p, round=2)
    response = _client(client, dataset.user("member0")).get(reverse("reply-docx", args=[reply.pk]))
    assert response.status_code == 200
    _, text = _text(b"".join(response.streaming_content))
    assert f"案号：{p.number}\t（A类）" in text
    assert f"关于{p.council.short_name}十四届三次会议第{p.number}号提案的答复" in text
    assert "张三委员：" in text and "轨道交通一期已开工建设。" in text and "市发展和改革局" in text
    assert "（联系人：陈经办，联系电话：0750-3123456）" in text
    assert documents.cn_date(timezone.localdate(reply.sent_at)) in text


def test_document_access(client, dataset):
    # a member cannot download another member's draft; the owner can
    draft = dataset.p["draft"]
    assert _client(client, dataset.user("member1")).get(reverse("proposal-docx", args=[draft.pk])).status_code == 404
    assert client.get(reverse("proposal-docx", args=[999999])).status_code == 404
    client.logout()
    assert _client(client, dataset.user("member0")).get(reverse("proposal-docx", args=[draft.pk])).status_code == 200
    client.logout()
    # a unit cannot download the reply letter of a case not assigned to it
    reply = Reply.objects.get(assignment__proposal=dataset.p["joint"], round=2)
    assert _client(client, dataset.user("clerk2")).get(reverse("reply-docx", args=[reply.pk])).status_code == 404
    client.logout()
    assert _client(client, dataset.user("clerk0")).get(reverse("reply-docx", args=[reply.pk])).status_code == 200
    client.logout()
    # a reply not yet signed off: its own unit and the council's staff only
    pending = Reply.objects.get(assignment=Assignment.objects.get(proposal=dataset.p["sector"], status="handling"))
    assert _client(client, dataset.user("leader")).get(reverse("reply-docx", args=[pending.pk])).status_code == 404
    client.logout()
    response = _client(client, dataset.user("clerk2")).get(reverse("reply-docx", args=[pending.pk]))
    assert response.status_code == 200
    assert "（未签发稿）" in _text(b"".join(response.streaming_content))[1]
    client.logout()
    assert client.get(reverse("reply-docx", args=[pending.pk])).status_code == 302  # login first


def test_chinese_numerals():
    assert [documents.cn_number(n) for n in (1, 3, 10, 14, 20, 21, 99, 120)] == \
        ["一", "三", "十", "十四", "二十", "二十一", "九十九", "120"]


# ---------------------------------------------------------------------------------------------- command


def test_stats_command(dataset, tmp_path):
    council = dataset.world.council
    out = StringIO()
    call_command("stats", "--council", str(council.pk), stdout=out)
    text = out.getvalue()
    stats = proposal_statistics(council)
    assert "收到提案" in text and "立案率" in text
    assert percent(stats.filing_rate) == "57.1%" and "57.1%" in text
    line = next(ln for ln in text.splitlines() if ln.startswith("收到提案"))
    assert line.split()[-1] == "14"
    assert "市发展和改革局" in text
    path = tmp_path / "stats.xlsx"
    out = StringIO()
    call_command("stats", "--council", str(council.pk), "--term", "14", "--session", "2", "--xlsx", str(path),
                 stdout=out)
    assert "第2次会议" in out.getvalue()
    assert next(ln for ln in out.getvalue().splitlines() if ln.startswith("收到提案")).split()[-1] == "2"
    summary = {r[0]: r[1] for r in _book(path.read_bytes())["概况"].iter_rows(values_only=True)}
    assert summary["收到提案"] == 2 and summary["立案率"] == pytest.approx(0.5)
    out = StringIO()
    call_command("stats", "--council", str(council.pk), "--from", "2000-01-01", "--to", "2000-12-31", stdout=out)
    assert "立案率" in out.getvalue() and "—" in out.getvalue()
    with pytest.raises(CommandError, match="第9届"):
        call_command("stats", "--council", str(council.pk), "--term", "9")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("stats", "--council", str(council.pk), "--from", "2026/01/01")
    with pytest.raises(CommandError, match="不存在"):
        call_command("stats", "--council", "999999")


def test_list_export_leaves_out_drafts_unless_asked_and_has_sector_and_dates(client, dataset):
    member = dataset.user("member0")  # sees their own draft 《关于草稿的建议》 on the list page
    c = _client(client, member)
    assert "关于草稿的建议" in c.get(reverse("proposal-list")).content.decode()
    rows = _rows(_book(b"".join(c.get(reverse("proposal-list-xlsx")).streaming_content))["提案清单"])
    assert rows[0][9:] == ["界别", "交办日期", "答复期限", "答复日期"]
    titles = [r[1] for r in rows[1:]]
    assert "关于草稿的建议" not in titles and "关于加快轨道交通建设的建议" in titles
    asked = _rows(_book(b"".join(c.get(reverse("proposal-list-xlsx"), {"drafts": "1"}).streaming_content))["提案清单"])
    assert "关于草稿的建议" in [r[1] for r in asked[1:]]
    joint = {r[1]: r for r in rows[1:]}["关于加快轨道交通建设的建议"]
    lead = Assignment.objects.get(proposal=dataset.p["joint"], unit=dataset.world.units[0])
    co = Assignment.objects.get(proposal=dataset.p["joint"], unit=dataset.world.units[1])
    # 张三's sector (every member of the test world is in 经济界); assigned today; the first deadline due;
    # the lead unit's latest sent reply (the co-handling unit sends an opinion, not a reply)
    assert joint[9] == "经济界"
    assert joint[10].date() == timezone.localdate() and joint[11].date() == min(lead.deadline, co.deadline)
    latest = Reply.objects.filter(assignment=lead, status="sent").order_by("-round").first()
    assert joint[12] == timezone.localdate(latest.sent_at).isoformat()
    staff_rows = _rows(_book(b"".join(_client(client, dataset.user("staff")).get(
        reverse("proposal-list-xlsx")).streaming_content))["提案清单"])
    sector = {r[1]: r for r in staff_rows[1:]}["关于支持民营经济发展的建议"]
    assert sector[9] == "经济界"  # proposed by the sector itself
