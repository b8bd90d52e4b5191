"""JSON API of the legislative outreach office (mounted at ``/api/legislation``). Thin: parse, access
(:mod:`lvzhi.legislation.access`), act (:mod:`lvzhi.legislation.actions`), answer.

=============================================  ==========================================================
``GET  /drafts`` / ``POST /drafts``            the drafts one may see / import a file (multipart ``file``,
                                               ``source``; 201 with the structure counts)
``GET  /drafts/{id}``                          the draft with its articles (exact text, line by line)
``POST /consultations``                        open a consultation on a draft
``GET  /consultations/{id}``                   comments per article, near-duplicates grouped, opinions
``POST /consultations/{id}/comments``          a comment (staff: any source incl. hearings; invitees,
                                               deputies: their own)
``POST /consultations/{id}/opinions``          write / rewrite a consolidated opinion (staff)
``POST /opinions/{id}/adoption``               record adoption and feed it back (staff)
``GET  /figures``                              数读: drafts consulted, comments, reported, adoption rate
=============================================  ==========================================================
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import ForbiddenError
from lvzhi.core.text_limits import column_max
from lvzhi.legislation import access, actions, queries
from lvzhi.legislation.actions import HEARING_MAX, NAME_MAX, OPINION_MAX, SPEAKERS_MAX, InviteeSpec
from lvzhi.legislation.models import COMMENT_MAX, Comment, Consultation, Draft, Invitee, Opinion, Provision
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of

router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Message}


class DraftOut(Schema):
    id: int
    title: str
    draft_label: str
    source: str
    status: str
    chapters: int
    sections: int
    articles: int
    warnings: list[str]
    version: int


def _draft_out(draft: Draft) -> DraftOut:
    counts = {k: Provision.objects.filter(draft=draft, kind=k).count() for k in ("chapter", "section", "article")}
    return DraftOut(id=draft.pk, title=draft.title, draft_label=draft.draft_label, source=draft.source,
                    status=draft.status, chapters=counts["chapter"], sections=counts["section"],
                    articles=counts["article"], warnings=list(draft.warnings), version=draft.version)


class ArticleOut(Schema):
    id: int
    number: str
    chapter: str
    lines: list[str]


class DraftDetail(Schema):
    draft: DraftOut
    articles: list[ArticleOut]


@router.get("/drafts", response={200: list[DraftOut], **ERRORS})
def list_drafts(request: ApiRequest) -> list[DraftOut]:
    return [_draft_out(d) for d in access.visible_drafts(request.auth)[:200]]


@router.post("/drafts", response={201: DraftOut, **ERRORS})
def import_draft(request: ApiRequest, file: File[UploadedFile], source: str = Form("city", max_length=column_max(Draft, "source"))) -> Status[DraftOut]:
    profile = profile_of(request.auth)
    if profile is None or profile.council is None:
        raise ForbiddenError("只有本机构立法联系点的工作人员可以导入草案。")
    draft = actions.import_draft(request.auth, profile.council, file.read(), file.name or "", source=source)
    return Status(201, _draft_out(draft))


@router.get("/drafts/{draft_id}", response={200: DraftDetail, **ERRORS})
def draft_detail(request: ApiRequest, draft_id: int) -> DraftDetail:
    draft = access.access_draft(request.auth, draft_id)
    return DraftDetail(draft=_draft_out(draft), articles=[
        ArticleOut(id=a.pk, number=a.number, chapter=a.chapter, lines=a.lines) for a in queries.articles_of(draft)])


class InviteeIn(Schema):
    kind: str = Field(..., max_length=column_max(Invitee, "kind"))
    name: str = Field(..., max_length=NAME_MAX)
    organisation: str = Field("", max_length=column_max(Invitee, "organisation"))


class ConsultationIn(Schema):
    draft: int
    title: str = Field("", max_length=column_max(Consultation, "title"))
    opens_on: date
    closes_on: date
    source: str | None = Field(None, max_length=column_max(Draft, "source"))
    is_public: bool = True
    invitees: list[InviteeIn] = []


class ConsultationOut(Schema):
    id: int
    draft_id: int
    title: str
    opens_on: date
    closes_on: date
    is_public: bool


@router.post("/consultations", response={201: ConsultationOut, **ERRORS})
def open_consultation(request: ApiRequest, payload: ConsultationIn) -> Status[ConsultationOut]:
    access.access_draft(request.auth, payload.draft)
    c = actions.create_consultation(
        request.auth, payload.draft, title=payload.title, opens_on=payload.opens_on, closes_on=payload.closes_on,
        source=payload.source, is_public=payload.is_public,
        invitees=[InviteeSpec(i.kind, i.name, i.organisation) for i in payload.invitees])
    return Status(201, ConsultationOut(id=c.pk, draft_id=c.draft_id, title=c.title, opens_on=c.opens_on,
                                       closes_on=c.closes_on, is_public=c.is_public))


class CommentOut(Schema):
    id: int
    article: str
    source: str
    author_name: str
    hearing: str
    speakers: str
    text: str
    reasons: str
    opinion_id: int | None


def _comment_out(c: Comment, number: str) -> CommentOut:
    return CommentOut(id=c.pk, article=number, source=c.source, author_name=c.author_name, hearing=c.hearing,
                      speakers=c.speakers, text=c.text, reasons=c.reasons, opinion_id=c.opinion_id)


class OpinionOut(Schema):
    id: int
    text: str
    reasons: str
    reported: bool
    adoption: str
    adoption_note: str
    version: int
    comment_ids: list[int]


class ArticleGroupOut(Schema):
    article_id: int | None
    article: str
    groups: list[list[CommentOut]]
    opinions: list[OpinionOut]


class ConsolidationOut(Schema):
    consultation: ConsultationOut
    articles: list[ArticleGroupOut]


@router.get("/consultations/{consultation_id}", response={200: ConsolidationOut, **ERRORS})
def consultation_detail(request: ApiRequest, consultation_id: int) -> ConsolidationOut:
    c = access.access_consultation(request.auth, consultation_id)
    if not (is_council_staff(request.auth, c.council_id) or is_council_leader(request.auth, c.council_id)):
        raise ForbiddenError("只有立法联系点的工作人员可以查看汇总。")
    out = []
    for item in queries.consolidation(c):
        number = item.article.number if item.article else ""
        out.append(ArticleGroupOut(
            article_id=item.article.pk if item.article else None, article=number,
            groups=[[_comment_out(x, number) for x in g.comments] for g in item.groups],
            opinions=[OpinionOut(id=o.pk, text=o.text, reasons=o.reasons, reported=o.reported, adoption=o.adoption,
                                 adoption_note=o.adoption_note, version=o.version,
                                 comment_ids=list(o.comments.values_list("pk", flat=True))) for o in item.opinions]))
    return ConsolidationOut(consultation=ConsultationOut(
        id=c.pk, draft_id=c.draft_id, title=c.title, opens_on=c.opens_on, closes_on=c.closes_on,
        is_public=c.is_public), articles=out)


class CommentIn(Schema):
    article: int | None = None
    text: str = Field(..., max_length=COMMENT_MAX)
    reasons: str = Field("", max_length=COMMENT_MAX)
    source: str | None = Field(None, max_length=column_max(Comment, "source"))
    author_name: str = Field("", max_length=NAME_MAX)
    hearing: str = Field("", max_length=HEARING_MAX)
    speakers: str = Field("", max_length=SPEAKERS_MAX)
    member: int | None = None


@router.post("/consultations/{consultation_id}/comments", response={201: CommentOut, **ERRORS})
def add_comment(request: ApiRequest, consultation_id: int, payload: CommentIn) -> Status[CommentOut]:
    c = access.access_consultation(request.auth, consultation_id)
    comment = actions.add_comment(request.auth, c.pk, provision_pk=payload.article, text=payload.text,
                                  reasons=payload.reasons, source=payload.source, author_name=payload.author_name,
                                  hearing=payload.hearing, speakers=payload.speakers, member_pk=payload.member)
    return Status(201, _comment_out(comment, comment.provision.number if comment.provision else ""))


class OpinionIn(Schema):
    article: int | None = None
    text: str = Field(..., max_length=OPINION_MAX)
    reasons: str = Field("", max_length=OPINION_MAX)
    comment_ids: list[int] = []
    reported: bool = True
    opinion: int | None = None
    version: int | None = None


def _opinion_out(o: Any) -> OpinionOut:
    return OpinionOut(id=o.pk, text=o.text, reasons=o.reasons, reported=o.reported, adoption=o.adoption,
                      adoption_note=o.adoption_note, version=o.version,
                      comment_ids=list(o.comments.values_list("pk", flat=True)))


@router.post("/consultations/{consultation_id}/opinions", response={200: OpinionOut, **ERRORS})
def save_opinion(request: ApiRequest, consultation_id: int, payload: OpinionIn) -> OpinionOut:
    c = access.access_consultation(request.auth, consultation_id)
    o = actions.save_opinion(request.auth, c.pk, provision_pk=payload.article, text=payload.text,
                             reasons=payload.reasons, comment_ids=payload.comment_ids, reported=payload.reported,
                             opinion_pk=payload.opinion, version=payload.version)
    return _opinion_out(o)


class AdoptionIn(Schema):
    adoption: str = Field(..., max_length=column_max(Opinion, "adoption"))
    note: str = Field("", max_length=COMMENT_MAX)
    version: int | None = None


@router.post("/opinions/{opinion_id}/adoption", response={200: OpinionOut, **ERRORS})
def record_adoption(request: ApiRequest, opinion_id: int, payload: AdoptionIn) -> OpinionOut:
    return _opinion_out(actions.record_adoption(request.auth, opinion_id, payload.adoption, note=payload.note,
                                                version=payload.version))


class FiguresOut(Schema):
    drafts_consulted: int
    consultations: int
    comments: int
    comments_by_source: dict[str, int]
    opinions_reported: int
    adopted: int
    partly_adopted: int
    not_adopted: int
    pending: int
    adoption_rate: float | None


@router.get("/figures", response={200: FiguresOut, **ERRORS})
def figures(request: ApiRequest, date_from: date | None = None, date_to: date | None = None) -> FiguresOut:
    profile = profile_of(request.auth)
    council_id = profile.council_id if profile else None
    if council_id is None or not (is_council_staff(request.auth, council_id)
                                  or is_council_leader(request.auth, council_id)):
        raise ForbiddenError("只有本机构的工作人员和领导可以查看立法联系点数读。")
    f = queries.figures(council_id, date_from, date_to)
    return FiguresOut(**{k: getattr(f, k) for k in FiguresOut.model_fields})

