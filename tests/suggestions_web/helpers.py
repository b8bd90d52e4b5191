"""Posting a step of a suggestion's page as its form would, and reading the messages of the answer."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from lvzhi.suggestions.models import Suggestion


def version_of(pk: int) -> int:
    return Suggestion.objects.get(pk=pk).version


def step(client: Client, pk: int, name: str, data: dict[str, Any] | None = None, *, target: int | None = None,
         version: int | None = None) -> Any:
    """POST step ``name`` (about ``target``) with the form's prefix and the version the page would carry
    (the current one unless ``version`` is given)."""
    key = name if target is None else f"{name}-{target}"
    url = f"/suggestions/{pk}/do/{name}/" + (f"{target}/" if target is not None else "")
    payload: dict[str, Any] = {f"{key}-version": version if version is not None else version_of(pk)}
    for k, v in (data or {}).items():
        payload[f"{key}-{k}"] = v
    return client.post(url, payload)


def errors_of(response: Any) -> str:
    """The text of the field errors and alerts on a re-rendered page."""
    html = response.content.decode()
    return " ".join(re.findall(r'class="(?:field-error|alert alert-error)"[^>]*>(.*?)</(?:p|div)>', html, re.S))


def step_names(client: Client, pk: int) -> set[str]:
    """The step keys offered on the suggestion's page (``<details id="step-…">`` and links)."""
    html = client.get(f"/suggestions/{pk}/").content.decode()
    names = set(re.findall(r'id="step-([a-z_]+)(?:-\d+)?"', html))
    if f"/suggestions/{pk}/edit/" in html:
        names.add("edit")
    names |= {"signoff" for _ in re.findall(rf'/suggestions/{pk}/replies/\d+/"[^>]*class="button"|class="button" href="/suggestions/{pk}/replies/', html)}
    return names
