"""Every text input of the API has a length limit (issue "Production …", item 3): one character over it is
refused with 422 naming the field, exactly at it the value is not refused for its length.

The limits below are written out by hand from their sources, not read from the code under test: the model
columns (``Proposal.supervising_leader`` max_length=100, ``Meeting.kind`` 20, ``CheckIn.slot`` 16,
``Opinion.adoption`` 20, ``Invitee.name`` 100 via NAME_MAX, ``ProjectSuggestion.title`` 200, ``Message.title``
200, ``CaseLink.to_type`` 10, ``ReplyGrade.code`` 5) and the constants of the kinds of text
(lvzhi/core/text_limits.py: a comment 2000, a reason 1000, an answer 5000, a record 20000, a code 50, a
signed value 10000; legislation SPEAKERS_MAX 500; smart NOTE_MAX 200).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

# (app, account, path, body without the field, field as the error names it, limit in characters)
OVER_LIMIT = [
    ("proposals", "staff", "/api/proposals/999999/file", {"version": 1}, "comment", 2000),
    ("proposals", "staff", "/api/proposals/999999/key", {"is_key": True}, "supervising_leader", 100),
    ("proposals", "clerk0", "/api/proposals/assignments/999999/send-back", {}, "reason", 1000),
    ("proposals", "clerk0", "/api/proposals/assignments/999999/opinion", {}, "opinion", 5000),
    ("legislation", "staff", "/api/legislation/consultations/999999/comments", {"text": "意见"}, "speakers", 500),
    ("legislation", "staff", "/api/legislation/opinions/999999/adoption", {}, "adoption", 20),
    ("legislation", "staff", "/api/legislation/consultations",
     {"draft": 999999, "opens_on": "2026-01-01", "closes_on": "2026-02-01"}, "invitees.0.name", 100),
    ("duties", "staff", "/api/duties/meetings",
     {"title": "会", "start": "2026-03-01T09:00:00+08:00", "end": "2026-03-01T12:00:00+08:00"}, "kind", 20),
    ("duties", "staff", "/api/duties/meetings/999999/attendance", {"present": []}, "slot", 16),
    ("livelihood", "staff", "/api/livelihood/collections/999999/projects", {}, "title", 200),
    ("livelihood", "staff", "/api/livelihood/supervision",
     {"kind": "inspection", "title": "视察", "held_on": "2026-03-01"}, "record", 20000),
    ("opinions", "staff", "/api/opinions/messages", {"channel": "letter", "body": "内容"}, "title", 200),
    ("opinions", "staff", "/api/opinions/messages/999999/transition", {}, "action", 50),
    ("opinions", "staff", "/api/opinions/messages/999999/transition", {"action": "route"}, "shown", 10000),
    ("opinions", "staff", "/api/opinions/reports/999999/transition", {"action": "close"}, "outcome", 5000),
    ("smart", "staff", "/api/smart/cases/message/999999/links", {"to_type": "message", "to_id": 1}, "note", 200),
    ("smart", "staff", "/api/smart/cases/message/999999/links", {"to_id": 1, "note": ""}, "to_type", 10),
]


def _with(body: dict[str, Any], field: str, value: str) -> dict[str, Any]:
    """``body`` with ``value`` at ``field`` (``"invitees.0.name"``: inside the first element of a list)."""
    out = dict(body)
    if field == "invitees.0.name":
        out["invitees"] = [{"kind": "unit", "name": value}]
    else:
        out[field] = value
    return out


def _ids(case: tuple[Any, ...]) -> str:
    return f"{case[0]}:{case[2].rsplit('/', 1)[-1]}:{case[4]}"


@pytest.mark.parametrize("case", OVER_LIMIT, ids=_ids)
def test_one_character_over_the_limit_is_a_422_naming_the_field(api: Any, world: Any,
                                                                  case: tuple[Any, ...]) -> None:
    _app, account, path, body, field, limit = case
    r = api(account).post(path, _with(body, field, "长" * (limit + 1)))
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert r.json()["detail"] == f"字段「{field}」不能超过 {limit} 个字。"


@pytest.mark.parametrize("case", OVER_LIMIT, ids=_ids)
def test_exactly_at_the_limit_is_not_refused_for_its_length(api: Any, world: Any, case: tuple[Any, ...]) -> None:
    _app, account, path, body, field, limit = case
    r = api(account).post(path, _with(body, field, "长" * limit))
    # The object may not exist (404) or the value may not be a valid code (400): refused, but not for its length.
    assert r.status_code != 422, r.content
    assert "不能超过" not in json.dumps(r.json(), ensure_ascii=False)


def test_a_proposal_filed_with_a_comment_of_exactly_the_limit(api: Any, world: Any) -> None:
    p = api("member0").post("/api/proposals", {"session": world.session.pk, "title": "关于加快城市更新的建议",
                                               "suggestions": "建议"}).json()
    p = api("member0").post(f"/api/proposals/{p['id']}/submit", {"version": p["version"]}).json()
    too_long = api("staff").post(f"/api/proposals/{p['id']}/file", {"version": p["version"], "comment": "长" * 2001})
    assert too_long.status_code == 422 and too_long.json()["field"] == "comment"
    r = api("staff").post(f"/api/proposals/{p['id']}/file", {"version": p["version"], "comment": "长" * 2000})
    assert r.status_code == 200, r.content


def test_a_message_registered_with_a_title_of_exactly_the_limit(api: Any, world: Any) -> None:
    r = api("staff").post("/api/opinions/messages", {"channel": "letter", "title": "题" * 200, "body": "内容"})
    assert r.status_code == 201, r.content
    assert r.json()["title"] == "题" * 200


def test_the_multipart_reply_form_fields_are_limited(api: Any, world: Any) -> None:
    path = "/api/proposals/assignments/999999/reply"
    r = api("clerk0").multipart(path, {"grade": "A", "text": "长" * 20001})
    assert r.status_code == 422 and r.json()["field"] == "text"
    assert r.json()["detail"] == "字段「text」不能超过 20000 个字。"
    r = api("clerk0").multipart(path, {"grade": "AAAAAA", "text": "答复"})
    assert r.status_code == 422 and r.json()["field"] == "grade"
    r = api("clerk0").multipart(path, {"grade": "A", "text": "长" * 20000})
    assert r.status_code == 404, r.content  # no such assignment; the text itself is accepted
