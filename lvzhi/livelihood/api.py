"""JSON API of livelihood-project votes (mounted at ``/api/livelihood``). Thin: parse, access
(:mod:`lvzhi.livelihood.access`), act (:mod:`lvzhi.livelihood.actions`), answer.

=============================================  ===========================================================
``GET  /votes`` / ``GET /votes/{id}``          the votes the user may see / one with its candidates (and
                                               the result once it may be shown)
``POST /votes/{id}/ballot``                    a deputy's ballot ``{"marks": {"01": "赞成", …}}`` → receipt
``GET  /votes/{id}/verify?receipt=``           ``{"counted": bool}``: is a ballot with this receipt there
``GET  /votes/{id}/turnout``                   presiding officer: deputies on the roll / electorate
``POST /votes/{id}/open|close|publish``        presiding officer's acts
``POST /votes/{id}/tally``                     staff: import a paper tally workbook (multipart ``file``)
``POST /votes``                                staff: set up a vote ``{"window", "title", "places",
                                               "electorate" (default: the council's deputies),
                                               "candidates": [suggestion ids], "opens_at", "closes_at"}``
``POST /votes/{id}/approve``                   staff: the list approved ``{"meeting_on": "YYYY-MM-DD"}``
``POST /votes/{id}/revote``                    staff: a re-vote among the candidates tied on the last place
``POST /micro/batches/{id}/projects``           a deputy proposes a micro project ``{"title", "place",
                                               "content", "investment", "people_served"}``
``GET  /supervision`` / ``POST /supervision``  supervision activities the user may see / staff record one
                                               ``{"kind": inspection|week|inquiry, "title", "held_on",
                                               "projects": [delivery project ids], "record"}``
``GET  /supervision/{id}``                     an activity with the findings the user may see
``POST /supervision/{id}/findings``            staff: ``{"unit", "text", "due", "project"?}``
``POST /findings/{id}/correction``             the unit: ``{"text"}``
``POST /findings/{id}/confirm``                staff: ``{"accepted": bool, "comment"}`` (a comment to send back)
``POST /evaluations``                          staff: ``{"year", "projects": [candidate ids], "electorate",
                                               "title"}``
``POST /collections/{id}/projects``            propose a project (deputy, or staff registering one)
``POST /projects/{id}/assessments``            staff or a unit: ``{"aspect", "conclusion", "opinion"}``
``POST /projects/{id}/screening``              staff: ``{"outcome", "reason", "merged_into"}``
``GET  /evaluations/{id}``                     an evaluation, its projects and (once closed) the result
``POST /evaluations/{id}/form``                a deputy's satisfaction form ``{"ratings": {id: 满意…}}``
``POST /evaluations/{id}/open|close``          presiding officer's acts
``GET  /figures``                              数读 of the user's council, by year
=============================================  ===========================================================
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, File, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.core.text_limits import (
    ANSWER_MAX,
    COMMENT_MAX,
    CONTENT_MAX,
    NUMBER_TEXT_MAX,
    RECORD_MAX,
    column_max,
)
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.access import (
    access_evaluation,
    access_supervision,
    access_vote,
    may_see_result,
    visible_findings,
    visible_supervisions,
    visible_votes,
)
from lvzhi.livelihood.models import (
    Assessment,
    Candidate,
    CollectionWindow,
    DeliveryProject,
    Evaluation,
    Finding,
    MicroBatch,
    MicroProject,
    ProjectSuggestion,
    SupervisionActivity,
    Vote,
    VoteRoll,
)
from lvzhi.livelihood.queries import council_figures
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.members.models import Council, HandlingUnit, Member

router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Message}


class CandidateOut(Schema):
    code: str
    title: str
    investment: float
    unit: str | None
    completion: str | None


class VoteOut(Schema):
    id: int
    title: str
    places: int
    electorate: int
    open: bool
    closed: bool
    published: bool
    voted: bool


class VoteDetail(VoteOut):
    candidates: list[CandidateOut]
    result: dict[str, Any] | None


class BallotIn(Schema):
    marks: dict[str, str | None]


class Receipt(Schema):
    receipt: str


class Verified(Schema):
    counted: bool


class Turnout(Schema):
    voted: int
    electorate: int
    open: bool
    closed: bool


class RatingsIn(Schema):
    ratings: dict[str, str | None]


def _out(request: ApiRequest, vote: Vote) -> dict[str, Any]:
    return {"id": vote.pk, "title": vote.title, "places": vote.places, "electorate": vote.electorate,
            "open": vote.is_open(), "closed": vote.is_closed(), "published": vote.published_at is not None,
            "voted": act.has_voted(request.auth, vote)}


@router.get("/votes", response={200: list[VoteOut], **ERRORS})
def list_votes(request: ApiRequest) -> list[dict[str, Any]]:
    return [_out(request, v) for v in visible_votes(request.auth).order_by("-created_at", "-id")]


@router.get("/votes/{vote_id}", response={200: VoteDetail, **ERRORS})
def get_vote(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    vote = access_vote(request.auth, vote_id)
    candidates = [{"code": c.code, "title": c.title, "investment": float(c.investment),
                   "unit": c.unit.name if c.unit else None,
                   "completion": c.completion.isoformat() if c.completion else None}
                  for c in vote.candidates.select_related("unit").order_by("code")]
    return {**_out(request, vote), "candidates": candidates,
            "result": vote.result if may_see_result(request.auth, vote) else None}


@router.post("/votes/{vote_id}/ballot", response={201: Receipt, **ERRORS})
def cast_ballot(request: ApiRequest, vote_id: int, payload: BallotIn) -> Status[dict[str, str]]:
    vote = access_vote(request.auth, vote_id)
    return Status(201, {"receipt": act.cast_ballot(request.auth, vote, payload.marks)})


@router.get("/votes/{vote_id}/verify", response={200: Verified, **ERRORS})
def verify(request: ApiRequest, vote_id: int, receipt: str) -> dict[str, bool]:
    return {"counted": act.verify_receipt(access_vote(request.auth, vote_id), receipt)}


@router.get("/votes/{vote_id}/turnout", response={200: Turnout, **ERRORS})
def turnout(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    vote = access_vote(request.auth, vote_id)
    if not act.is_officer(request.auth, vote.council_id):
        raise NotFoundError("未找到该表决，或您无权查看。")
    return {"voted": VoteRoll.objects.filter(vote=vote).count(), "electorate": vote.electorate,
            "open": vote.is_open(), "closed": vote.is_closed()}


@router.post("/votes/{vote_id}/open", response={200: VoteOut, **ERRORS})
def open_vote(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    return _out(request, act.open_vote(request.auth, access_vote(request.auth, vote_id)))


@router.post("/votes/{vote_id}/close", response={200: VoteDetail, **ERRORS})
def close_vote(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    act.close_vote(request.auth, access_vote(request.auth, vote_id))
    return get_vote(request, vote_id)


@router.post("/votes/{vote_id}/publish", response={200: VoteDetail, **ERRORS})
def publish(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    act.publish_result(request.auth, access_vote(request.auth, vote_id))
    return get_vote(request, vote_id)


@router.post("/votes/{vote_id}/tally", response={201: VoteDetail, **ERRORS})
def import_tally(request: ApiRequest, vote_id: int, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    act.import_tally(request.auth, access_vote(request.auth, vote_id), file, filename=file.name or "")
    return Status(201, get_vote(request, vote_id))


@router.post("/evaluations/{evaluation_id}/form", response={201: Receipt, **ERRORS})
def submit_form(request: ApiRequest, evaluation_id: int, payload: RatingsIn) -> Status[dict[str, str]]:
    evaluation = access_evaluation(request.auth, evaluation_id)
    return Status(201, {"receipt": act.submit_evaluation(request.auth, evaluation, payload.ratings)})


class ProjectIn(Schema):
    title: str = Field(..., max_length=column_max(ProjectSuggestion, "title"))
    content: str = Field("", max_length=CONTENT_MAX)
    place: str = Field("", max_length=column_max(ProjectSuggestion, "place"))
    investment: float | None = None
    beneficiaries: str = Field("", max_length=column_max(ProjectSuggestion, "beneficiaries"))
    proposed_unit: int | None = None


class ProjectOut(Schema):
    id: int
    title: str
    source: str
    screening: str
    screening_reason: str


class ScreeningIn(Schema):
    outcome: str = Field(..., max_length=column_max(ProjectSuggestion, "screening"))
    reason: str = Field("", max_length=COMMENT_MAX)
    merged_into: int | None = None


class EvaluationOut(Schema):
    id: int
    title: str
    year: int
    open: bool
    projects: list[dict[str, Any]]
    result: dict[str, Any] | None


def _project(p: ProjectSuggestion) -> dict[str, Any]:
    return {"id": p.pk, "title": p.title, "source": p.source, "screening": p.screening,
            "screening_reason": p.screening_reason}


@router.post("/collections/{window_id}/projects", response={201: ProjectOut, **ERRORS})
def submit_project(request: ApiRequest, window_id: int, payload: ProjectIn) -> Status[dict[str, Any]]:
    user = request.auth
    window = CollectionWindow.objects.filter(pk=window_id).first()
    if window is None or not (act.is_officer(user, window.council_id) or act.deputy_of(user, window.council_id)):
        raise NotFoundError("未找到该征集，或您无权查看。")
    unit = HandlingUnit.objects.filter(pk=payload.proposed_unit).first() if payload.proposed_unit else None
    project = act.submit_project(user, window, title=payload.title, content=payload.content, place=payload.place,
                                 investment=payload.investment, beneficiaries=payload.beneficiaries,
                                 proposed_unit=unit)
    return Status(201, _project(project))


@router.post("/projects/{project_id}/screening", response={200: ProjectOut, **ERRORS})
def screen_project(request: ApiRequest, project_id: int, payload: ScreeningIn) -> dict[str, Any]:
    project = ProjectSuggestion.objects.filter(pk=project_id).first()
    if project is None or not act.is_officer(request.auth, project.council_id):
        raise NotFoundError("未找到该项目建议，或您无权查看。")
    merged = ProjectSuggestion.objects.filter(pk=payload.merged_into).first() if payload.merged_into else None
    return _project(act.screen_project(request.auth, project, outcome=payload.outcome, reason=payload.reason,
                                       merged_into=merged))


def _evaluation(evaluation: Evaluation) -> dict[str, Any]:
    return {"id": evaluation.pk, "title": evaluation.title, "year": evaluation.year, "open": evaluation.is_open(),
            "projects": [{"id": p.pk, "title": p.title} for p in evaluation.projects.order_by("vote_id", "code")],
            "result": evaluation.result if evaluation.closed_at else None}


@router.get("/evaluations/{evaluation_id}", response={200: EvaluationOut, **ERRORS})
def get_evaluation(request: ApiRequest, evaluation_id: int) -> dict[str, Any]:
    return _evaluation(access_evaluation(request.auth, evaluation_id))


@router.post("/evaluations/{evaluation_id}/open", response={200: EvaluationOut, **ERRORS})
def open_evaluation(request: ApiRequest, evaluation_id: int) -> dict[str, Any]:
    return _evaluation(act.open_evaluation(request.auth, access_evaluation(request.auth, evaluation_id)))


@router.post("/evaluations/{evaluation_id}/close", response={200: EvaluationOut, **ERRORS})
def close_evaluation(request: ApiRequest, evaluation_id: int) -> dict[str, Any]:
    return _evaluation(act.close_evaluation(request.auth, access_evaluation(request.auth, evaluation_id)))


@router.get("/figures", response={200: list[dict[str, Any]], **ERRORS})
def figures(request: ApiRequest) -> list[dict[str, Any]]:
    """数读 of the caller's council by year (staff, leaders): see :class:`~lvzhi.livelihood.queries.YearFigures`."""
    profile = profile_of(request.auth)
    council_id = profile.council_id if profile else None
    if council_id is None or not act.is_officer(request.auth, council_id):
        raise NotFoundError("未找到数据，或您无权查看。")
    return [y.as_dict() for y in council_figures(council_id)]


