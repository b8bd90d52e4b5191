"""Malformed request bodies answer a 4xx JSON error in Chinese naming the body, never django-ninja's English
``{"detail": "Cannot parse request body"}`` (found by the schemathesis run, tests/api/test_fuzz.py; issue
"Production …", item 3: malformed JSON → 4xx JSON in Chinese)."""

from __future__ import annotations

from typing import Any

import pytest

from lvzhi.proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", [b"{", b"\x90", b'{"title": "\xe5"}', b"[1, 2"])
def test_malformed_json_is_a_chinese_400_naming_the_body(api: Any, world: Any, body: bytes) -> None:
    r = api("member0").client.post("/api/proposals", body, content_type="application/json")
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
    assert r.json()["field"] == "body" and "请求体无法解析" in r.json()["detail"]
    assert not Proposal.objects.exists()

