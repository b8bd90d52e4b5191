"""docs/api-limits.md lists every text input of the API with its length limit, generated from the served
OpenAPI document; a schema change without regenerating the page fails here
(``python -m lvzhi.core.api_limits > docs/api-limits.md``)."""

from __future__ import annotations

from pathlib import Path

from django.test import Client

from lvzhi.core.api_limits import limits_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "api-limits.md"


def test_the_limits_page_matches_the_api(db: object) -> None:
    doc = Client().get("/api/openapi.json").json()
    page = limits_markdown(doc)
    assert "| `title` | 200 |" in page  # e.g. a proposal's 案由 (ProposalCreateIn), checked by hand
    assert DOC.read_text(encoding="utf-8") == page, "regenerate: python -m lvzhi.core.api_limits > docs/api-limits.md"
