"""The writers of the legislative outreach office (基层立法联系点, WORKFLOWS.md §5): importing a draft and
correcting its split, consultations, comments, consolidated opinions, the report upward and the adoption
feedback.

Each function is one act: one transaction, permission checked (the office's staff — staff or administrator
of the council; ``actor=None`` is the system: the console command and the demo builder), the loaded
``version`` checked for edits (:class:`ConflictError`), one audit entry, notifications after commit.
Refusals raise :class:`~lvzhi.core.errors.DomainError` with a Chinese message naming the field; nothing is
half-written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases import people
from lvzhi.core import audit
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from lvzhi.legislation import parsing
from lvzhi.legislation.choices import (
    Adoption,
    CommentSource,
    DraftStatus,
    InviteeKind,
    ProvisionKind,
    SourceLegislature,
)
from lvzhi.legislation.models import COMMENT_MAX, Comment, Consultation, Draft, Invitee, Opinion, Provision
from lvzhi.members.access import is_council_staff
from lvzhi.members.choices import CouncilKind
from lvzhi.members.models import Council, Member, Profile

NAME_MAX = 100
CONTACT_MAX = 100
HEARING_MAX = 200
SPEAKERS_MAX = 500
#: Longest consolidated opinion (汇总意见) and its reasons: it may gather several comments.
OPINION_MAX = COMMENT_MAX * 2


def _check_staff(actor: Any, council_id: int) -> None:
    if actor is None:
        return  # the system: console command, demo builder
    if not is_council_staff(actor, council_id):
        raise ForbiddenError("只有本机构立法联系点的工作人员可以办理此事项。")


def _text(value: Any, field: str, label: str, *, required: bool, max_length: int) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length:,} 个字（现有 {len(text):,} 个）。", field=field)
    return text


def _id(value: Any) -> int:
    """An id from user input; 0 (matches nothing) for anything that is not a whole number."""
    return int(value) if str(value).isdigit() else 0


def _check_version(obj: Draft | Opinion | Consultation, version: int | None) -> None:
    if version is not None and int(version) != obj.version:
        raise ConflictError("该内容已被他人修改，请刷新页面后重试。")


def default_council() -> Council:
    """The only people's congress council (for the console command); :class:`DomainError` when there is
    none or several."""
    councils = list(Council.objects.filter(kind=CouncilKind.NPC)[:2])
    if len(councils) != 1:
        raise DomainError("请用 --council 指定机构（系统中人大常委会机构不是正好一个）。", field="council")
    return councils[0]


# ------------------------------------------------------------------------------------------------ drafts


def _save_tree(draft: Draft, parsed: parsing.ParsedDraft) -> int:
    """Write ``parsed``'s nodes as the draft's provisions (document order, parents first level by level);
    returns the number of rows."""
    rows: list[tuple[parsing.Node, parsing.Node | None, int]] = []
    order = 0

    def visit(node: parsing.Node, parent: parsing.Node | None) -> None:
        nonlocal order
        rows.append((node, parent, order))
        order += 1
        for child in node.children:
            visit(child, node)

    for top in parsed.body:
        visit(top, None)
    created: dict[int, Provision] = {}
    depth: dict[int, int] = {}
    for node, parent, _o in rows:
        depth[id(node)] = 0 if parent is None else depth[id(parent)] + 1
    for level in range(max(depth.values(), default=-1) + 1):
        batch = [(node, Provision(
            draft=draft, parent=created[id(parent)] if parent is not None else None, kind=node.kind,
            order=o, number=node.number, main=node.ordinal[0], sub=node.ordinal[1], heading=node.heading,
            text=node.text)) for node, parent, o in rows if depth[id(node)] == level]
        Provision.objects.bulk_create([p for _n, p in batch], batch_size=2000)
        for node, provision in batch:
            created[id(node)] = provision
    return len(rows)


@transaction.atomic
def import_draft(actor: Any, council: Council, data: bytes, file_name: str, *,
                 source: str = SourceLegislature.CITY, is_demo: bool = False) -> Draft:
    """Import a draft file (.docx, .txt or the Markdown layout) for ``council``: parse it
    (:func:`lvzhi.legislation.parsing.parse_bytes`) and write the draft and its provisions. Raises
    :class:`DomainError` (field ``file``) with the parser's Chinese message for an unreadable file, or
    (field ``source``) for an unknown source; :class:`ForbiddenError` for someone not on the staff."""
    _check_staff(actor, council.pk)
    if source not in SourceLegislature.values:
        raise DomainError("请选择草案来源（全国、省或本市）。", field="source")
    try:
        parsed = parsing.parse_bytes(data, file_name or "draft.txt")
    except parsing.DraftError as exc:
        raise DomainError(str(exc), field="file") from None
    if len(parsed.title) > 300:
        raise DomainError("草案标题不能超过 300 个字。", field="file")
    draft = Draft.objects.create(
        council=council, title=parsed.title, draft_label=parsed.draft_label, source=source,
        preamble="\n".join(parsed.preamble), warnings=parsed.warnings, file_name=(file_name or "")[-300:],
        source_format=parsed.source_format, is_demo=is_demo,
        created_by=actor if getattr(actor, "pk", None) else None)
    _save_tree(draft, parsed)
    audit.record(draft, "draft_imported", actor=actor, new={**parsed.summary(), "file": draft.file_name})
    return draft


def draft_text(draft: Draft) -> str:
    """The draft as plain text, one paragraph a line (title, label, headings, articles as printed): what
    the parser reads back to the same structure."""
    lines = [draft.title]
    if draft.draft_label:
        lines.append(draft.draft_label)
    lines.extend(text for _p, text in _article_lines(draft)[0])
    return "\n".join(lines)


def _article_lines(draft: Draft) -> tuple[list[tuple[Provision, str]], dict[int, int]]:
    """Text lines of the draft with the provision each came from, and the index of each provision's line."""
    out: list[tuple[Provision, str]] = []
    index: dict[int, int] = {}
    for p in Provision.objects.filter(draft=draft).select_related("parent"):
        if p.kind == ProvisionKind.PARAGRAPH and p.parent is not None and p.parent.kind == ProvisionKind.ARTICLE \
                and p.parent.order + 1 == p.order and p.parent.text != p.parent.number:
            index[p.pk] = len(out) - 1  # the article's first paragraph shares its line
            continue
        index[p.pk] = len(out)
        out.append((p, p.text))
    return out, index


