"""The JSON API (django-ninja): one router per app, OpenAPI schema at /api/openapi.json, docs at /api/docs.

Authentication on every endpoint but ``POST /api/auth/tokens``: a personal token
(``Authorization: Bearer <key>``) or the web session (with the CSRF token on unsafe methods); see
:mod:`lvzhi.core.api_auth`.

Errors all answer ``{"detail": <Chinese message>, "field": <input name or null>}``:

- :class:`~lvzhi.core.errors.DomainError` raised by an action → its ``status`` (400 refused, 403 not
  allowed, 404 missing or not visible, 409 changed by someone else / double submit, 429 locked out);
- a request not matching the schema → 422, ``detail`` naming the first wrong field, ``errors`` all of them;
- no or bad credentials → 401;
- a body that cannot be parsed (not JSON, a broken multipart form) → 400 with ``field`` ``"body"``; the other
  errors django-ninja raises itself (CSRF, throttling, a 404 of ``get_object_or_404``) answer the same shape
  in Chinese (:func:`http_error`), never ninja's English ``{"detail": "Cannot parse request body"}``.
"""

import re
from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lvzhi.cases.api import router as cases_router
from lvzhi.core.api_auth import router as auth_router
from lvzhi.core.api_auth import session_auth, token_auth
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.duties.api import router as duties_router
from lvzhi.firmvisits.api import router as firmvisits_router
from lvzhi.legislation.api import router as legislation_router
from lvzhi.livelihood.api import router as livelihood_router
from lvzhi.members.api import notifications_router
from lvzhi.members.api import router as members_router
from lvzhi.opinions.api import router as opinions_router
from lvzhi.proposals.api import router as proposals_router
from lvzhi.reports.api import router as reports_router
from lvzhi.smart.api import router as smart_router
from lvzhi.stations.api import router as stations_router
from lvzhi.studios.api import router as studios_router
from lvzhi.suggestions.api import router as suggestions_router
from lvzhi.supervision.api import router as supervision_router

api = NinjaAPI(title="lvzhi 履职 API", version="1", urls_namespace="api", auth=[token_auth, session_auth],
               description="提案全流程、组织机构与通知的 JSON 接口。认证：`Authorization: Bearer <令牌>`"
                           "（令牌由 `POST /api/auth/tokens` 获取）或已登录的浏览器会话（非 GET 请求须带 "
                           "`X-CSRFToken`）。错误统一返回 `{\"detail\": 说明, \"field\": 字段}`。")
api.add_router("/auth", auth_router, tags=["认证"])
api.add_router("/org", members_router, tags=["组织"])
api.add_router("/notifications", notifications_router, tags=["通知"])
api.add_router("/proposals", proposals_router, tags=["提案"])
api.add_router("/reports", reports_router, tags=["统计"])
api.add_router("/opinions", opinions_router, tags=["社情民意与群众意见"])
api.add_router("/smart", smart_router, tags=["智能辅助"])
api.add_router("/suggestions", suggestions_router, tags=["代表建议"])
api.add_router("/cases", cases_router, tags=["办理"])
api.add_router("/stations", stations_router, tags=["代表联络站"])
api.add_router("/legislation", legislation_router, tags=["基层立法联系点"])
api.add_router("/duties", duties_router, tags=["会议与履职"])
api.add_router("/livelihood", livelihood_router, tags=["民生实事"])
api.add_router("/supervision", supervision_router, tags=["监督调研"])
api.add_router("/firm-visits", firmvisits_router, tags=["领导联系委员企业"])
api.add_router("/studios", studios_router, tags=["委员工作室"])

_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else \
        "未登录：请使用 API 令牌（Authorization: Bearer <令牌>）或先登录。"
    response = api.create_response(request, {"detail": message, "field": None}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="lvzhi"'
    return response


_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Chinese sentences for the errors django-ninja raises with an English message, by status.
HTTP_ERROR_MESSAGES = {
    400: ("请求体无法解析：JSON 接口须发送有效的 JSON（Content-Type: application/json），上传接口须发送有效的 "
          "multipart/form-data 表单。", "body"),
    403: ("CSRF 校验失败：使用浏览器会话调用非 GET 接口时须带 X-CSRFToken 请求头。", None),
    404: (NotFoundError().message, None),
    429: ("请求过于频繁，请稍后再试。", None),
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """An error django-ninja raised (e.g. ``HttpError(400, "Cannot parse request body")`` for malformed JSON):
    the same ``{"detail", "field"}`` shape, in Chinese."""
    message = str(exc.message)
    detail, field = (message, None) if _CJK.search(message) else HTTP_ERROR_MESSAGES.get(
        exc.status_code, (f"请求有误（HTTP {exc.status_code}）。", None))
    return api.create_response(request, {"detail": detail, "field": field}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """``Http404`` inside an operation answers like a missing or hidden object everywhere else."""
    return api.create_response(request, NotFoundError().as_dict(), status=404)


def error_field(loc: Sequence[Any]) -> str:
    """The input a pydantic error location points at: ``("body", "payload", "units", 0, "role")`` →
    ``"units.0.role"``, ``("query", "limit")`` → ``"limit"``, ``("form", "grade")`` → ``"grade"``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
        # ninja nests a schema body under its parameter name ("payload", "filters"); drop it.
        if len(parts) > 1 and loc[0] in ("body", "query"):
            parts = parts[1:]
    return ".".join(parts) or "body"


def validation_message(error: dict[str, Any]) -> str:
    """A Chinese sentence for one pydantic error, naming the field (the first one is shown as ``detail``)."""
    field = error_field(error.get("loc", ()))
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"字段「{field}」必填。"
    if kind == "string_too_long":
        return f"字段「{field}」不能超过 {ctx.get('max_length')} 个字。"
    if kind == "too_long":
        return f"字段「{field}」最多 {ctx.get('max_length')} 项。"
    if kind == "string_too_short":
        return f"字段「{field}」至少需要 {ctx.get('min_length')} 个字。"
    if kind in ("enum", "literal_error"):
        return f"字段「{field}」的取值无效，可选值：{ctx.get('expected', '')}。"
    if kind.startswith("int_") or kind == "int_type":
        return f"字段「{field}」须为整数。"
    if kind.startswith("bool_"):
        return f"字段「{field}」须为 true 或 false。"
    if kind.startswith(("date", "datetime")):
        return f"字段「{field}」须为有效的日期（YYYY-MM-DD）。"
    if kind == "greater_than_equal":
        return f"字段「{field}」不能小于 {ctx.get('ge')}。"
    if kind == "greater_than":
        return f"字段「{field}」须大于 {ctx.get('gt')}。"
    if kind == "less_than_equal":
        return f"字段「{field}」不能大于 {ctx.get('le')}。"
    if kind == "less_than":
        return f"字段「{field}」须小于 {ctx.get('lt')}。"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return f"字段「{field}」的格式不对。"
    if kind == "json_invalid":
        return "请求体不是有效的 JSON。"
    return f"字段「{field}」无效：{error.get('msg', '')}"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{k: v for k, v in e.items() if k in ("type", "loc", "msg")} for e in exc.errors]
    first = exc.errors[0] if exc.errors else {"loc": (), "type": "", "msg": ""}
    body: dict[str, Any] = {"detail": validation_message(first), "field": error_field(first.get("loc", ())),
                            "errors": errors}
    return api.create_response(request, body, status=422)