class AssessmentIn(Schema):
    aspect: str = Field(..., max_length=column_max(Assessment, "aspect"))
    conclusion: str = Field(..., max_length=column_max(Assessment, "conclusion"))
    opinion: str = Field(..., max_length=ANSWER_MAX)


class AssessmentOut(Schema):
    id: int
    aspect: str
    conclusion: str
    opinion: str
    unit: str | None


@router.post("/projects/{project_id}/assessments", response={201: AssessmentOut, **ERRORS})
def assess_project(request: ApiRequest, project_id: int, payload: AssessmentIn) -> Status[dict[str, Any]]:
    """An assessment in screening by the council's staff or one of its handling units."""
    project = ProjectSuggestion.objects.filter(pk=project_id).first()
    if project is None:
        raise NotFoundError("未找到该项目建议，或您无权查看。")
    a = act.assess_project(request.auth, project, aspect=payload.aspect, conclusion=payload.conclusion,
                           opinion=payload.opinion)
    return Status(201, {"id": a.pk, "aspect": a.aspect, "conclusion": a.conclusion, "opinion": a.opinion,
                        "unit": a.unit.name if a.unit else None})


# --- setting up votes and evaluations (staff) ---------------------------------------------------------------

class VoteIn(Schema):
    window: int
    title: str = Field(..., max_length=column_max(Vote, "title"))
    places: int
    electorate: int | None = None
    candidates: list[int]
    opens_at: datetime | None = None
    closes_at: datetime | None = None


