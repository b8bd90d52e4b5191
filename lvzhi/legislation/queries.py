"""Reading the outreach office's data: a draft's tree, the consolidation view (comments per article with
near-duplicates grouped), the Word report upward (意见建议汇总表) and the 数读 figures."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import gongwen
from lvzhi.core.sections import Section as FigureSection
from lvzhi.core.sections import Table, percent
from lvzhi.legislation.choices import Adoption, CommentSource, ProvisionKind
from lvzhi.legislation.models import Comment, Consultation, Draft, Opinion, Provision

#: Two comments on the same article whose similarity (lvzhi.smart.similar: cosine of distinctive character
#: bigrams, 0..1) is at least this are shown as one group of near-duplicates. Comments are short: one inserted
#: word in a 15-character comment scores about 0.75, so the line is drawn at 0.7.
NEAR_DUPLICATE = 0.7


@dataclass
class ArticleView:
    """An article for display: its number, its whole text (lines) and its provision id."""

    pk: int
    number: str
    lines: list[str]
    chapter: str = ""
    first_done: bool = False
    parts: list[tuple[int, str]] = field(default_factory=list)  # (provision id, text) of paragraphs and items

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def articles_of(draft: Draft | int) -> list[ArticleView]:
    """The draft's articles in order, each with its exact lines (number line, paragraphs, items) and the
    heading of the chapter (and section) it stands in."""
    draft_id = draft if isinstance(draft, int) else draft.pk
    out: list[ArticleView] = []
    by_id: dict[int, ArticleView] = {}
    owner: dict[int, int] = {}
    heading = ""
    for p in Provision.objects.filter(draft_id=draft_id).order_by("order"):
        if p.kind in (ProvisionKind.CHAPTER, ProvisionKind.SECTION):
            heading = p.text if p.kind == ProvisionKind.CHAPTER else f"{heading.split(' / ')[0]} / {p.text}"
            continue
        if p.kind == ProvisionKind.ARTICLE:
            view = ArticleView(p.pk, p.number, [p.text], heading)
            out.append(view)
            by_id[p.pk] = view
            owner[p.pk] = p.pk
            continue
        art = owner.get(p.parent_id or 0)
        if art is None:
            continue
        owner[p.pk] = art
        view = by_id[art]
        view.parts.append((p.pk, p.text))
        if p.kind == ProvisionKind.PARAGRAPH and p.parent_id == art and not view.first_done:
            view.first_done = True
            if view.lines[0] != view.number:
                continue  # the first paragraph is printed on the number line
        view.lines.append(p.text)
    return out


def tree_of(draft: Draft) -> list[Provision]:
    """All provisions of the draft in document order (for the structure page)."""
    return list(Provision.objects.filter(draft=draft).order_by("order"))


@dataclass
class Group:
    """Near-duplicate comments (one or more) on the same article."""

    comments: list[Comment]

    @property
    def size(self) -> int:
        return len(self.comments)


@dataclass
class ArticleComments:
    article: ArticleView | None  # None = the whole draft
    groups: list[Group] = field(default_factory=list)
    opinions: list[Opinion] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(g.size for g in self.groups)


def group_near_duplicates(comments: list[Comment], threshold: float = NEAR_DUPLICATE) -> list[Group]:
    """Group ``comments`` whose texts are near-duplicates (``lvzhi.smart.similar.find_duplicate_pairs`` at
    ``threshold``) *and* concern the same article (``provision_id``; :func:`consolidation` calls it per
    article, where IDF weights come from that article's comments); groups are the connected pairs, in the
    order of each group's first comment."""
    parent = list(range(len(comments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(comments) > 1:
        from lvzhi.smart.similar import find_duplicate_pairs  # numpy/scipy: loaded on first use

        for a, b, _s in find_duplicate_pairs([(str(i), c.text) for i, c in enumerate(comments)], threshold):
            ia, ib = int(a), int(b)
            if comments[ia].provision_id != comments[ib].provision_id:
                continue
            ra, rb = find(ia), find(ib)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[Comment]] = defaultdict(list)
    for i, c in enumerate(comments):
        groups[find(i)].append(c)
    return [Group(members) for _root, members in sorted(groups.items())]


#: Comments of consecutive articles are compared in batches of about this many (one engine call per batch,
#: pairs across articles dropped): the engine has a fixed cost per call (its 2**22 hash buckets), so one
#: call per article is slow for many articles, and one call for everything holds every cross-article pair.
BATCH = 1000


def consolidation(consultation: Consultation) -> list[ArticleComments]:
    """Comments per article (the whole draft first, then articles in order; only articles with comments or
    opinions), near-duplicates grouped (:func:`group_near_duplicates`, articles batched by :data:`BATCH`
    comments; IDF weights come from the batch), with the consolidated opinions written so far."""
    articles = articles_of(consultation.draft_id)
    comments: dict[int | None, list[Comment]] = defaultdict(list)
    for c in Comment.objects.filter(consultation=consultation).order_by("id"):
        comments[c.provision_id].append(c)
    opinions: dict[int | None, list[Opinion]] = defaultdict(list)
    for o in Opinion.objects.filter(consultation=consultation).order_by("id"):
        opinions[o.provision_id].append(o)
    keys: list[int | None] = [None, *[a.pk for a in articles]]
    groups: dict[int | None, list[Group]] = defaultdict(list)
    batch: list[Comment] = []
    for n, key in enumerate(keys):
        batch.extend(comments.get(key, []))
        if batch and (len(batch) >= BATCH or n == len(keys) - 1):
            for group in group_near_duplicates(batch):
                groups[group.comments[0].provision_id].append(group)
            batch = []
    out = []
    for key, view in [(None, None), *[(a.pk, a) for a in articles]]:
        if comments.get(key) or opinions.get(key):
            found = sorted(groups.get(key, []), key=lambda g: g.comments[0].pk)
            out.append(ArticleComments(view, found, opinions.get(key, [])))
    return out


def sources_of(opinion: Opinion) -> str:
    """「信息员 张三；座谈会（某某座谈会）：李四、王五；社会公众 2 人」 for the report's sources column."""
    parts: list[str] = []
    public = 0
    for c in opinion.comments.order_by("id"):
        if c.source == CommentSource.PUBLIC:
            public += 1
        elif c.source == CommentSource.HEARING:
            parts.append(f"{c.hearing}：{c.speakers}")
        else:
            parts.append(f"{CommentSource(c.source).label} {c.author_name}".strip())
    if public:
        parts.append(f"社会公众 {public} 人")
    return "；".join(dict.fromkeys(parts))


REPORT_COLUMNS = ("序号", "条文", "原文", "意见建议", "理由", "意见来源")


def report_docx(consultation: Consultation) -> bytes:
    """The Word report upward (意见建议汇总表): a title, the consultation's window and counts, and a table with
    the columns :data:`REPORT_COLUMNS` — one row per reported opinion, in article order (the whole draft
    first)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    draft = consultation.draft
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    gongwen.page_numbers(document, section)  # "— N —" on the outer side (GB/T 9704 §7.5)
    document.add_heading(f"《{draft.title}》{draft.draft_label}意见建议汇总表", level=1)
    reported = list(Opinion.objects.filter(consultation=consultation, reported=True)
                    .select_related("provision").order_by("id"))
    order = {a.pk: i for i, a in enumerate(articles_of(draft.pk))}
    reported.sort(key=lambda o: (-1 if o.provision_id is None else order.get(o.provision_id, 0), o.pk))
    texts = {a.pk: a.text for a in articles_of(draft.pk)}
    total = Comment.objects.filter(consultation=consultation).count()
    document.add_paragraph(
        f"报送单位：{consultation.council.name}基层立法联系点　征求意见时间：{consultation.opens_on:%Y年%m月%d日}至"
        f"{consultation.closes_on:%Y年%m月%d日}　收集意见 {total} 条，汇总报送 {len(reported)} 条。")
    table = document.add_table(rows=1, cols=len(REPORT_COLUMNS))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, REPORT_COLUMNS, strict=True):
        cell.text = label
    for n, opinion in enumerate(reported, start=1):
        row = table.add_row().cells
        row[0].text = str(n)
        row[1].text = opinion.provision.number if opinion.provision else "总体意见"
        row[2].text = texts.get(opinion.provision_id or 0, "") if opinion.provision_id else ""
        row[3].text = opinion.text
        row[4].text = opinion.reasons
        row[5].text = sources_of(opinion)
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(12)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass
class Figures:
    """数读 of the outreach office for a period (consultations opened in it)."""

    drafts_consulted: int
    consultations: int
    comments: int
    comments_by_source: dict[str, int]
    opinions_reported: int
    adopted: int
    partly_adopted: int
    not_adopted: int
    pending: int

    @property
    def adoption_rate(self) -> float | None:
        """(adopted + partly adopted) / answered reported opinions, 0..1; ``None`` before any answer."""
        answered = self.adopted + self.partly_adopted + self.not_adopted
        return (self.adopted + self.partly_adopted) / answered if answered else None


def figures(council_id: int, date_from: date | None = None, date_to: date | None = None) -> Figures:
    """Drafts consulted, opinions collected and reported, adoption (consultations whose window opened in
    ``date_from``..``date_to``, both included; all when not given)."""
    qs = Consultation.objects.filter(council_id=council_id)
    if date_from:
        qs = qs.filter(opens_on__gte=date_from)
    if date_to:
        qs = qs.filter(opens_on__lte=date_to)
    ids = list(qs.values_list("pk", flat=True))
    by_source = dict(Comment.objects.filter(consultation_id__in=ids).values_list("source")
                     .annotate(n=Count("id")).values_list("source", "n"))
    ops = Opinion.objects.filter(consultation_id__in=ids, reported=True).aggregate(
        reported=Count("id"), adopted=Count("id", filter=Q(adoption=Adoption.ADOPTED)),
        partly=Count("id", filter=Q(adoption=Adoption.PARTLY)),
        not_adopted=Count("id", filter=Q(adoption=Adoption.NOT_ADOPTED)),
        pending=Count("id", filter=Q(adoption=Adoption.PENDING)))
    return Figures(
        drafts_consulted=qs.values("draft_id").distinct().count(), consultations=len(ids),
        comments=sum(by_source.values()), comments_by_source=by_source, opinions_reported=ops["reported"],
        adopted=ops["adopted"], partly_adopted=ops["partly"], not_adopted=ops["not_adopted"],
        pending=ops["pending"])


def feedback_for(code: str) -> list[Comment]:
    """The portal comments with tracking code ``code`` (case-insensitive), with their opinion's adoption."""
    code = (code or "").strip().upper()
    if not code:
        return []
    return list(Comment.objects.filter(tracking_code=code).select_related("opinion", "provision",
                                                                          "consultation__draft"))


def today() -> date:
    return timezone.localdate()


def figures_section(council_id: int, date_from: date | None, date_to: date | None) -> FigureSection | None:
    """The outreach office's 数读 for the statistics page and ``lvzhi stats`` (:mod:`lvzhi.core.sections`):
    consultations opened in the dates; ``None`` for a council that is not a people's congress."""
    from lvzhi.members.choices import CouncilKind
    from lvzhi.members.models import Council

    council = Council.objects.filter(pk=council_id).first()
    if council is None or council.kind != CouncilKind.NPC:
        return None
    fig = figures(council_id, date_from, date_to)
    scope = (f"{date_from:%Y-%m-%d}" if date_from else "") + " 至 " + (f"{date_to:%Y-%m-%d}" if date_to else "")
    return FigureSection(
        key="legislation", title=str(_("基层立法联系点")),
        scope=scope.strip() if (date_from or date_to) else str(_("全部征求意见")),
        figures=[(str(_("征求意见的法规草案")), fig.drafts_consulted), (str(_("征求意见次数")), fig.consultations),
                 (str(_("收集意见")), fig.comments), (str(_("上报意见")), fig.opinions_reported),
                 (str(_("采纳")), fig.adopted), (str(_("部分采纳")), fig.partly_adopted),
                 (str(_("采纳率")), percent(fig.adoption_rate))],
        tables=[Table(str(_("意见来源")), [str(_("来源")), str(_("条数"))],
                      [[str(label), fig.comments_by_source.get(value, 0)] for value, label in CommentSource.choices])])