def _restructure(actor: Any, draft_pk: int, version: int | None, event: str,
                 edit: Any, detail: dict[str, Any]) -> Draft:
    """Lock the draft, apply ``edit(lines, index)`` to its text lines, parse again and replace its
    provisions. Refused once comments exist (they point at provisions)."""
    draft = Draft.objects.select_for_update().filter(pk=_id(draft_pk)).first()
    if draft is None:
        raise NotFoundError()
    _check_staff(actor, draft.council_id)
    _check_version(draft, version)
    if Comment.objects.filter(consultation__draft=draft).exists() or \
            Opinion.objects.filter(consultation__draft=draft).exists():
        raise DomainError("该草案已收到意见，不能再调整条文结构。", field="draft")
    lines, index = _article_lines(draft)
    texts = [t for _p, t in lines]
    texts = edit(lines, index, texts)
    head = [draft.title] + ([draft.draft_label] if draft.draft_label else [])
    try:
        parsed = parsing.parse_text("\n".join(head + texts), markdown=False)
    except parsing.DraftError as exc:
        raise DomainError(str(exc), field="text") from None
    before = len(Provision.objects.filter(draft=draft, kind=ProvisionKind.ARTICLE))
    Provision.objects.filter(draft=draft).update(parent=None)
    Provision.objects.filter(draft=draft).delete()
    _save_tree(draft, parsed)
    draft.warnings = parsed.warnings
    draft.version += 1
    draft.save(update_fields=["warnings", "version"])
    audit.record(draft, event, actor=actor, old={"articles": before},
                 new={**detail, "articles": len(parsed.articles)})
    return draft


def _article(draft_pk: int, pk: Any) -> Provision:
    article = Provision.objects.filter(draft_id=draft_pk, pk=_id(pk), kind=ProvisionKind.ARTICLE).first()
    if article is None:
        raise DomainError("请选择本草案中的条文。", field="article")
    return article


def _span(draft_pk: int, article: Provision, lines: list[tuple[Provision, str]], index: dict[int, int]
          ) -> tuple[int, int]:
    """First and last+1 line index of ``article`` (its own line to the line before the next non-descendant)."""
    start = index[article.pk]
    end = start + 1
    ids = {article.pk}
    while end < len(lines) and lines[end][0].parent_id in ids:
        ids.add(lines[end][0].pk)
        end += 1
    return start, end


