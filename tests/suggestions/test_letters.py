"""The reply letter to a deputy's suggestion (代表建议答复函) as a Word file after GB/T 9704, its PDF, and who may
download them. Expected text worked out by hand from the rule:

- 版头 the unit's name; 发文字号 the unit's 机关代字 + 〔year〕 + serial from 1 per unit and year (§7.2.4), with
  签发人 when the unit marks its letters so; before sign-off the serial and the signer are left blank;
- title ``关于<place>十六届人大三次会议第<number>号建议的答复`` (the standing committee 测试市人大常委会 → 测试市);
- 主送 the leading deputy then each confirmed seconding deputy (the policy answers each joint deputy), ``…代表：``;
- opening ``您提出的关于<title without 关于 and 的建议>的建议（第<number>号）收悉。经认真研究，现答复如下：``;
- 附注 ``（联系人：…，联系电话：…）`` under the date; 抄送 the co-handling unit, then the deputies' affairs committee;
- a signed letter for whoever sees the suggestion; an unsigned one only for its unit and the staff.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment, Reply
from lvzhi.members import actions as org
from lvzhi.reports import documents
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import accepted, answer
from tests.cases.npc import NPC
from tests.rendering import needs_renderer, pdf_page_count, pdf_text
from tests.reports.test_gongwen import _check_page

pytestmark = pytest.mark.django_db



def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _lines(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def _setup(npc: NPC) -> tuple[Suggestion, Assignment]:
    """测试市人大常委会; deputies 张明 (leading) and 李华 (seconding, confirmed); the housing bureau (江建, marks
    its letters with the 签发人) leads, the transport bureau co-handles and has sent its opinion."""
    org.update_council_policy(None, npc.council, short_name="测试市人大常委会")
    org.save_member(None, npc.council, npc.session.term, name="张明", member=npc.deputies[0])
    org.save_member(None, npc.council, npc.session.term, name="李华", member=npc.deputies[1])
    unit = npc.units[0]
    org.save_unit(None, npc.council, unit=unit, name=unit.name, doc_prefix="江建", doc_signer=True)
    s = accepted(npc, seconders=(1,), title="关于加快老旧小区加装电梯的建议")
    cases.assign(npc.user("staff"), Suggestion, s.pk, [(npc.units[0], "lead"), (npc.units[1], "co")])
    co = Assignment.objects.get(suggestion=s, unit=npc.units[1])
    cases.send_opinion(npc.user("clerk1"), co.pk, text="会办意见")
    s.refresh_from_db()
    return s, Assignment.objects.get(suggestion=s, unit=npc.units[0])


def test_letter_parts_number_signer_addressees_and_copy_line(npc: NPC) -> None:
    s, lead = _setup(npc)
    year = timezone.localdate().year
    draft = answer(npc, lead, "A", sign=False)
    lines = _lines(documents.suggestion_reply_letter(draft))
    assert "（未签发稿）" in lines and f"江建〔{year}〕　号\t签发人：　　　" in lines
    reply = cases.sign_off_reply(npc.user("head0"), draft.pk)
    assert reply.doc_number == f"江建〔{year}〕1号"
    data = documents.suggestion_reply_letter(Reply.objects.get(pk=reply.pk))
    _check_page(Document(io.BytesIO(data)))
    lines = _lines(data)
    assert "（未签发稿）" not in lines
    assert lines[0] == f"建议编号：{s.number}\t（A类）"
    assert lines[1] == "市住房和城乡建设局"  # 版头
    signer = npc.user("head0").username  # an account without a display name is named by its username
    assert f"江建〔{year}〕1号\t签发人：{signer}" in lines
    assert f"关于测试市十六届人大三次会议第{s.number}号建议的答复" in lines
    assert lines.count("张明、李华代表：") == 1
    assert f"您提出的关于加快老旧小区加装电梯的建议（第{s.number}号）收悉。经认真研究，现答复如下：" in lines
    assert "经研究，答复如下……" in lines  # the clerk's text (tests/cases/helpers.answer)
    day = timezone.localdate()
    i = lines.index(f"{day.year}年{day.month}月{day.day}日")
    assert lines[i - 1] == "市住房和城乡建设局" and lines[i + 1] == "（联系人：李科长，联系电话：0750-3000000）"
    assert "抄送：市交通运输局，测试市人大常委会代表工作委员会。" in lines
    # the next letter of the unit this year takes serial 2; a unit without 机关代字 has none and no 签发人
    s2 = accepted(npc, title="便民服务点")
    cases.assign(npc.user("staff"), Suggestion, s2.pk, [(npc.units[0], "separate"), (npc.units[2], "separate")])
    r2 = answer(npc, Assignment.objects.get(suggestion=s2, unit=npc.units[0]), "B")
    assert r2.doc_number == f"江建〔{year}〕2号"
    r3 = answer(npc, Assignment.objects.get(suggestion=s2, unit=npc.units[2]), "C")
    assert r3.doc_number == ""
    lines3 = _lines(documents.suggestion_reply_letter(Reply.objects.get(pk=r3.pk)))
    assert lines3[0] == f"建议编号：{s2.number}\t（C类）"
    assert not any("签发人" in t for t in lines3)
    assert "张明代表：" in lines3  # no seconding deputy
    assert f"您提出的关于便民服务点的建议（第{s2.number}号）收悉。经认真研究，现答复如下：" in lines3
    assert "抄送：测试市人大常委会代表工作委员会。" in lines3  # a separate unit copies no co-handling unit


def test_downloads_follow_the_access_to_the_reply(npc: NPC) -> None:
    s, lead = _setup(npc)
    draft = answer(npc, lead, "A", sign=False)
    docx = reverse("suggestion-reply-docx", args=[s.pk, draft.pk])
    # unsigned: its own unit and the staff only; the deputy sees the suggestion but not the draft
    assert _client(npc.user("clerk0")).get(docx).status_code == 200
    assert _client(npc.user("staff")).get(docx).status_code == 200
    for name in ("deputy0", "clerk1", "clerk2", "head2"):
        assert _client(npc.user(name)).get(docx).status_code == 404, name
    cases.sign_off_reply(npc.user("head0"), draft.pk)
    # signed: whoever sees the suggestion (its deputies, the co-handling unit, another deputy of the council:
    # accepted suggestions are public to deputies); a unit it is not assigned to still does not see it
    for name in ("deputy0", "deputy1", "deputy4", "clerk1", "staff", "leader"):
        response = _client(npc.user(name)).get(docx)
        assert response.status_code == 200, name
        assert response["Content-Type"] == documents.DOCX_CONTENT_TYPE
    assert _client(npc.user("clerk2")).get(docx).status_code == 404
    # a reply of another suggestion under this suggestion's address is not found
    other = accepted(npc, title="另一件")
    assert _client(npc.user("staff")).get(reverse("suggestion-reply-docx", args=[other.pk, draft.pk])).status_code \
        == 404
    # the suggestion's page links the Word and PDF files
    page = _client(npc.user("deputy0")).get(reverse("suggestion-detail", args=[s.pk])).content.decode()
    assert docx in page and reverse("suggestion-reply-pdf", args=[s.pk, draft.pk]) in page


def test_pdf_link_without_libreoffice_says_so_and_word_still_works(npc: NPC, settings: Any) -> None:
    settings.SOFFICE = "/nonexistent/soffice"
    s, lead = _setup(npc)
    reply = answer(npc, lead, "A")
    client = _client(npc.user("deputy0"))
    response = client.get(reverse("suggestion-reply-pdf", args=[s.pk, reply.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "本服务器未安装 LibreOffice，暂不能生成 PDF 文件，请下载 Word 文件。" in html
    docx = reverse("suggestion-reply-docx", args=[s.pk, reply.pk])
    assert f'href="{docx}"' in html
    assert client.get(docx).status_code == 200
    # access is checked before anything else: an outsider gets 404, not the message
    assert _client(npc.user("clerk2")).get(reverse("suggestion-reply-pdf", args=[s.pk, reply.pk])).status_code == 404


def _flat(text: str) -> str:
    return re.sub(r"\s", "", text)


@needs_renderer
def test_pdf_of_the_letter_holds_title_number_and_page_numbers(npc: NPC, tmp_path: Path) -> None:
    s, lead = _setup(npc)
    year = timezone.localdate().year
    reply = answer(npc, lead, "A")
    response = _client(npc.user("deputy0")).get(reverse("suggestion-reply-pdf", args=[s.pk, reply.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    assert pdf_page_count(pdf) == 1  # a short letter: one page
    text = pdf_text(pdf)
    flat = _flat(text)
    assert f"关于测试市十六届人大三次会议第{s.number}号建议的答复" in flat
    assert f"江建〔{year}〕1号" in flat and "张明、李华代表：" in flat
    assert "抄送：市交通运输局，测试市人大常委会代表工作委员会。" in flat
    assert "—1—" in flat  # the page number
