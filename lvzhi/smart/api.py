"""JSON API of the smart features (mounted at ``/api/smart``), for the council's staff only (others: 404);
the council's leaders may read ``/topics``.

===========================================  ==============================================================
``GET  /topics?days=&from=&to=&growth=``     hot topics of the recent messages and reports
``GET  /models``                             current models with their figures, and accuracy in use
``GET  /cases/{kind}/{id}/suggestions``      suggested categories/units and similar cases of one case
``POST /cases/{kind}/{id}/links``            link the case to another one (audit entries on both)
===========================================  ==============================================================
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.text_limits import column_max
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.members.choices import Role
from lvzhi.smart import actions, service, store
from lvzhi.smart.models import CaseLink
from lvzhi.smart.views import _visible_case, parse_topic_params

router = Router()


def _council_id(request: HttpRequest) -> int:
    profile = profile_of(request.user)
    if profile is None or profile.role not in (Role.STAFF, Role.ADMIN) or profile.council_id is None:
        raise NotFoundError()
    return int(profile.council_id)


@router.get("/topics", summary="热点问题（按主题聚类的近期群众意见与社情民意）")
def topics(request: HttpRequest, days: str = "", date_from: str = Query("", alias="from"),
           date_to: str = Query("", alias="to"), growth: str = "") -> dict[str, Any]:
    """Topics with key terms, counts, monthly series, places, likes and growth warnings (see
    :func:`lvzhi.smart.service.hot_topics`). Query: ``days`` (default 90, ending at the latest case), ``from``
    and ``to`` (YYYY-MM-DD), ``growth`` (warning threshold, ratio latest/previous month, default 1.5)."""
    profile = profile_of(request.user)
    if profile is not None and profile.role == Role.LEADER and profile.council_id is not None:
        council_id = int(profile.council_id)  # leaders read the topics of their council (no other smart API)
    else:
        council_id = _council_id(request)
    params = parse_topic_params({"days": days, "from": date_from, "to": date_to, "growth": growth})
    return service.hot_topics(council_id, **params)


@router.get("/models", summary="智能推荐模型与使用准确率")
def models(request: HttpRequest) -> dict[str, Any]:
    council_id = _council_id(request)
    return {
        "models": [{"kind": i.kind, "scope": i.scope, "version": i.version, "label": i.label,
                    "trained_at": i.meta.get("trained_at"), "n_samples": i.meta.get("n_samples"),
                    "classes": i.meta.get("classes", []), "cv_macro_f1": i.meta.get("cv_macro_f1"),
                    "cv_accuracy": i.meta.get("cv_accuracy")} for i in store.list_models(council_id)],
        "accuracy_in_use": service.accuracy_in_use(council_id),
    }


def _staff_case(request: HttpRequest, kind: str, case_id: int) -> Any:
    case = _visible_case(request.user, kind, case_id)
    if not is_council_staff(request.user, case.council_id):
        raise NotFoundError()
    return case


@router.get("/cases/{kind}/{case_id}/suggestions", summary="案件的推荐分类、承办单位与相似案件")
def suggestions(request: HttpRequest, kind: str, case_id: int) -> dict[str, Any]:
    """``{"recommend": [...], "shown": signed value, "similar": [...]}`` for a message, report or proposal
    (``kind``). Writes nothing; ``shown`` goes with the routing request to record what was shown."""
    case = _staff_case(request, kind, case_id)
    recommend = service.recommend(case)
    return {"recommend": recommend, "shown": service.sign_shown(case, recommend),
            "similar": service.similar_cases(case, user=request.user)}


class LinkIn(Schema):
    to_type: str = Field(..., max_length=column_max(CaseLink, "to_type"))
    to_id: int
    score: float | None = None
    note: str = Field("", max_length=actions.NOTE_MAX)


@router.post("/cases/{kind}/{case_id}/links", response={201: dict}, summary="关联案件")
def link(request: HttpRequest, kind: str, case_id: int, payload: LinkIn) -> tuple[int, dict[str, Any]]:
    case = _staff_case(request, kind, case_id)
    try:
        made = actions.link_cases(request.user, case, payload.to_type, payload.to_id, score=payload.score,
                                  note=payload.note)
    except NotFoundError as exc:
        raise DomainError(exc.message, field="to_id") from None
    return 201, {"id": made.pk, "from_type": made.from_type, "from_id": made.from_id, "to_type": made.to_type,
                 "to_id": made.to_id}