@transaction.atomic
def edit_article(actor: Any, draft_pk: int, article_pk: Any, text: str, *, version: int | None) -> Draft:
    """Replace an article's whole text (its number line, paragraphs and items, one per line) with ``text``;
    the draft is parsed again, so a line starting ``第X条`` in ``text`` starts another article and a
    duplicated number is refused."""
    new = _text(text, "text", "条文", required=True, max_length=50_000)
    article = _article(draft_pk, article_pk)

    def edit(lines: list[tuple[Provision, str]], index: dict[int, int], texts: list[str]) -> list[str]:
        start, end = _span(draft_pk, article, lines, index)
        return texts[:start] + new.splitlines() + texts[end:]

    return _restructure(actor, draft_pk, version, "draft_article_edited", edit, {"article": article.number})


@transaction.atomic
def merge_with_next(actor: Any, draft_pk: int, article_pk: Any, *, version: int | None) -> Draft:
    """Merge the next article into this one: its number is dropped and its paragraphs become further
    paragraphs of this article (an article wrongly split at a line that only looked like a number)."""
    article = _article(draft_pk, article_pk)
    nxt = Provision.objects.filter(draft_id=draft_pk, kind=ProvisionKind.ARTICLE, order__gt=article.order).first()
    if nxt is None:
        raise DomainError("这是最后一条，没有可合并的下一条。", field="article")

    def edit(lines: list[tuple[Provision, str]], index: dict[int, int], texts: list[str]) -> list[str]:
        _start, end = _span(draft_pk, article, lines, index)
        if end >= len(lines) or lines[end][0].pk != nxt.pk:
            raise DomainError("下一条不紧接本条（中间有章节标题），不能合并。", field="article")
        rest = texts[end][len(nxt.number):].lstrip(parsing.SPACE)
        return texts[:end] + ([rest] if rest else []) + texts[end + 1:]

    return _restructure(actor, draft_pk, version, "draft_articles_merged", edit,
                        {"article": article.number, "merged": nxt.number})


@transaction.atomic
def split_article(actor: Any, draft_pk: int, paragraph_pk: Any, number: str, *, version: int | None) -> Draft:
    """Start a new article ``number`` (``第十条之一``) at a paragraph of an article: that paragraph and what
    follows in the article form the new article. A number already used is refused."""
    number = _text(number, "number", "新条文序号", required=True, max_length=40)
    if not parsing.ARTICLE_RE.fullmatch(number):
        raise DomainError("新条文序号应写作「第X条」或「第X条之一」。", field="number")
    paragraph = Provision.objects.filter(draft_id=draft_pk, pk=_id(paragraph_pk)).exclude(
        kind__in=[ProvisionKind.CHAPTER, ProvisionKind.SECTION, ProvisionKind.ARTICLE]).first()
    if paragraph is None:
        raise DomainError("请选择要拆分开始的款或项。", field="paragraph")

    def edit(lines: list[tuple[Provision, str]], index: dict[int, int], texts: list[str]) -> list[str]:
        at = index[paragraph.pk]
        if lines[at][0].pk != paragraph.pk:
            raise DomainError("条文的第一款不能拆分为新条。", field="paragraph")
        texts = list(texts)
        texts[at] = f"{number}\u3000{texts[at]}"
        return texts

    return _restructure(actor, draft_pk, version, "draft_article_split", edit, {"number": number})


# ------------------------------------------------------------------------------------------ consultations


@dataclass(frozen=True)
class InviteeSpec:
    kind: str
    name: str
    organisation: str = ""
    user: Any = None


