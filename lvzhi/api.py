"""The JSON API (django-ninja): one router per app, OpenAPI schema at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

from lvzhi.members.api import router as members_router
from lvzhi.opinions.api import router as opinions_router
from lvzhi.proposals.api import router as proposals_router
from lvzhi.reports.api import router as reports_router

api = NinjaAPI(title="lvzhi 履职 API", version="1", urls_namespace="api")
api.add_router("/org", members_router, tags=["组织"])
api.add_router("/proposals", proposals_router, tags=["提案"])
api.add_router("/reports", reports_router, tags=["统计"])
api.add_router("/opinions", opinions_router, tags=["社情民意与群众意见"])