class ApproveIn(Schema):
    meeting_on: date


class EvaluationIn(Schema):
    year: int
    projects: list[int]
    electorate: int | None = None
    title: str = Field("", max_length=column_max(Evaluation, "title"))


def _council(request: ApiRequest) -> Council:
    profile = profile_of(request.auth)
    if profile is None or profile.council is None or not is_council_staff(request.auth, profile.council_id):
        raise ForbiddenError("只有本机构的工作人员可以办理此事项。")
    return profile.council


def _deputies(council: Council) -> int:
    return Member.objects.filter(council=council, active=True).count()


@router.post("/votes", response={201: VoteDetail, **ERRORS})
def create_vote(request: ApiRequest, payload: VoteIn) -> Status[dict[str, Any]]:
    """A vote on a list of accepted suggestions of ``window`` (numbered 01, 02 … in the order given)."""
    council = _council(request)
    window = CollectionWindow.objects.filter(council=council, pk=payload.window).first()
    if window is None:
        raise DomainError(f"未找到项目征集 #{payload.window}。", field="window")
    found = ProjectSuggestion.objects.in_bulk([i for i in payload.candidates])
    missing = [i for i in payload.candidates if i not in found or found[i].council_id != council.pk]
    if missing:
        raise DomainError(f"未找到项目建议 #{missing[0]}。", field="candidates")
    vote = act.create_vote(request.auth, council, title=payload.title, places=payload.places,
                           electorate=payload.electorate if payload.electorate is not None else _deputies(council),
                           candidates=[act.CandidateInput(suggestion=found[i]) for i in payload.candidates],
                           window=window, opens_at=payload.opens_at, closes_at=payload.closes_at)
    return Status(201, get_vote(request, vote.pk))