@transaction.atomic
def create_consultation(actor: Any, draft_pk: int, *, title: str = "", opens_on: date | None,
                        closes_on: date | None, source: str | None = None, note: str = "",
                        is_public: bool = True, invitees: Sequence[InviteeSpec] = ()) -> Consultation:
    """Open a consultation (征求意见) on a draft: window ``opens_on``–``closes_on`` (both days included),
    the draft's source (who sent it), the invited informants and partner units (notified when they have an
    account). Raises :class:`DomainError` naming the field (opens_on, closes_on, source, invitees)."""
    draft = Draft.objects.select_for_update().filter(pk=_id(draft_pk)).first()
    if draft is None:
        raise NotFoundError()
    _check_staff(actor, draft.council_id)
    if opens_on is None:
        raise DomainError("请填写开始日期。", field="opens_on")
    if closes_on is None:
        raise DomainError("请填写截止日期。", field="closes_on")
    if closes_on < opens_on:
        raise DomainError("截止日期不能早于开始日期。", field="closes_on")
    if source:
        if source not in SourceLegislature.values:
            raise DomainError("请选择草案来源（全国、省或本市）。", field="source")
        draft.source = source
    title = _text(title or f"关于《{draft.title}》{draft.draft_label}征求意见", "title", "名称",
                  required=True, max_length=300)
    consultation = Consultation.objects.create(
        draft=draft, council_id=draft.council_id, title=title, opens_on=opens_on, closes_on=closes_on,
        note=_text(note, "note", "说明", required=False, max_length=5000), is_public=bool(is_public))
    seen: set[tuple[str, str]] = set()
    rows = []
    for spec in invitees:
        if spec.kind not in InviteeKind.values:
            raise DomainError("受邀对象类型应为信息员或协作单位。", field="invitees")
        name = _text(spec.name, "invitees", "受邀对象名称", required=True, max_length=NAME_MAX)
        if (spec.kind, name) in seen:
            continue
        seen.add((spec.kind, name))
        rows.append(Invitee(consultation=consultation, kind=spec.kind, name=name,
                            organisation=_text(spec.organisation, "invitees", "单位", required=False,
                                               max_length=200), user=spec.user))
    Invitee.objects.bulk_create(rows)
    draft.status = DraftStatus.CONSULTING
    draft.save(update_fields=["status", "source"])
    audit.record(consultation, "consultation_opened", actor=actor, new={
        "draft": draft.pk, "opens_on": opens_on, "closes_on": closes_on, "invitees": len(rows)})
    audit.notify([r.user for r in rows], "legislation_invited",
                 f"邀请您对《{draft.title}》{draft.draft_label}提出意见，截止 {closes_on:%Y-%m-%d}。",
                 url=f"/legislation/consultations/{consultation.pk}/")
    return consultation


def _open_consultation(pk: Any, *, lock: bool = False) -> Consultation:
    qs = Consultation.objects.select_related("draft")
    if lock:
        qs = qs.select_for_update(of=("self",))
    consultation = qs.filter(pk=pk).first() if str(pk).isdigit() else None
    if consultation is None:
        raise NotFoundError("该征求意见不存在。")
    return consultation


def _check_window(consultation: Consultation) -> None:
    today = timezone.localdate()
    if today < consultation.opens_on:
        raise DomainError(f"征求意见尚未开始（{consultation.opens_on:%Y-%m-%d} 开始），暂不能提交意见。",
                          field="consultation")
    if today > consultation.closes_on:
        raise DomainError(f"征求意见已于 {consultation.closes_on:%Y-%m-%d} 截止，不再接收意见。",
                          field="consultation")


def _provision(consultation: Consultation, pk: Any) -> Provision | None:
    if pk in (None, "", "0", 0):
        return None
    p = Provision.objects.filter(draft_id=consultation.draft_id, pk=pk if str(pk).isdigit() else 0,
                                 kind=ProvisionKind.ARTICLE).first()
    if p is None:
        raise DomainError("请选择本草案中的条文，或对草案整体提出意见。", field="provision")
    return p


def _comment_fields(text: Any, reasons: Any) -> tuple[str, str]:
    return (_text(text, "text", "意见", required=True, max_length=COMMENT_MAX),
            _text(reasons, "reasons", "理由", required=False, max_length=COMMENT_MAX))


