"""Fixtures of the API tests: a token per role of the ``world`` council and a small JSON client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lvzhi.core.api_auth import issue_token


class Api:
    """A ``django.test.Client`` that sends ``Authorization: Bearer <key>`` and JSON bodies."""

    def __init__(self, key: str | None) -> None:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.client = Client(headers=headers)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(path, data if data is not None else {}, content_type="application/json")

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(path, data, content_type="application/json")

    def delete(self, path: str) -> Any:
        return self.client.delete(path)

    def multipart(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(path, data)


@pytest.fixture
def api(world: Any) -> Any:
    """``api("member0")``: a client holding a fresh token of that ``world`` account."""
    cache: dict[str, Api] = {}

    def make(name: str) -> Api:
        if name not in cache:
            _, key = issue_token(world.user(name), name="test")
            cache[name] = Api(key)
        return cache[name]

    return make


def minimal_pdf(text: str = "reply") -> bytes:
    """A small but well-formed one-page PDF 1.4 (header, objects, cross-reference table, trailer)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
