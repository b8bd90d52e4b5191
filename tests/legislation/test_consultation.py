"""A consultation from import to adoption feedback through the writers, on a real regulation
(江门市门楼号牌管理条例: 28 articles; article 3 has three paragraphs — read from the file)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.core.models import AuditEntry, Notification
from lvzhi.legislation import actions, queries
from lvzhi.legislation.actions import InviteeSpec
from lvzhi.legislation.choices import Adoption, CommentSource, DraftStatus, InviteeKind, ProvisionKind
from lvzhi.legislation.models import COMMENT_MAX, Comment, Draft, Opinion, Provision
from lvzhi.legislation.parsing import parse_text
from tests.cases.npc import NPC, build_npc

pytestmark = pytest.mark.django_db

JIANGMEN = Path("../shared/data/regulations/guangdong/江门市门楼号牌管理条例(2022-12-05).md")
NO_BODY = Path("../shared/data/regulations/guangdong/汕头经济特区突发公共卫生事件应急条例(2022-05-30).md")


@pytest.fixture
def npc(db: Any) -> NPC:
    return build_npc()


def _import(npc: NPC) -> Draft:
    return actions.import_draft(npc.user("staff"), npc.council, JIANGMEN.read_bytes(), JIANGMEN.name)


def _article(draft: Draft, main: int) -> Provision:
    return Provision.objects.get(draft=draft, kind=ProvisionKind.ARTICLE, main=main, sub=0)


def test_import_writes_the_tree(npc: NPC) -> None:
    draft = _import(npc)
    # 6 chapters, 28 articles (counted in the file); article 3: three paragraphs; article 11: 1 paragraph, 3 items
    assert Provision.objects.filter(draft=draft, kind="chapter").count() == 6
    assert Provision.objects.filter(draft=draft, kind="article").count() == 28
    third = _article(draft, 3)
    assert Provision.objects.filter(parent=third, kind="paragraph").count() == 3
    eleventh = _article(draft, 11)
    assert Provision.objects.filter(parent__parent=eleventh, kind="item").count() == 3
    views = queries.articles_of(draft)
    source = JIANGMEN.read_text(encoding="utf-8")
    start = source.index("第三条 ")
    expected = [ln for ln in source[start:source.index("第四条 ")].splitlines() if ln.strip()]
    assert views[2].lines == expected
    assert views[2].chapter == "第一章 总 则"
    assert AuditEntry.objects.filter(event="draft_imported", target_id=draft.pk).count() == 1
    # the stored tree prints back to a text that parses to the same structure and article texts
    again = parse_text(actions.draft_text(draft), markdown=False)
    assert again.summary() == {"title": "江门市门楼号牌管理条例", "chapters": 6, "sections": 0, "articles": 28}
    assert [a.full_text() for a in again.articles] == [v.text for v in views]


def test_import_refusals_write_nothing(npc: NPC) -> None:
    with pytest.raises(DomainError, match="未找到任何条文"):
        actions.import_draft(npc.user("staff"), npc.council, NO_BODY.read_bytes(), NO_BODY.name)
    with pytest.raises(DomainError, match="不是有效的 Word"):
        actions.import_draft(npc.user("staff"), npc.council, b"not a word file", "x.docx")
    with pytest.raises(ForbiddenError):
        actions.import_draft(npc.user("deputy0"), npc.council, JIANGMEN.read_bytes(), JIANGMEN.name)
    assert Draft.objects.count() == 0 and Provision.objects.count() == 0


def test_command_dry_run_json_and_import(npc: NPC, capsys: Any) -> None:
    call_command("import_draft", str(JIANGMEN), "--dry-run", "--json")
    out = capsys.readouterr().out
    assert json.loads(out) == {"title": "江门市门楼号牌管理条例", "chapters": 6, "sections": 0, "articles": 28}
    assert Draft.objects.count() == 0
    call_command("import_draft", str(JIANGMEN), "--json")  # the only NPC council
    assert json.loads(capsys.readouterr().out)["articles"] == 28
    assert Draft.objects.get().council == npc.council
    with pytest.raises(CommandError) as err:
        call_command("import_draft", str(NO_BODY), "--dry-run", "--json")
    assert err.value.returncode == 2 and "未找到任何条文" in str(err.value)


@pytest.mark.parametrize("content,name,message", [
    (b"", "empty.docx", "文件为空"), (b"plain words", "fake.docx", "不是有效的 Word"), (b"", "empty.txt", "文件为空")])
def test_command_exit_code_2(tmp_path: Path, content: bytes, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    run = subprocess.run([sys.executable, "-m", "lvzhi.cli", "import-draft", str(path), "--dry-run", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stdout == "" and message in run.stderr


def test_command_one_json_object_for_a_word_file(tmp_path: Path) -> None:
    document = docx.Document()
    for line in ["某市养犬管理条例", "（草案）", "第一章　总　则", "第一条　为了规范养犬行为，依照本条例第十条制定。",
                 "第二章　附　则", "第二条　本条例自2026年1月1日起施行。"]:
        document.add_paragraph(line)
    path = tmp_path / "draft.docx"
    document.save(str(path))
    run = subprocess.run([sys.executable, "-m", "lvzhi.cli", "import-draft", str(path), "--dry-run", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"title": "某市养犬管理条例", "chapters": 2, "sections": 0, "articles": 2}


def test_correcting_the_split(npc: NPC) -> None:
    staff = npc.user("staff")
    draft = _import(npc)
    third = _article(draft, 3)
    second_paragraph = Provision.objects.filter(parent=third, kind="paragraph").order_by("order")[1]
    draft = actions.split_article(staff, draft.pk, second_paragraph.pk, "第三条之一", version=draft.version)
    assert Provision.objects.filter(draft=draft, kind="article").count() == 29
    inserted = Provision.objects.get(draft=draft, kind="article", main=3, sub=1)
    assert inserted.text.startswith("第三条之一\u3000本条例所称门楼号，")
    with pytest.raises(ConflictError):
        actions.merge_with_next(staff, draft.pk, _article(draft, 3).pk, version=draft.version - 1)
    draft = actions.merge_with_next(staff, draft.pk, _article(draft, 3).pk, version=draft.version)
    assert Provision.objects.filter(draft=draft, kind="article").count() == 28
    assert Provision.objects.filter(parent=_article(draft, 3), kind="paragraph").count() == 3
    # an edit that duplicates a number is refused, nothing changes
    fourth = _article(draft, 4)
    with pytest.raises(DomainError, match="「第五条」出现 2 次"):
        actions.edit_article(staff, draft.pk, fourth.pk, "第五条　重复的序号。", version=draft.version)
    assert Provision.objects.filter(draft=draft, kind="article").count() == 28
    draft = actions.edit_article(staff, draft.pk, fourth.pk, "第四条　修改后的第四条。\n第二款。",
                                 version=draft.version)
    assert queries.articles_of(draft)[3].lines == ["第四条　修改后的第四条。", "第二款。"]
    assert AuditEntry.objects.filter(target_id=draft.pk, event__startswith="draft_article").count() == 3  # split, merge, edit; not the refused one


def _consultation(npc: NPC, draft: Draft, *, days_left: int = 10) -> Any:
    today = timezone.localdate()
    # a partner unit with an account (the education bureau's clerk), an informant without one
    partner = npc.user("clerk2")
    return actions.create_consultation(
        npc.user("staff"), draft.pk, opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=days_left),
        source="provincial", invitees=[InviteeSpec(InviteeKind.INFORMANT, "信息员甲", "白沙街道"),
                                       InviteeSpec(InviteeKind.PARTNER_UNIT, "市教育局", user=partner)]), partner


def test_consultation_to_adoption(npc: NPC, django_capture_on_commit_callbacks: Any) -> None:
    staff = npc.user("staff")
    draft = _import(npc)
    with django_capture_on_commit_callbacks(execute=True):
        consultation, informant = _consultation(npc, draft)
    assert Draft.objects.get(pk=draft.pk).status == DraftStatus.CONSULTING
    assert Notification.objects.filter(recipient=informant).count() == 1
    third = _article(draft, 3)
    a = actions.add_comment(informant, consultation.pk, provision_pk=third.pk, text="建议明确门楼牌的制作标准。")
    assert a.source == CommentSource.PARTNER_UNIT and a.author_name == "市教育局"
    e = actions.add_comment(staff, consultation.pk, provision_pk=_article(draft, 5).pk, text="第五条职责不清。",
                            source="informant", author_name="信息员甲")
    assert e.source == CommentSource.INFORMANT and e.user is None and e.entered_by == staff
    b = actions.add_comment(npc.user("deputy0"), consultation.pk, provision_pk=third.pk,
                            text="建议明确门楼牌的制作标准！")
    assert b.source == CommentSource.DEPUTY and b.author_name == "陈代表"
    c = actions.submit_public_comment(consultation.pk, provision_pk=third.pk, text="户（室）牌应由业主自行设置。")
    d = actions.add_comment(staff, consultation.pk, text="总体赞成。", source="hearing", hearing="蓬江区座谈会",
                            speakers="张三、李四")
    with pytest.raises(DomainError, match="座谈会名称"):
        actions.add_comment(staff, consultation.pk, text="x", source="hearing", speakers="张三")
    with pytest.raises(ForbiddenError):
        actions.add_comment(npc.user("clerk0"), consultation.pk, text="x")
    # consolidation: a and b are near-duplicates (same words, one punctuation mark apart), c stands alone
    view = queries.consolidation(consultation)
    assert [v.article.number if v.article else None for v in view] == [None, "第三条", "第五条"]
    assert [[c.pk for c in g.comments] for g in view[1].groups] == [[a.pk, b.pk], [c.pk]]
    op1 = actions.save_opinion(staff, consultation.pk, provision_pk=third.pk, text="建议明确门楼牌制作标准。",
                               reasons="便于统一。", comment_ids=[a.pk, b.pk])
    op2 = actions.save_opinion(staff, consultation.pk, provision_pk=third.pk, text="户牌由业主设置。",
                               comment_ids=[c.pk], reported=False)
    with pytest.raises(DomainError, match="同一条文"):
        actions.save_opinion(staff, consultation.pk, provision_pk=third.pk, text="x", comment_ids=[d.pk])
    on_paper = actions.add_comment(staff, consultation.pk, text="总体赞成，建议尽快出台。", source="deputy",
                                   member_pk=npc.deputies[1].pk)
    assert on_paper.author_name == "林代表" and on_paper.user is None
    op3 = actions.save_opinion(staff, consultation.pk, text="总体赞成。", comment_ids=[d.pk, on_paper.pk])
    report = docx.Document(io.BytesIO(queries.report_docx(consultation)))
    rows = [[cell.text for cell in row.cells] for row in report.tables[0].rows]
    assert rows[0] == ["序号", "条文", "原文", "意见建议", "理由", "意见来源"]
    assert [r[1] for r in rows[1:]] == ["总体意见", "第三条"]  # op2 not reported
    assert rows[2][2].startswith("第三条 本条例所称门楼号牌，包括门楼号和门楼牌。\n本条例所称门楼号，")
    assert rows[2][3:] == ["建议明确门楼牌制作标准。", "便于统一。", "协作单位 市教育局；人大代表 陈代表"]
    assert rows[1][5] == "蓬江区座谈会：张三、李四；人大代表 林代表"
    actions.mark_reported(staff, consultation.pk)
    assert Draft.objects.get(pk=draft.pk).status == DraftStatus.REPORTED
    with pytest.raises(DomainError, match="未报送"):
        actions.record_adoption(staff, op2.pk, Adoption.ADOPTED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_adoption(staff, op1.pk, Adoption.ADOPTED, note="已在修改稿第三条增加规定。", version=op1.version)
        actions.record_adoption(staff, op3.pk, Adoption.NOT_ADOPTED)
    # feedback to each commenter with an account: the informant (invitation + feedback), the deputy
    assert Notification.objects.filter(recipient=informant).count() == 2
    assert Notification.objects.filter(recipient=npc.user("deputy0"), text__contains="已被采纳").count() == 1
    # the deputy whose comment staff entered hears that op3 was not adopted
    assert Notification.objects.filter(recipient=npc.user("deputy1"), text__contains="未被采纳").count() == 1
    assert queries.feedback_for(c.tracking_code.lower())[0].opinion == Opinion.objects.get(pk=op2.pk)
    fig = queries.figures(npc.council.pk)
    # by hand: 1 draft, 6 comments (a–e and the one on paper), 2 reported opinions (op1, op3), 1 adopted of 2
    assert (fig.drafts_consulted, fig.comments, fig.opinions_reported, fig.adopted, fig.not_adopted) == (1, 6, 2, 1, 1)
    assert fig.adoption_rate == 0.5
    assert fig.comments_by_source == {"partner_unit": 1, "informant": 1, "deputy": 2, "public": 1, "hearing": 1}
    # the same figures in the shared 数读 (statistics page, lvzhi stats, workbook) through lvzhi.core.sections
    from lvzhi.core.sections import sections

    shown = {s.key: dict(s.figures) for s in sections(npc.council.pk)}["legislation"]
    assert (shown["征求意见的法规草案"], shown["收集意见"], shown["上报意见"], shown["采纳"], shown["采纳率"]) == \
        (1, 6, 2, 1, "50.0%")
    # once comments exist the split is frozen
    with pytest.raises(DomainError, match="已收到意见"):
        actions.merge_with_next(staff, draft.pk, third.pk, version=None)


def test_an_opinion_without_comments_freezes_the_split_too(npc: NPC) -> None:
    draft = _import(npc)
    consultation, _partner = _consultation(npc, draft)
    actions.save_opinion(npc.user("staff"), consultation.pk, provision_pk=_article(draft, 3).pk, text="办公室意见。")
    with pytest.raises(DomainError, match="已收到意见"):
        actions.edit_article(npc.user("staff"), draft.pk, _article(draft, 3).pk, "第三条　改。", version=None)


def test_comment_refusals(npc: NPC) -> None:
    draft = _import(npc)
    consultation, informant = _consultation(npc, draft)
    third = _article(draft, 3)
    with pytest.raises(DomainError, match="不能超过 5,000 个字（现有 100,000 个）"):
        actions.submit_public_comment(consultation.pk, provision_pk=third.pk, text="长" * 100_000)
    assert COMMENT_MAX == 5000
    actions.submit_public_comment(consultation.pk, provision_pk=third.pk, text="长" * COMMENT_MAX)
    with pytest.raises(DomainError, match="请填写「意见」"):
        actions.submit_public_comment(consultation.pk, provision_pk=third.pk, text="   ")
    other = Provision.objects.create(draft=Draft.objects.create(council=npc.council, title="x"), kind="article",
                                     order=0, number="第一条", main=1, text="第一条 x")
    with pytest.raises(DomainError, match="本草案中的条文"):
        actions.submit_public_comment(consultation.pk, provision_pk=other.pk, text="意见")
    # after the window closes
    today = timezone.localdate()
    consultation.closes_on = today - timedelta(days=1)
    consultation.save()
    with pytest.raises(DomainError, match=r"已于 .* 截止"):
        actions.submit_public_comment(consultation.pk, provision_pk=third.pk, text="晚到的意见")
    with pytest.raises(DomainError, match="截止"):
        actions.add_comment(informant, consultation.pk, provision_pk=third.pk, text="晚到的意见")
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("batch", [1, 3, 1000])
def test_near_duplicates_stay_within_their_article(npc: NPC, monkeypatch: Any, batch: int) -> None:
    monkeypatch.setattr(queries, "BATCH", batch)
    draft = _import(npc)
    consultation, _partner = _consultation(npc, draft)
    third, fifth = _article(draft, 3), _article(draft, 5)
    same = "建议明确门楼牌由谁负责设置和维护。"
    a = actions.submit_public_comment(consultation.pk, provision_pk=third.pk, text=same)
    b = actions.submit_public_comment(consultation.pk, provision_pk=fifth.pk, text=same)
    c = actions.submit_public_comment(consultation.pk, provision_pk=third.pk, text=same.replace("。", "！"))
    d = actions.submit_public_comment(consultation.pk, provision_pk=third.pk, text="第三条的定义过于宽泛。")
    e = actions.submit_public_comment(consultation.pk, text="总体赞成。")
    view = {v.article.number if v.article else "": [[x.pk for x in g.comments] for g in v.groups]
            for v in queries.consolidation(consultation)}
    # the same words on articles 3 and 5 are not one group; on article 3 a and c are
    assert view == {"": [[e.pk]], "第三条": [[a.pk, c.pk], [d.pk]], "第五条": [[b.pk]]}