@transaction.atomic
def add_comment(actor: Any, consultation_pk: Any, *, provision_pk: Any = None, text: str, reasons: str = "",
                source: str | None = None, author_name: str = "", contact: str = "", hearing: str = "",
                speakers: str = "", member_pk: Any = None) -> Comment:
    """A comment on an article (``provision_pk``) or the whole draft, within the window.

    - staff enter comments of any source; what was said at a hearing (``source="hearing"``) needs the
      hearing's name and the speakers; a deputy's comment may name the deputy (``member_pk``);
    - an invited informant / partner unit with an account comments as such;
    - a deputy of the council comments as deputy.
    Raises :class:`DomainError`: window closed or not open (``consultation``), text empty or over
    :data:`COMMENT_MAX` characters (``text``/``reasons``), unknown article (``provision``);
    :class:`ForbiddenError` for anyone else.
    """
    consultation = _open_consultation(consultation_pk, lock=True)
    council_id = consultation.council_id
    member = None
    if actor is None or is_council_staff(actor, council_id):
        source = source or CommentSource.HEARING
        if source not in CommentSource.values:
            raise DomainError("请选择意见来源。", field="source")
        if member_pk not in (None, ""):
            member = Member.objects.filter(pk=member_pk if str(member_pk).isdigit() else 0,
                                           council_id=council_id).first()
            if member is None:
                raise DomainError("请选择本机构的代表。", field="member")
        user = None
    else:
        invitee = Invitee.objects.filter(consultation=consultation, user_id=actor.pk).first()
        member_id = people.member_id_of(actor)
        if invitee is not None:
            source = invitee.kind
            author_name = author_name or invitee.name
        elif member_id and Member.objects.filter(pk=member_id, council_id=council_id).exists():
            source = CommentSource.DEPUTY
            member = Member.objects.get(pk=member_id)
            author_name = member.name
        else:
            raise ForbiddenError("您不在本次征求意见的邀请范围内，请通过公众门户提交意见。")
        user = actor
        hearing = speakers = ""
    _check_window(consultation)
    provision = _provision(consultation, provision_pk)
    body, why = _comment_fields(text, reasons)
    if source == CommentSource.HEARING:
        hearing = _text(hearing, "hearing", "座谈会名称", required=True, max_length=HEARING_MAX)
        speakers = _text(speakers, "speakers", "发言人", required=True, max_length=SPEAKERS_MAX)
    if member is not None and not author_name:
        author_name = member.name
    comment = Comment.objects.create(
        consultation=consultation, provision=provision, source=source,
        author_name=_text(author_name, "author_name", "提出人", required=False, max_length=NAME_MAX),
        contact=_text(contact, "contact", "联系方式", required=False, max_length=CONTACT_MAX), user=user,
        member=member, hearing=hearing, speakers=speakers, text=body, reasons=why,
        entered_by=actor if getattr(actor, "pk", None) and user is None else None)
    audit.record(comment, "comment_added", actor=actor, council_id=council_id,
                 new={"source": source, "provision": provision.number if provision else "", "chars": len(body)})
    return comment


@transaction.atomic
def submit_public_comment(consultation_pk: Any, *, provision_pk: Any = None, text: str, reasons: str = "",
                          author_name: str = "", contact: str = "") -> Comment:
    """A citizen's comment from the portal (anonymous allowed; contact kept private). Only a public
    consultation within its window; returns the comment, whose ``tracking_code`` lets the citizen read
    the feedback. Same refusals as :func:`add_comment`; a closed or hidden consultation is "not found"
    unless it is merely past its closing day (then the closing message)."""
    consultation = _open_consultation(consultation_pk, lock=True)
    if not consultation.is_public:
        raise NotFoundError("该征求意见不存在或已结束。")
    _check_window(consultation)
    provision = _provision(consultation, provision_pk)
    body, why = _comment_fields(text, reasons)
    comment = Comment.objects.create(
        consultation=consultation, provision=provision, source=CommentSource.PUBLIC,
        author_name=_text(author_name, "author_name", "姓名", required=False, max_length=NAME_MAX),
        contact=_text(contact, "contact", "联系方式", required=False, max_length=CONTACT_MAX),
        text=body, reasons=why)
    audit.record(comment, "comment_added", actor=None, council_id=consultation.council_id,
                 new={"source": CommentSource.PUBLIC, "provision": provision.number if provision else "",
                      "chars": len(body)})
    return comment


# ------------------------------------------------------------------------------------------ consolidation


