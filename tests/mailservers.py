"""Real local mail and gateway servers for the delivery tests: an SMTP server (aiosmtpd) keeping what it
receives, and an HTTP server playing the SMS gateway. Both listen on free ports of 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def wait(self, n: int, seconds: float = 10.0) -> None:
        end = time.monotonic() + seconds
        while len(self.messages) < n and time.monotonic() < end:
            time.sleep(0.05)


@pytest.fixture
def smtp(settings) -> Iterator[_Inbox]:
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.DEFAULT_FROM_EMAIL = "lvzhi@council.example"
    settings.SITE_URL = "https://lvzhi.example.gov.cn"
    try:
        yield inbox
    finally:
        controller.stop()


class _Gateway:
    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], str]] = []
        self.status = 200


@pytest.fixture
def gateway(settings) -> Iterator[_Gateway]:
    state = _Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.posts.append((json.loads(body), self.headers.get("Authorization", "")))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/send"
    settings.SMS_GATEWAY_TOKEN = "gw-secret"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def subject(msg: email.message.EmailMessage) -> str:
    """The decoded subject (the encoded words of a long Chinese subject unfold with a leading blank)."""
    return str(msg["Subject"]).strip()
