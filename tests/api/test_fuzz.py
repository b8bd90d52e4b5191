"""Fuzzing of the whole JSON API with schemathesis: no server error and no English or HTML error from any input.

Every operation of the served OpenAPI document (``/api/openapi.json``) is called in-process through the WSGI
application (:func:`schemathesis.openapi.from_wsgi`), with inputs generated from its schema, once as a staff
member of the demo CPPCC and once as one of its members (personal API tokens). The database holds the demo
(:func:`lvzhi.demo.builder.build_demo`: proposals in every state, reports, messages, suggestions, meetings …),
so small ids exist. Each answer must be

- below 500 (a 503 "busy" is a server error here too: nothing else writes during the run), and
- when it is an error (4xx), a JSON object whose ``detail`` is a Chinese sentence (the error shape of
  :mod:`lvzhi.api`).

Bounded and deterministic: :data:`EXAMPLES` examples per operation and role, Hypothesis derandomized, no
example database. ``LVZHI_FUZZ_EXAMPLES`` raises the bound for a longer local run. Source: issue
"Production …", item 3 ("a fuzzing run of the OpenAPI schema … reports 0 server errors").
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = int(os.environ.get("LVZHI_FUZZ_EXAMPLES", "8"))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI application, run inside the test's transaction: like ``django.test.Client``, the
    connection must not be closed at the start and end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def problem(response: Any) -> str | None:
    """Why ``response`` breaks the rule of the module docstring, or None."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if not content_type.startswith("application/json"):
        return f"{status} answered as {content_type or 'no content type'}"
    try:
        body = json.loads(response.content)
    except ValueError:
        return f"{status} answered with a body that is not JSON"
    if not isinstance(body, dict) or not isinstance(body.get("detail"), str):
        return f"{status} without a detail sentence: {str(body)[:120]}"
    if not CJK.search(body["detail"]):
        return f"{status} with an English detail: {body['detail'][:120]}"
    return None


def fuzz_operation(operation: Any, role: str, headers: dict[str, str], failures: dict[str, str],
                   counted: dict[str, int]) -> None:
    """Call ``operation`` with :data:`EXAMPLES` generated cases; record the first bad answer per path."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    try:
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    except Exception:  # an operation without any input cannot be called wrongly
        pass

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def run(case: Any) -> None:
        counted["calls"] += 1
        response = case.call(headers=headers)
        counted[str(response.status_code)] = counted.get(str(response.status_code), 0) + 1
        why = problem(response)
        label = f"{case.method} {operation.path} as {role}"
        if why and label not in failures:
            failures[label] = (f"{why}; path={case.path_parameters!r} query={case.query!r} "
                               f"body={str(case.body)[:200]!r} → {response.content[:300]!r}")

    run()


def test_fuzz_every_operation_with_a_staff_and_a_member_token(wsgi_app: WSGIHandler) -> None:
    from lvzhi.core.api_auth import issue_token
    from lvzhi.demo.builder import build_demo

    started = time.monotonic()
    build_demo(train=False)
    users = get_user_model().objects.in_bulk(["demo-staff", "demo-member"], field_name="username")
    tokens = {role: issue_token(user, name="fuzz")[1] for role, user in
              (("staff", users["demo-staff"]), ("member", users["demo-member"]))}
    built = time.monotonic() - started

    crashes: list[str] = []
    got_request_exception.connect(lambda sender, request, **kw: crashes.append(request.path), weak=False,
                                  dispatch_uid="fuzz-crashes")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    failures: dict[str, str] = {}
    counted = {"operations": 0, "calls": 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        counted["operations"] += 1
        for role, key in tokens.items():
            fuzz_operation(operation, role, {"Authorization": f"Bearer {key}"}, failures, counted)
    got_request_exception.disconnect(dispatch_uid="fuzz-crashes")
    print(f"\nfuzz: {counted['operations']} operations × 2 roles, {counted['calls']} calls, "
          f"demo built in {built:.1f} s, all in {time.monotonic() - started:.1f} s; answers by status: "
          f"{ {k: v for k, v in sorted(counted.items()) if k.isdigit()} }")
    assert counted["operations"] > 100, "the fuzzer must find the operations of the API"
    assert not crashes, f"unhandled exceptions on {sorted(set(crashes))}"
    assert not failures, "\n".join(f"{k}: {v}" for k, v in sorted(failures.items()))
