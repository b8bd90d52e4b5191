"""No server error from numbers out of range: every integer an API operation takes — in its path, its query or
the top level of its JSON body — is probed with 2^63 (one past PostgreSQL's and SQLite's largest integer), -1,
a huge negative and a non-number, by a staff member and by a member, and by nobody on the public operations.
Each answer must be a 4xx JSON object whose ``detail`` is Chinese (issue "Production …", item 3: integers out of
range, negative offsets, non-numeric ids get a 4xx JSON answer in Chinese naming the field).

The operations come from the served OpenAPI document, so a new endpoint is probed without editing this test.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from lvzhi.core.api_auth import issue_token

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
BAD_NUMBERS: list[Any] = [2**63, -1, -(2**70), "abc"]


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return dict(doc["components"]["schemas"][ref.rsplit("/", 1)[1]])
    return schema


def _is_integer(schema: dict[str, Any]) -> bool:
    if schema.get("type") == "integer":
        return True
    return any(s.get("type") == "integer" for s in schema.get("anyOf", []))


def _probes(doc: dict[str, Any]) -> list[tuple[str, str, str, str, dict[str, Any]]]:
    """(method, path, where, name, operation) for every integer input of every operation."""
    found = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for param in op.get("parameters", []):
                if _is_integer(_resolve(doc, param.get("schema", {}))):
                    found.append((method, path, param["in"], param["name"], op))
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                schema = _resolve(doc, body["schema"])
                for name, prop in schema.get("properties", {}).items():
                    if _is_integer(_resolve(doc, prop)):
                        found.append((method, path, "body", name, op))
    return found


def _call(client: Client, method: str, path: str, where: str, name: str, value: Any,
          op: dict[str, Any]) -> Any:
    params = {p["name"]: p for p in op.get("parameters", [])}
    url = path
    for pname, param in params.items():
        if param["in"] == "path":
            url = url.replace("{" + pname + "}", str(value) if (where, name) == ("path", pname) else "1")
    query = {name: value} if where == "query" else {}
    if where == "query":
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    body = {name: value} if where == "body" else {}
    if method == "get":
        return client.get(url)
    return client.generic(method.upper(), url, data=json.dumps(body), content_type="application/json")


def test_no_integer_input_of_any_operation_gives_a_server_error(world: Any) -> None:
    doc = Client().get("/api/openapi.json").json()
    probes = _probes(doc)
    assert len(probes) > 40, "the probe must find the integer inputs of the API"
    clients = {"nobody": Client(raise_request_exception=False)}
    for name in ("staff", "member0"):
        _, key = issue_token(world.user(name), name="probe")
        clients[name] = Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=False)
    failures = []
    for method, path, where, name, op in probes:
        for who, client in clients.items():
            for value in BAD_NUMBERS:
                r = _call(client, method, path, where, name, value, op)
                if r.status_code >= 500 or not r["Content-Type"].startswith("application/json"):
                    failures.append(f"{who} {method.upper()} {path} {where}:{name}={value} → {r.status_code}")
                    continue
                detail = r.json().get("detail") if isinstance(r.json(), dict) else None
                if r.status_code >= 400 and not (isinstance(detail, str) and CJK.search(detail)):
                    failures.append(f"{who} {method.upper()} {path} {where}:{name}={value} → {r.status_code} "
                                    f"{str(detail)[:80]}")
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:60])