@transaction.atomic
def save_opinion(actor: Any, consultation_pk: Any, *, provision_pk: Any = None, text: str, reasons: str = "",
                 comment_ids: Iterable[Any] = (), reported: bool = True, opinion_pk: Any = None,
                 version: int | None = None) -> Opinion:
    """Write (or rewrite, with ``opinion_pk`` and the loaded ``version``) the consolidated opinion on an
    article (or the whole draft) from the comments ``comment_ids`` (of this consultation, on that
    article); ``reported`` chooses it for the report. Allowed after the window closes too."""
    consultation = _open_consultation(consultation_pk, lock=True)
    _check_staff(actor, consultation.council_id)
    provision = _provision(consultation, provision_pk)
    body = _text(text, "text", "汇总意见", required=True, max_length=OPINION_MAX)
    why = _text(reasons, "reasons", "理由", required=False, max_length=OPINION_MAX)
    ids = sorted({int(c) for c in comment_ids if str(c).isdigit()})
    comments = list(Comment.objects.filter(consultation=consultation, pk__in=ids))
    if len(comments) != len(ids):
        raise DomainError("所选意见不属于本次征求意见。", field="comments")
    if any(c.provision_id != (provision.pk if provision else None) for c in comments):
        raise DomainError("所选意见须针对同一条文。", field="comments")
    if opinion_pk not in (None, ""):
        opinion = Opinion.objects.select_for_update().filter(pk=_id(opinion_pk), consultation=consultation).first()
        if opinion is None:
            raise NotFoundError()
        _check_version(opinion, version)
        old = {"text": opinion.text, "reported": opinion.reported}
        opinion.text, opinion.reasons, opinion.reported, opinion.provision = body, why, bool(reported), provision
        opinion.version += 1
        opinion.save()
        event = "opinion_updated"
    else:
        old = {}
        opinion = Opinion.objects.create(consultation=consultation, provision=provision, text=body, reasons=why,
                                         reported=bool(reported))
        event = "opinion_written"
    if ids or opinion_pk in (None, ""):
        Comment.objects.filter(opinion=opinion).exclude(pk__in=ids).update(opinion=None)
        Comment.objects.filter(pk__in=ids).update(opinion=opinion)
    audit.record(opinion, event, actor=actor, council_id=consultation.council_id, old=old,
                 new={"text": body, "reported": opinion.reported, "comments": ids})
    return opinion


@transaction.atomic
def mark_reported(actor: Any, consultation_pk: Any) -> Consultation:
    """Record that the opinions chosen were reported upward (the report was sent); the draft is then
    "reported". Refused when no opinion is chosen for the report."""
    consultation = _open_consultation(consultation_pk, lock=True)
    _check_staff(actor, consultation.council_id)
    if not Opinion.objects.filter(consultation=consultation, reported=True).exists():
        raise DomainError("还没有选定报送的汇总意见。", field="opinions")
    consultation.reported_at = timezone.now()
    consultation.version += 1
    consultation.save(update_fields=["reported_at", "version"])
    Draft.objects.filter(pk=consultation.draft_id).update(status=DraftStatus.REPORTED)
    audit.record(consultation, "consultation_reported", actor=actor,
                 new={"opinions": Opinion.objects.filter(consultation=consultation, reported=True).count()})
    return consultation


ADOPTION_TEXT: dict[str, str] = {Adoption.ADOPTED: "已被采纳", Adoption.PARTLY: "被部分采纳", Adoption.NOT_ADOPTED: "未被采纳"}


@transaction.atomic
def record_adoption(actor: Any, opinion_pk: Any, adoption: str, *, note: str = "",
                    version: int | None = None) -> Opinion:
    """Record the legislature's answer to a reported opinion (采纳 / 部分采纳 / 未采纳, with a note) and feed
    it back: each commenter with an account (and each deputy named on a comment staff entered) gets a
    notification; portal commenters read it with their tracking code. Raises :class:`DomainError` for an unknown answer or an opinion not reported."""
    opinion = Opinion.objects.select_for_update().select_related("consultation__draft").filter(
        pk=opinion_pk if str(opinion_pk).isdigit() else 0).first()
    if opinion is None:
        raise NotFoundError()
    _check_staff(actor, opinion.consultation.council_id)
    _check_version(opinion, version)
    if adoption not in ADOPTION_TEXT:
        raise DomainError("请选择采纳情况（采纳、部分采纳或未采纳）。", field="adoption")
    if not opinion.reported:
        raise DomainError("该意见未报送，不能登记采纳情况。", field="adoption")
    old = {"adoption": opinion.adoption}
    opinion.adoption = adoption
    opinion.adoption_note = _text(note, "note", "采纳说明", required=False, max_length=COMMENT_MAX)
    opinion.adopted_at = timezone.now()
    opinion.version += 1
    opinion.save()
    audit.record(opinion, "opinion_adoption", actor=actor, council_id=opinion.consultation.council_id, old=old,
                 new={"adoption": adoption, "note": opinion.adoption_note})
    draft = opinion.consultation.draft
    comments = list(opinion.comments.select_related("user"))
    users = [c.user for c in comments if c.user is not None]
    # a deputy whose comment the staff entered (at a hearing, on paper) hears it through their account
    users += [p.user for p in Profile.objects.filter(member_id__in=[c.member_id for c in comments if c.member_id])
              .select_related("user")]
    audit.notify(users, "legislation_feedback",
                 f"您对《{draft.title}》提出的意见{ADOPTION_TEXT[adoption]}。{opinion.adoption_note}".strip(),
                 url=f"/legislation/consultations/{opinion.consultation_id}/")
    return opinion