@router.post("/votes/{vote_id}/approve", response={200: VoteOut, **ERRORS})
def approve_list(request: ApiRequest, vote_id: int, payload: ApproveIn) -> dict[str, Any]:
    return _out(request, act.approve_list(request.auth, access_vote(request.auth, vote_id),
                                          meeting_on=payload.meeting_on))


@router.post("/votes/{vote_id}/revote", response={201: VoteDetail, **ERRORS})
def revote(request: ApiRequest, vote_id: int) -> Status[dict[str, Any]]:
    new = act.start_revote(request.auth, access_vote(request.auth, vote_id))
    return Status(201, get_vote(request, new.pk))


@router.post("/evaluations", response={201: EvaluationOut, **ERRORS})
def create_evaluation(request: ApiRequest, payload: EvaluationIn) -> Status[dict[str, Any]]:
    council = _council(request)
    found = Candidate.objects.select_related("vote", "vote__window").in_bulk(payload.projects)
    missing = [i for i in payload.projects if i not in found]
    if missing:
        raise DomainError(f"未找到测评项目 #{missing[0]}。", field="projects")
    evaluation = act.create_evaluation(
        request.auth, council, year=payload.year, projects=[found[i] for i in payload.projects],
        electorate=payload.electorate if payload.electorate is not None else _deputies(council), title=payload.title)
    return Status(201, _evaluation(evaluation))


class MicroIn(Schema):
    title: str = Field(..., max_length=column_max(MicroProject, "title"))
    place: str = Field("", max_length=column_max(MicroProject, "place"))
    content: str = Field("", max_length=CONTENT_MAX)
    investment: float | Annotated[str, StringConstraints(max_length=NUMBER_TEXT_MAX)] | None = None
    people_served: int = 0


class MicroOut(Schema):
    id: int
    title: str
    place: str
    state: str
    member: str | None


@router.post("/micro/batches/{batch_id}/projects", response={201: MicroOut, **ERRORS})
def propose_micro(request: ApiRequest, batch_id: int, payload: MicroIn) -> Status[dict[str, Any]]:
    """A micro project (民生微实事) proposed by a deputy of the batch's council (or entered by its staff)."""
    batch = MicroBatch.objects.filter(pk=batch_id).first()
    if batch is None or not (act.deputy_of(request.auth, batch.council_id)
                             or is_council_staff(request.auth, batch.council_id)):
        raise NotFoundError("未找到该批次，或您无权查看。")
    if batch.year < timezone.localdate().year:
        raise DomainError(f"{batch.title}已不再接受项目（只接受本年度及以后的批次）。", field="batch")
    project = act.propose_micro(request.auth, batch, title=payload.title, content=payload.content,
                                place=payload.place, investment=payload.investment,
                                people_served=payload.people_served)
    return Status(201, {"id": project.pk, "title": project.title, "place": project.place,
                        "state": project.state.name, "member": project.member.name if project.member else None})


# --- supervision ---------------------------------------------------------------------------------------------

