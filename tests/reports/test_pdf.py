"""PDF copies of the Word documents (LibreOffice headless): the proposal, the proposal's reply letter and the
compilation. Read back with pdfinfo/pdftotext: the page count and the text the rule asks for (title,
发文字号, "— N —" page numbers). Without LibreOffice the PDF link answers a Chinese message with the Word
link, and the Word link still works."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core import gongwen
from lvzhi.core.pdf import PdfUnavailableError, docx_to_pdf
from lvzhi.members import actions as org
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment
from tests.rendering import needs_renderer, pdf_page_count, pdf_text


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sent_reply(world: Any) -> tuple[Any, Any]:
    unit = world.units[0]
    org.save_unit(None, world.council, unit=unit, name=unit.name, doc_prefix="江发改")
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于优化城区公交线网的建议",
                            situation="情况", analysis="分析", suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk, category=world.categories[0])
    act.assign_proposal(world.user("staff"), p.pk, [(unit, "sole")])
    a = Assignment.objects.get(proposal=p)
    reply = act.draft_reply(world.user("clerk0"), a.pk, grade_code="A", text="答复正文")
    reply = act.sign_off_reply(world.user("head0"), reply.pk)
    p.refresh_from_db()
    return p, reply


def _read(response: Any, tmp_path: Path, name: str) -> tuple[int, list[str]]:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / name
    pdf.write_bytes(b"".join(response.streaming_content))
    pages = pdf_page_count(pdf)
    text = pdf_text(pdf)
    return pages, [re.sub(r"\s", "", page) for page in text.split("\f")][:pages]


@needs_renderer
@pytest.mark.django_db
def test_proposal_and_reply_letter_as_pdf(world: Any, tmp_path: Path) -> None:
    p, reply = _sent_reply(world)
    client = _client(world.user("member0"))
    pages, text = _read(client.get(reverse("proposal-pdf", args=[p.pk])), tmp_path, "proposal.pdf")
    assert pages == 1
    assert world.council.name in text[0] and "提案" in text[0] and f"第{p.number}号" in text[0]
    assert "关于优化城区公交线网的建议" in text[0] and text[0].endswith("—1—")
    pages, text = _read(client.get(reverse("reply-pdf", args=[reply.pk])), tmp_path, "reply.pdf")
    year = timezone.localdate().year
    assert pages == 1
    assert f"江发改〔{year}〕1号" in text[0]
    assert f"关于{world.council.short_name}十四届三次会议第{p.number}号提案的答复" in text[0]
    assert text[0].endswith("—1—")
    # the pages link the PDF beside the Word file
    html = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert reverse("proposal-pdf", args=[p.pk]) in html and reverse("reply-pdf", args=[reply.pk]) in html


@pytest.mark.django_db
def test_without_libreoffice_the_pdf_links_say_so_and_word_still_works(world: Any, settings: Any) -> None:
    settings.SOFFICE = "/nonexistent/soffice"
    p, reply = _sent_reply(world)
    member, staff = _client(world.user("member0")), _client(world.user("staff"))
    for client, pdf, docx in ((member, reverse("proposal-pdf", args=[p.pk]), reverse("proposal-docx", args=[p.pk])),
                              (member, reverse("reply-pdf", args=[reply.pk]), reverse("reply-docx", args=[reply.pk])),
                              (staff, reverse("compilation-pdf", args=[world.session.pk]),
                               reverse("compilation-docx", args=[world.session.pk]))):
        response = client.get(pdf)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), pdf
        html = response.content.decode()
        assert "本服务器未安装 LibreOffice，暂不能生成 PDF 文件，请下载 Word 文件。" in html
        assert f'href="{docx}"' in html
        assert client.get(docx).status_code == 200
    with pytest.raises(PdfUnavailableError):
        docx_to_pdf(b"not used")


def _small_document(title: str) -> bytes:
    document = gongwen.new_document()
    gongwen.title(document, title)
    gongwen.body(document, "正文")
    return gongwen.save(document)


@needs_renderer
def test_concurrent_conversions_each_get_their_own_pdf(tmp_path: Path) -> None:
    titles = ["第一份文件", "第二份文件", "第三份文件"]
    with ThreadPoolExecutor(max_workers=3) as pool:
        pdfs = list(pool.map(lambda t: docx_to_pdf(_small_document(t)), titles))
    for title, pdf in zip(titles, pdfs, strict=True):
        path = tmp_path / f"{title}.pdf"
        path.write_bytes(pdf)
        text = pdf_text(path, layout=False)
        assert title in re.sub(r"\s", "", text) and not any(t in text for t in titles if t != title)


@needs_renderer
def test_a_conversion_past_its_time_limit_is_stopped_with_a_message() -> None:
    with pytest.raises(PdfUnavailableError) as exc:
        docx_to_pdf(_small_document("超时"), timeout=0.05)
    assert "生成 PDF 超时" in exc.value.message
