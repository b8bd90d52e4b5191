"""The default workflow of a station matter (群众反映事项) and the default star-rating criteria, as data
(WORKFLOWS.md §6).

registered → answered on the spot (answered) / passed to the town or street, or up to the standing committee
(referred → answered when the result is recorded) / turned into a deputy suggestion (converted) / declined
because it is in litigation, administrative review or arbitration (declined, with the reason) → feedback to
the citizen and the deputy (fed back) [C1][C5]. A council changes states, names and roles in the admin
(流程, 状态, 流转); the code moves matters by the acts (answer, refer, convert, decline, resolve, feedback).
Installed for a council the first time one of its matters is written (:func:`install_defaults`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop as N_

from lvzhi.workflow.defaults import Transitions, install_workflow
from lvzhi.workflow.models import Workflow

CASE_TYPE = "station_matter"

_ON_SITE = ["station_staff", "staff", "deputy"]
_STAFF = ["station_staff", "staff"]

MATTER_STATES: list[dict[str, Any]] = [
    {"code": "registered", "name": N_("待处理"), "is_initial": True, "counts_as_received": True,
     "staff_may_edit": True, "color": "blue"},
    {"code": "referred", "name": N_("转交办理中"), "counts_as_received": True, "color": "indigo"},
    {"code": "converted", "name": N_("已转为代表建议"), "counts_as_received": True, "color": "teal"},
    {"code": "answered", "name": N_("已办理待反馈"), "counts_as_received": True, "color": "green"},
    {"code": "declined", "name": N_("不予受理待告知"), "counts_as_received": True, "color": "orange"},
    {"code": "fed_back", "name": N_("已反馈"), "counts_as_received": True, "is_closed": True, "is_terminal": True,
     "color": "dark"},
]

MATTER_TRANSITIONS: Transitions = [
    ("answer", "registered", "answered", N_("当场答复"), _ON_SITE, False),
    ("refer", "registered", "referred", N_("转交办理"), _ON_SITE, False),
    ("convert", "registered", "converted", N_("转为代表建议"), _ON_SITE, False),
    ("decline", "registered", "declined", N_("不予受理"), _ON_SITE, True),
    ("resolve", "referred", "answered", N_("登记办理结果"), _STAFF, False),
    ("feedback", "answered", "fed_back", N_("反馈群众和代表"), _ON_SITE, False),
    ("feedback", "converted", "fed_back", N_("反馈群众和代表"), _ON_SITE, False),
    ("feedback", "declined", "fed_back", N_("告知群众和代表"), _ON_SITE, False),
]

#: Published criteria of the star rating (星级评定), 100 points: after the Guangdong practice of rating
#: stations by their premises, rules, deputies' receptions, handling of matters and records [C3].
RATING_CRITERIA: list[dict[str, Any]] = [
    {"code": "premises", "title": N_("阵地建设"), "max_points": 15,
     "description": N_("有固定场所、统一标识，公开进站代表名单、接待时间和联系方式")},
    {"code": "rules", "title": N_("制度建设"), "max_points": 15,
     "description": N_("接待、登记、交办、反馈、考核等制度健全并上墙")},
    {"code": "receptions", "title": N_("代表进站"), "max_points": 25,
     "description": N_("按排班提前公布并开展接待，每名进站代表每年至少进站接待一次")},
    {"code": "handling", "title": N_("意见办理"), "max_points": 30,
     "description": N_("群众意见分类处理、转办及时，办理结果向群众和代表反馈")},
    {"code": "records", "title": N_("台账资料"), "max_points": 15,
     "description": N_("接待登记、办理、反馈台账完整，资料归档规范")},
]


@transaction.atomic
def install_defaults(council: Any) -> Workflow:
    """Install the matter workflow and the rating criteria of ``council`` (each only once); returns the
    workflow."""
    from lvzhi.stations.models import RatingCriterion

    workflow = install_workflow(council, CASE_TYPE, MATTER_STATES, MATTER_TRANSITIONS, "联络站群众意见处理流程")
    if not RatingCriterion.objects.filter(council=council).exists():
        RatingCriterion.objects.bulk_create([RatingCriterion(council=council, order=i * 10, **spec)
                                             for i, spec in enumerate(RATING_CRITERIA)])
    return workflow
