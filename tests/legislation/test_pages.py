"""The outreach office's pages through Django's test client: staff import a real regulation (Word built from
it), correct the split, open a consultation; a citizen comments on article 3 on the portal; staff
consolidate, download the Word report and record adoption, which the citizen reads by tracking code."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from lvzhi.legislation.models import Comment, Consultation, Draft, Opinion, Provision
from tests.cases.npc import NPC, build_npc

pytestmark = pytest.mark.django_db

JIANGMEN = Path("../shared/data/regulations/guangdong/江门市门楼号牌管理条例(2022-12-05).md")


@pytest.fixture
def npc(db: Any) -> NPC:
    cache.clear()
    return build_npc()


def _staff(npc: NPC) -> Client:
    client = Client()
    client.force_login(npc.user("staff"))
    return client


def _word_of_jiangmen() -> bytes:
    body = JIANGMEN.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[1]
    document = docx.Document()
    document.add_paragraph("江门市门楼号牌管理条例")
    document.add_paragraph("（草案）")
    for line in body.splitlines():
        line = re.sub(r"^#+ ", "", line.strip())
        if line:
            document.add_paragraph(re.sub(r"^(第[一二三四五六七八九十]+[条章]) ", "\\1\u3000", line))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(client: Client, data: bytes, name: str) -> Any:
    return client.post("/legislation/", {"file": _file(data, name), "source": "city"})


def _file(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_staff_import_correct_consult(npc: NPC) -> None:
    client = _staff(npc)
    assert client.get("/legislation/").status_code == 200
    bad = _upload(client, b"not word", "draft.docx")
    assert bad.status_code == 400 and "不是有效的 Word" in bad.content.decode()
    empty = _upload(client, b"", "draft.txt")
    assert empty.status_code == 400 and "文件为空" in empty.content.decode()
    assert Draft.objects.count() == 0
    response = _upload(client, _word_of_jiangmen(), "门楼号牌草案.docx")
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert (draft.title, draft.draft_label) == ("江门市门楼号牌管理条例", "（草案）")
    page = client.get(response["Location"]).content.decode()
    assert "共 28 条" in page and "第三条\u3000本条例所称门楼号牌" in page
    third = Provision.objects.get(draft=draft, kind="article", main=3)
    second = Provision.objects.filter(parent=third, kind="paragraph").order_by("order")[1]
    stale = client.post(f"/legislation/drafts/{draft.pk}/", {"act": "split", "paragraph": second.pk,
                                                             "number": "第三条之一", "version": draft.version + 5})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    client.post(f"/legislation/drafts/{draft.pk}/", {"act": "split", "paragraph": second.pk, "number": "第三条之一",
                                                     "version": draft.version})
    assert Provision.objects.filter(draft=draft, kind="article").count() == 29
    draft.refresh_from_db()
    client.post(f"/legislation/drafts/{draft.pk}/", {"act": "merge", "article": Provision.objects.get(
        draft=draft, kind="article", main=3, sub=0).pk, "version": draft.version})
    assert Provision.objects.filter(draft=draft, kind="article").count() == 28
    today = timezone.localdate()
    bad_dates = client.post(f"/legislation/drafts/{draft.pk}/", {
        "act": "consult", "opens_on": str(today), "closes_on": str(today - timedelta(days=1))})
    assert bad_dates.status_code == 400 and "截止日期不能早于开始日期" in bad_dates.content.decode()
    response = client.post(f"/legislation/drafts/{draft.pk}/", {
        "act": "consult", "opens_on": str(today), "closes_on": str(today + timedelta(days=14)), "is_public": "1",
        "source": "provincial", "informants": "信息员甲|白沙街道\n信息员乙", "partners": "市律师协会"})
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.invitees.count() == 3
    # others cannot reach the staff pages
    deputy = Client()
    deputy.force_login(npc.user("deputy0"))
    assert deputy.get("/legislation/").status_code == 404
    assert deputy.get(f"/legislation/drafts/{draft.pk}/").status_code == 404
    assert deputy.get(f"/legislation/consultations/{consultation.pk}/report.docx").status_code == 404
    # a deputy comments on the consultation page (article 3 was rebuilt by the corrections)
    third = Provision.objects.get(draft=draft, kind="article", main=3)
    assert deputy.post(f"/legislation/consultations/{consultation.pk}/", {
        "act": "comment", "provision": third.pk, "text": "建议门楼牌统一样式。"}).status_code == 302
    assert Comment.objects.get().source == "deputy"


def _consultation(npc: NPC, *, days_left: int = 14) -> Consultation:
    from lvzhi.legislation import actions

    draft = actions.import_draft(None, npc.council, JIANGMEN.read_bytes(), JIANGMEN.name)
    today = timezone.localdate()
    return actions.create_consultation(None, draft.pk, opens_on=today - timedelta(days=1),
                                       closes_on=today + timedelta(days=days_left))


def test_portal_comment_consolidate_report_feedback(npc: NPC, django_capture_on_commit_callbacks: Any) -> None:
    consultation = _consultation(npc)
    third = Provision.objects.get(draft=consultation.draft, kind="article", main=3)
    public = Client(enforce_csrf_checks=False)
    assert consultation.title in public.get("/portal/legislation/").content.decode()
    page = public.get(f"/portal/legislation/{consultation.pk}/").content.decode()
    assert "第三条 本条例所称门楼号牌，包括门楼号和门楼牌。" in page
    too_long = public.post(f"/portal/legislation/{consultation.pk}/", {"provision": third.pk, "text": "长" * 100_000})
    assert too_long.status_code == 400 and "不能超过 5,000 个字" in too_long.content.decode()
    done = public.post(f"/portal/legislation/{consultation.pk}/", {
        "provision": third.pk, "text": "户（室）牌的样式应全市统一。", "author_name": "市民王女士",
        "contact": "13800000000"})
    assert done.status_code == 200
    comment = Comment.objects.get()
    assert comment.tracking_code in done.content.decode() and comment.provision == third
    assert "13800000000" not in public.get(f"/portal/legislation/{consultation.pk}/").content.decode()
    client = _staff(npc)
    client.post(f"/legislation/consultations/{consultation.pk}/", {
        "act": "comment", "provision": third.pk, "source": "hearing", "hearing": "蓬江区座谈会",
        "speakers": "张三、李四", "text": "户（室）牌的样式应当全市统一。"})
    hearing = Comment.objects.get(source="hearing")
    page = client.get(f"/legislation/consultations/{consultation.pk}/").content.decode()
    assert "相近意见 2 条" in page
    client.post(f"/legislation/consultations/{consultation.pk}/", {
        "act": "opinion", "provision": third.pk, "comments": [comment.pk, hearing.pk],
        "text": "建议规定户（室）牌样式全市统一。", "reasons": "便于识别。", "reported": "1"})
    opinion = Opinion.objects.get()
    # not reported after all, then chosen again (the comments stay linked)
    client.post(f"/legislation/consultations/{consultation.pk}/", {
        "act": "opinion", "opinion": opinion.pk, "version": opinion.version, "provision": third.pk,
        "text": opinion.text, "reasons": opinion.reasons})
    opinion.refresh_from_db()
    assert not opinion.reported and opinion.comments.count() == 2
    stale = client.post(f"/legislation/consultations/{consultation.pk}/", {
        "act": "opinion", "opinion": opinion.pk, "version": opinion.version - 1, "provision": third.pk,
        "text": opinion.text, "reported": "1"})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    client.post(f"/legislation/consultations/{consultation.pk}/", {
        "act": "opinion", "opinion": opinion.pk, "version": opinion.version, "provision": third.pk,
        "text": opinion.text, "reasons": opinion.reasons, "reported": "1"})
    opinion.refresh_from_db()
    assert opinion.reported and opinion.version == 3
    report = client.get(f"/legislation/consultations/{consultation.pk}/report.docx")
    assert report.status_code == 200
    rows = [[c.text for c in r.cells] for r in docx.Document(io.BytesIO(report.content)).tables[0].rows]
    assert rows[1][1:] == ["第三条", queries_text(consultation, third), "建议规定户（室）牌样式全市统一。", "便于识别。",
                           "蓬江区座谈会：张三、李四；社会公众 1 人"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/legislation/consultations/{consultation.pk}/", {
            "act": "adoption", "opinion": opinion.pk, "adoption": "adopted", "note": "修改稿已采纳。",
            "version": opinion.version})
    # 数读 for this year: 1 draft, 2 comments (portal + hearing), 1 reported, adopted 1 of 1 answered
    fig = client.get(f"/legislation/?year={timezone.localdate().year}").context["figures"]
    assert (fig.drafts_consulted, fig.comments, fig.opinions_reported, fig.adopted, fig.adoption_rate) == (
        1, 2, 1, 1, 1.0)
    assert client.get("/legislation/?year=2001").context["figures"].comments == 0
    feedback = public.get(f"/portal/legislation/feedback/?code={comment.tracking_code}").content.decode()
    assert "采纳" in feedback and "修改稿已采纳。" in feedback
    # the window closes: the page says so without forms, a late post is refused clearly, nothing written
    closed_on = timezone.localdate() - timedelta(days=1)
    Consultation.objects.filter(pk=consultation.pk).update(closes_on=closed_on)
    page = public.get(f"/portal/legislation/{consultation.pk}/").content.decode()
    assert f"本次征求意见已于 {closed_on:%Y-%m-%d} 截止" in page and 'name="text"' not in page
    assert consultation.title not in public.get("/portal/legislation/").content.decode()
    late = public.post(f"/portal/legislation/{consultation.pk}/", {"provision": third.pk, "text": "晚到的意见"})
    assert late.status_code == 400 and f"征求意见已于 {closed_on:%Y-%m-%d} 截止" in late.content.decode()
    assert Comment.objects.filter(source="public").count() == 1


def queries_text(consultation: Consultation, article: Provision) -> str:
    """Article 3 as printed in the file: its three lines."""
    source = JIANGMEN.read_text(encoding="utf-8")
    block = source[source.index("第三条 "):source.index("第四条 ")]
    return "\n".join(ln for ln in block.splitlines() if ln.strip())


def test_portal_rate_limit(npc: NPC, settings: Any) -> None:
    settings.LVZHI_PORTAL_RATE = (2, 600)
    consultation = _consultation(npc)
    public = Client()
    for _i in range(2):
        assert public.post(f"/portal/legislation/{consultation.pk}/", {"text": "整体赞成。"}).status_code == 200
    refused = public.post(f"/portal/legislation/{consultation.pk}/", {"text": "整体赞成。"})
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert Comment.objects.count() == 2


def test_garbage_ids_answer_in_chinese_not_500(npc: NPC) -> None:
    client = _staff(npc)
    consultation = _consultation(npc)
    draft = consultation.draft
    for data in ({"act": "split", "paragraph": "abc", "number": "第三条之一"}, {"act": "merge", "article": "x"},
                 {"act": "edit", "article": "1.5", "text": "第一条　甲。"}, {"act": "nothing"}):
        response = client.post(f"/legislation/drafts/{draft.pk}/", data)
        assert response.status_code == 400, data
    for data in ({"act": "opinion", "opinion": "zz", "text": "x"}, {"act": "adoption", "opinion": "zz"},
                 {"act": "comment", "provision": "abc", "text": "x", "source": "public"},
                 {"act": "comment", "member": "abc", "text": "x", "source": "deputy"}):
        response = client.post(f"/legislation/consultations/{consultation.pk}/", data)
        assert response.status_code in (400, 404), data
    assert Client().post(f"/portal/legislation/{consultation.pk}/", {"provision": "abc", "text": "x"}).status_code == 400
    assert client.get("/legislation/drafts/abc/").status_code == 404
