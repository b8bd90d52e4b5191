"""The OpenAPI document: served, valid OpenAPI 3, listing the lifecycle endpoints with typed schemas."""

from __future__ import annotations

import pytest
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid_and_complete():
    r = Client().get("/api/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    validate(doc)
    assert doc["openapi"].startswith("3.")
    paths = doc["paths"]
    for path in ["/api/auth/tokens", "/api/proposals", "/api/proposals/{proposal_id}",
                 "/api/proposals/{proposal_id}/submit", "/api/proposals/{proposal_id}/file",
                 "/api/proposals/{proposal_id}/not-file", "/api/proposals/{proposal_id}/return",
                 "/api/proposals/{proposal_id}/withdraw", "/api/proposals/{proposal_id}/merge",
                 "/api/proposals/{proposal_id}/assign", "/api/proposals/assign",
                 "/api/proposals/{proposal_id}/cosigners", "/api/proposals/{proposal_id}/invitation",
                 "/api/proposals/assignments/{assignment_id}/send-back",
                 "/api/proposals/assignments/{assignment_id}/opinion",
                 "/api/proposals/assignments/{assignment_id}/reply", "/api/proposals/replies/{reply_id}/sign-off",
                 "/api/proposals/replies/{reply_id}/evaluation", "/api/proposals/{proposal_id}/key",
                 "/api/proposals/{proposal_id}/follow-ups", "/api/proposals/{proposal_id}/excellent",
                 "/api/proposals/{proposal_id}/close", "/api/proposals/{proposal_id}/archive",
                 "/api/org/me", "/api/org/councils", "/api/org/terms", "/api/org/sessions",
                 "/api/org/organisations", "/api/org/members", "/api/org/units", "/api/org/categories",
                 "/api/org/reply-grades", "/api/notifications", "/api/notifications/read-all"]:
        assert path in paths, path
    schemas = doc["components"]["schemas"]
    assert {"ProposalDetail", "ProposalPage", "ReplyOut", "EvaluationIn", "Message"} <= set(schemas)
    detail = paths["/api/proposals/{proposal_id}"]["get"]["responses"]
    assert {"200", "404", "401"} <= set(detail)
    reply = paths["/api/proposals/assignments/{assignment_id}/reply"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in reply
    # both ways of authenticating are declared, and token creation needs none
    assert {"TokenAuth", "CsrfSessionAuth"} <= set(doc["components"]["securitySchemes"])
    assert "security" not in paths["/api/auth/tokens"]["post"]


def test_docs_page_uses_local_assets():
    r = Client().get("/api/docs")
    assert r.status_code == 200
    assert b"cdn." not in r.content and b"unpkg" not in r.content
