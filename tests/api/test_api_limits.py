"""docs/api-limits.md lists every text input of the API with its length limit, generated from the request-body
schemas of the operations; a schema change without regenerating the page fails here
(``python -m lvzhi.core.api_limits > docs/api-limits.md``), and so does a text input without a limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

from lvzhi.api import api
from lvzhi.core.api_limits import UNLIMITED, input_schemas, limits_markdown, unlimited

DOC = Path(__file__).resolve().parents[2] / "docs" / "api-limits.md"


def test_the_limits_page_matches_the_api() -> None:
    page = limits_markdown(api)
    assert "| `title` | 200 |" in page  # e.g. a proposal's 案由 (ProposalCreateIn), checked by hand
    assert DOC.read_text(encoding="utf-8") == page, "regenerate: python -m lvzhi.core.api_limits > docs/api-limits.md"


def test_no_text_input_is_left_without_a_limit() -> None:
    assert unlimited(api) == []
    assert UNLIMITED not in DOC.read_text(encoding="utf-8")


def test_the_page_lists_the_schemas_the_openapi_document_hides() -> None:
    """Three ``CommentIn`` classes (proposals, cases, legislation) share a name; the OpenAPI document keeps one of
    them, the page lists all three, each with its own limits (by hand: a proposal's and a suggestion's
    ``comment`` 2000; a legislation comment's ``text`` 5000, COMMENT_MAX of lvzhi.legislation.models)."""
    shown = {s.name: dict(s.fields) for s in input_schemas(api)}
    assert shown["CommentIn (lvzhi.proposals.schemas)"] == {"comment": 2000}
    assert shown["CommentIn (lvzhi.cases.api)"] == {"comment": 2000}
    assert shown["CommentIn (lvzhi.legislation.api)"]["text"] == 5000
    # the multipart reply of a proposal: form fields, not a component of the OpenAPI document
    assert shown["form fields of POST /api/proposals/assignments/{assignment_id}/reply"] == {
        "contact_person": 50, "contact_phone": 30, "grade": 5, "text": 20000}


def test_the_served_openapi_document_states_the_limits(db: Any) -> None:
    """Every text property of every component the served document shows as a request body has a maxLength."""
    doc = Client().get("/api/openapi.json").json()
    missing = []
    for name, schema in doc["components"]["schemas"].items():
        if not name.endswith("In"):
            continue
        for field, prop in schema.get("properties", {}).items():
            options = prop.get("anyOf", [prop])
            for o in options:
                if o.get("type") == "string" and "enum" not in o and "format" not in o and "maxLength" not in o:
                    missing.append(f"{name}.{field}")
    assert missing == []
