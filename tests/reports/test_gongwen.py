"""Word documents after GB/T 9704-2012: the page (margins, type area, 22 lines of 28 characters, page numbers
on the outer side), the reply letter's document number, signer, signature and copy line; and, where
LibreOffice is installed, the rendered pages counted line by line.

Expected values are worked out here from the standard, not read from the code:
- A4 210 × 297 mm, top 37 mm, left 28 mm, type area 156 × 225 mm → right 26 mm, bottom 35 mm;
- 225 mm = 637.80 pt; 22 exact lines must each be ≤ 28.99 pt; in twentieths of a point 579 (28.95 pt) is the
  largest: 22 × 28.95 = 636.9 ≤ 637.8 < 22 × 29.00 = 638.0;
- 156 mm = 442.20 pt; 28 characters: pitch ≤ 15.79 pt and > 442.20 / 29 = 15.25 pt; 16 pt condensed by
  0.25 pt → 15.75 pt: 28 × 15.75 = 441.0 ≤ 442.2 < 29 × 15.75 = 456.75.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Length

from lvzhi.core import gongwen
from lvzhi.members import actions as org
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, Reply
from lvzhi.reports import documents

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _mm(length) -> float:
    return round(Length(length).mm, 1)


def _field_code(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph._p.iter(f"{W}instrText"))


def _check_page(doc) -> None:
    s = doc.sections[0]
    assert (_mm(s.page_width), _mm(s.page_height)) == (210.0, 297.0)
    assert (_mm(s.top_margin), _mm(s.bottom_margin), _mm(s.left_margin), _mm(s.right_margin)) == (37.0, 35.0, 28.0, 26.0)
    # type area 156 × 225 mm
    assert _mm(s.page_width - s.left_margin - s.right_margin) == 156.0
    assert _mm(s.page_height - s.top_margin - s.bottom_margin) == 225.0
    # page numbers: odd and even footers differ; odd on the right, even on the left; a PAGE field between dashes
    assert doc.settings.odd_and_even_pages_header_footer is True
    odd, even = s.footer.paragraphs[0], s.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for p in (odd, even):
        assert _field_code(p).strip() == "PAGE"
        assert p.text == "— 1 —"  # "— " + the field's shown value + " —" (一字线, U+2014)
        run = p.runs[0]
        assert run.font.size.pt == 14 and run.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"  # 4号宋体
    assert odd.paragraph_format.right_indent.pt == 16 and even.paragraph_format.left_indent.pt == 16  # 空一字


def test_page_lines_characters_and_page_numbers() -> None:
    doc = gongwen.new_document()
    _check_page(doc)
    normal = doc.styles["Normal"]
    fmt = normal.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.pt == 28.95 and fmt.line_spacing.twips == 579
    assert normal.font.size.pt == 16 and normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"  # condensed 0.25 pt
    assert 22 * 28.95 <= 225 / 25.4 * 72 < 22 * 29.00
    assert 28 * (16 - 0.25) <= 156 / 25.4 * 72 < 29 * (16 - 0.25)
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
    assert gongwen.cn_date(timezone.datetime(2026, 3, 4).date()) == "2026年3月4日"
    assert gongwen.doc_number("江府建", 2026, 12) == "江府建〔2026〕12号"


def test_signature_and_date_placed_per_the_standard() -> None:
    # 市发展和改革局: 7 characters; 2026年3月4日: 4 digits + 2 digits = 3 characters of width, + 年月日 = 6.
    # The date 右空二字 starts 8 from the right; the signature starts 2 further left (10) and ends 10 − 7 = 3.
    assert documents.signature_indents("市发展和改革局", "2026年3月4日") == (3.0, 2.0)
    # 江门市住房和城乡建设局 (11) is longer than the date 2026年12月31日 (7) + 2: the signature 右空二字 (starts
    # 13 from the right), the date starts 2 to its right (11) and ends 11 − 7 = 4 from the right.
    assert documents.signature_indents("江门市住房和城乡建设局", "2026年12月31日") == (2.0, 4.0)


def _lead_and_co(world, title: str = "关于优化城区公交线网的建议"):
    p = act.create_proposal(world.user("member0"), session=world.session, title=title, situation="情况",
                            analysis="分析", suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk, category=world.categories[0])
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "lead"), (world.units[1], "co")])
    act.send_opinion(world.user("clerk1"), Assignment.objects.get(proposal=p, role="co").pk, text="会办意见")
    return p, Assignment.objects.get(proposal=p, role="lead")


def _text(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


@pytest.mark.django_db
def test_reply_letter_number_signer_and_copy_line(world) -> None:
    unit = world.units[0]
    org.save_unit(world.user("staff"), world.council, unit=unit, name=unit.name, doc_prefix="江发改", doc_signer=True)
    year = timezone.localdate().year
    p, lead = _lead_and_co(world)
    reply = act.draft_reply(world.user("clerk0"), lead.pk, grade_code="A", text="一、关于增加线路。\n二、关于延长时间。",
                            contact_person="陈经办", contact_phone="0750-3123456")
    # before sign-off: marked, the serial left blank, the signer's name blank
    draft = _text(documents.reply_letter(reply))
    assert "（未签发稿）" in draft and f"江发改〔{year}〕　号\t签发人：　　　" in draft
    act.sign_off_reply(world.user("head0"), reply.pk)
    reply = Reply.objects.get(pk=reply.pk)
    p.refresh_from_db()
    assert reply.doc_number == f"江发改〔{year}〕1号"
    data = documents.reply_letter(reply)
    lines = _text(data)
    doc = Document(io.BytesIO(data))
    _check_page(doc)
    signer = world.user("head0").username  # an account without a display name is named by its username
    assert f"江发改〔{year}〕1号\t签发人：{signer}" in lines
    assert f"关于{world.council.short_name}十四届三次会议第{p.number}号提案的答复" in lines
    assert lines.count("张三委员：") == 1  # 主送
    day = timezone.localdate()
    date_line = f"{day.year}年{day.month}月{day.day}日"
    i = lines.index(date_line)
    assert lines[i - 1] == "市发展和改革局" and lines[i + 1] == "（联系人：陈经办，联系电话：0750-3123456）"
    # 抄送: the co-handling unit, then the proposals committee, 、-less, ending with 。
    assert f"抄送：市交通运输局，{world.council.short_name}提案委员会。" in lines
    title = next(par for par in doc.paragraphs if par.text.startswith("关于"))
    assert title.runs[0].font.size.pt == 22 and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = next(par for par in doc.paragraphs if par.text == "一、关于增加线路。")
    assert body.runs[0].font.size.pt == 16 and body.paragraph_format.first_line_indent.pt == 32
    cc = next(par for par in doc.paragraphs if par.text.startswith("抄送"))
    assert cc.runs[0].font.size.pt == 14  # 4号
    # the preview page the leader reads shows the same parts
    client = Client()
    client.force_login(world.user("member0"))
    page = client.get(reverse("reply-letter", args=[reply.pk])).content.decode()
    assert f"江发改〔{year}〕1号" in page and f"签发人：{signer}" in page
    assert f"抄送：市交通运输局，{world.council.short_name}提案委员会。" in page
    # the serial goes on per unit and year; another unit counts from 1; a unit without 机关代字 gets none
    _, lead2 = _lead_and_co(world, "关于完善夜间公交的建议")
    r2 = act.draft_reply(world.user("clerk0"), lead2.pk, grade_code="B", text="答复")
    assert act.sign_off_reply(world.user("head0"), r2.pk).doc_number == f"江发改〔{year}〕2号"
    other = world.units[2]
    org.save_unit(world.user("staff"), world.council, unit=other, name=other.name, doc_prefix="江教")
    p3 = act.create_proposal(world.user("member1"), session=world.session, title="关于学位的建议", situation="情况",
                             analysis="分析", suggestions="建议")
    act.submit_proposal(world.user("member1"), p3.pk)
    act.file_proposal(world.user("staff"), p3.pk, category=world.categories[0])
    act.assign_proposal(world.user("staff"), p3.pk, [(other, "separate"), (world.units[1], "separate")])
    a3 = Assignment.objects.get(proposal=p3, unit=other)
    r3 = act.sign_off_reply(world.user("head2"), act.draft_reply(world.user("clerk2"), a3.pk, grade_code="A",
                                                                  text="答复").pk)
    assert r3.doc_number == f"江教〔{year}〕1号"
    lines3 = _text(documents.reply_letter(Reply.objects.get(pk=r3.pk)))
    assert f"江教〔{year}〕1号" in lines3 and not any("签发人" in t for t in lines3)  # centred, no signer
    assert f"抄送：{world.council.short_name}提案委员会。" in lines3  # no co-handling unit
    a4 = Assignment.objects.get(proposal=p3, unit=world.units[1])
    r4 = act.sign_off_reply(world.user("head1"), act.draft_reply(world.user("clerk1"), a4.pk, grade_code="A",
                                                                  text="答复").pk)
    assert r4.doc_number == ""


@pytest.mark.django_db
def test_bad_document_prefix_is_refused_naming_the_field(world) -> None:
    from lvzhi.core.errors import DomainError

    unit = world.units[0]
    with pytest.raises(DomainError) as exc:
        org.save_unit(world.user("staff"), world.council, unit=unit, name=unit.name, doc_prefix="江府建〔2026〕")
    assert exc.value.field == "doc_prefix" and "机关代字" in exc.value.message
    unit.refresh_from_db()
    assert unit.doc_prefix == ""


# ---------------------------------------------------------------------------------------------- rendered


def _render(data: bytes, tmp_path: Path) -> Path:
    source = tmp_path / "letter.docx"
    source.write_bytes(data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    return tmp_path / "letter.pdf"


PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (Debian libreoffice-writer-nogui) or pdftotext (poppler-utils) not installed")
@pytest.mark.django_db
def test_rendered_pages_hold_22_lines_of_28_characters(world, tmp_path) -> None:
    _, lead = _lead_and_co(world)
    # 14 paragraphs of 138 characters: 5 lines each (the first indented two characters: 26 + 4 × 28 = 138),
    # 70 lines, enough for three pages
    paragraph = "城区公交线网覆盖不足夜间班次偏少群众出行不便" * 7  # 22 × 7 = 154 characters, no punctuation
    text = "\n".join(paragraph[:138] for _ in range(14))
    reply = act.draft_reply(world.user("clerk0"), lead.pk, grade_code="A", text=text)
    pdf = _render(documents.reply_letter(reply), tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [[ln.strip() for ln in page.splitlines() if ln.strip()] for page in pages if page.strip()]
    assert len(pages) >= 3
    for n, lines in enumerate(pages, start=1):
        numbers = [ln for ln in lines if PAGE_NUMBER.match(ln)]
        assert [PAGE_NUMBER.match(ln).group(1) for ln in numbers] == [str(n)]  # "— n —" once on every page
        body = [ln for ln in lines if not PAGE_NUMBER.match(ln)]
        if n == 2:  # a page of body text only: 22 lines, each a full line of 28 characters but paragraph ends
            assert len(body) == 22
            widths = [len(re.sub(r"\s", "", ln)) for ln in body]
            assert set(widths) == {26, 28} and widths.count(28) >= 17  # at most 5 paragraph starts in 22 lines
        else:
            assert len(body) <= 22
    # outer side: page 1 (odd) right of the middle, page 2 (even) left of it
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "2", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages_xml = bbox.split("<page ")[1:]
    width = float(re.search(r'width="([\d.]+)"', pages_xml[0]).group(1))
    for n, page in enumerate(pages_xml, start=1):
        x = [float(m) for m in re.findall(r'<word xMin="([\d.]+)"[^>]*>—</word>', page)]
        assert x, f"no page number dash on page {n}"
        assert (min(x) > width / 2) if n % 2 else (max(x) < width / 2)