class SupervisionIn(Schema):
    kind: str = Field(..., max_length=column_max(SupervisionActivity, "kind"))
    title: str = Field(..., max_length=column_max(SupervisionActivity, "title"))
    held_on: date
    projects: list[int] = []
    record: str = Field("", max_length=RECORD_MAX)


class FindingIn(Schema):
    unit: int
    text: str = Field(..., max_length=ANSWER_MAX)
    due: date
    project: int | None = None


class CorrectionIn(Schema):
    text: str = Field(..., max_length=ANSWER_MAX)


class ConfirmIn(Schema):
    accepted: bool
    comment: str = Field("", max_length=COMMENT_MAX)


class FindingOut(Schema):
    id: int
    unit: str
    project: int | None
    text: str
    due: date
    status: str
    correction: str
    return_comment: str


class SupervisionOut(Schema):
    id: int
    kind: str
    title: str
    held_on: date
    projects: list[int]
    findings: list[FindingOut]


def _finding(f: Finding) -> dict[str, Any]:
    return {"id": f.pk, "unit": f.unit.name, "project": f.project_id, "text": f.text, "due": f.due,
            "status": f.status, "correction": f.correction, "return_comment": f.return_comment}


def _supervision(request: ApiRequest, a: SupervisionActivity) -> dict[str, Any]:
    return {"id": a.pk, "kind": a.kind, "title": a.title, "held_on": a.held_on,
            "projects": list(a.projects.order_by("id").values_list("id", flat=True)),
            "findings": [_finding(f) for f in visible_findings(request.auth, a).select_related("unit").order_by("id")]}


@router.get("/supervision", response={200: list[SupervisionOut], **ERRORS})
def list_supervision(request: ApiRequest) -> list[dict[str, Any]]:
    return [_supervision(request, a) for a in visible_supervisions(request.auth).order_by("-held_on", "-id")]


@router.post("/supervision", response={201: SupervisionOut, **ERRORS})
def record_supervision(request: ApiRequest, payload: SupervisionIn) -> Status[dict[str, Any]]:
    council = _council(request)
    found = DeliveryProject.objects.in_bulk(payload.projects)
    missing = [i for i in payload.projects if i not in found]
    if missing:
        raise DomainError(f"未找到民生实事项目 #{missing[0]}。", field="projects")
    activity = act.record_supervision(request.auth, council, kind=payload.kind, title=payload.title,
                                      held_on=payload.held_on, projects=[found[i] for i in payload.projects],
                                      record=payload.record)
    return Status(201, _supervision(request, activity))


@router.get("/supervision/{activity_id}", response={200: SupervisionOut, **ERRORS})
def get_supervision(request: ApiRequest, activity_id: int) -> dict[str, Any]:
    return _supervision(request, access_supervision(request.auth, activity_id))


@router.post("/supervision/{activity_id}/findings", response={201: FindingOut, **ERRORS})
def add_finding(request: ApiRequest, activity_id: int, payload: FindingIn) -> Status[dict[str, Any]]:
    activity = access_supervision(request.auth, activity_id)
    unit = HandlingUnit.objects.filter(pk=payload.unit, council_id=activity.council_id).first()
    if unit is None:
        raise DomainError(f"未找到承办单位 #{payload.unit}。", field="unit")
    project = DeliveryProject.objects.filter(pk=payload.project).first() if payload.project else None
    if payload.project and project is None:
        raise DomainError(f"未找到民生实事项目 #{payload.project}。", field="project")
    return Status(201, _finding(act.add_finding(request.auth, activity, unit=unit, text=payload.text,
                                                due=payload.due, project=project)))


def _visible_finding(request: ApiRequest, finding_id: int) -> Finding:
    finding = Finding.objects.select_related("activity", "unit").filter(pk=finding_id).first()
    if finding is None or not visible_findings(request.auth, finding.activity).filter(pk=finding.pk).exists():
        raise NotFoundError("未找到该问题，或您无权查看。")
    return finding


@router.post("/findings/{finding_id}/correction", response={200: FindingOut, **ERRORS})
def report_correction(request: ApiRequest, finding_id: int, payload: CorrectionIn) -> dict[str, Any]:
    return _finding(act.report_correction(request.auth, _visible_finding(request, finding_id), text=payload.text))


@router.post("/findings/{finding_id}/confirm", response={200: FindingOut, **ERRORS})
def confirm_correction(request: ApiRequest, finding_id: int, payload: ConfirmIn) -> dict[str, Any]:
    return _finding(act.confirm_correction(request.auth, _visible_finding(request, finding_id),
                                           accepted=payload.accepted, comment=payload.comment))
