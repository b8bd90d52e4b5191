"""A crawl of what every demo role meets: log in as each demo account (the CPPCC's and the people's
congress's), open the inbox, every link of the menu, the lists and the case pages within a few hops (same-site
GET links only; no logout, language switch, downloads, API or Django admin), and fail on any answer other than
2xx/3xx, any server error, or a raw English key or identifier (``converted_to_report``, ``None``) in the
visible text of a Chinese page.

Pages per role are capped (``CAP``) and each kind of page (its address with the numbers taken out) is opened at
most ``PER_KIND`` times, so the crawl reaches every kind of page without opening all 200 proposals.
"""

from __future__ import annotations

import html as htmllib
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lvzhi.demo.builder import build_demo, demo_accounts

pytestmark = pytest.mark.django_db

CAP = 150
PER_KIND = 10
DEPTH = 3  # the inbox (0) → the menu's pages (1) → lists' and inbox's cases (2) → what a case page links (3)
SKIP = re.compile(r"^/(logout|i18n|admin|api|static|media)/|\.(xlsx|docx|pdf|csv|zip|png|jpg)(\?|$)|/download|"
                  r"/export|xlsx|/letter\.docx")
# visible English identifiers: snake_case words (event or field keys), Python's None/True/False, dunder names
RAW = re.compile(r"(?<![\w./:@-])(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|None|True|False)(?![\w@-])")
HREF = re.compile(r'<a\b[^>]*?\bhref="([^"]+)"', re.I)


def visible_text(page: str) -> str:
    """The text a reader sees: scripts, styles, comments and tags removed, entities decoded; ``<code>`` (a
    file's column names the reader must type, shown beside their Chinese names) left out."""
    page = re.sub(r"<(script|style|code)\b.*?</\1>|<!--.*?-->", " ", page, flags=re.S | re.I)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "N", path)


@dataclass
class Crawl:
    client: Client
    per_kind: int = PER_KIND
    seen: set[str] = field(default_factory=set)
    pages: dict[str, str] = field(default_factory=dict)  # kind → the first address of that kind that gave a page
    kinds: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    opened: int = 0

    def admit(self, url: str) -> bool:
        if url in self.seen or SKIP.search(url):
            return False
        kind = kind_of(urlsplit(url).path)
        if self.kinds.get(kind, 0) >= self.per_kind:
            return False
        self.seen.add(url)
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        return True

    def get(self, url: str, referrer: str) -> str | None:
        self.opened += 1
        try:
            response: Any = self.client.get(url)
        except Exception as exc:  # the test client re-raises a view's exception: a server error
            self.problems.append(f"{url} (from {referrer}): server error {type(exc).__name__}: {exc}")
            return None
        if not 200 <= response.status_code < 400:
            self.problems.append(f"{url} (from {referrer}): {response.status_code}")
            return None
        if response.status_code >= 300:
            return response.get("Location", "")
        if not response.get("Content-Type", "").startswith("text/html"):
            return None
        page = response.content.decode()
        self.pages.setdefault(kind_of(urlsplit(url).path), url)
        raw = sorted(set(RAW.findall(visible_text(page))))
        if raw:
            self.problems.append(f"{url} (from {referrer}): raw identifiers {raw[:8]}")
        return page

    def run(self, start: str = "/") -> None:
        queue: deque[tuple[str, int, str]] = deque([(start, 0, "login")])
        self.admit(start)
        while queue and self.opened < CAP:
            url, depth, referrer = queue.popleft()
            answer = self.get(url, referrer)
            if answer is None:
                continue
            links = [answer] if not answer.lstrip().startswith("<") else HREF.findall(answer)
            if depth >= DEPTH and not links == [answer]:
                continue
            for href in links:
                target = urljoin(url, htmllib.unescape(href))
                parts = urlsplit(target)
                if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                    continue
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                if self.admit(local):
                    queue.append((local, depth + 1, url))


def pages_by_kind(client: Client, start: str = "/", per_kind: int = PER_KIND) -> dict[str, str]:
    """One address per kind of page ``client`` reaches from ``start`` (kind → address with its query), for other
    checks of every page (tests/browser/test_accessibility.py); the crawl's problems are left to this file's test."""
    crawl = Crawl(client, per_kind=per_kind)
    crawl.run(start)
    return crawl.pages


def test_every_role_meets_no_error_and_no_raw_key():
    build_demo(train=False)
    users = get_user_model().objects
    report: list[str] = []
    for account in demo_accounts():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(users.get(username=account.username))
        crawl = Crawl(client)
        crawl.run()
        assert crawl.opened >= 10, (account.username, crawl.opened)  # the crawl did reach the pages
        report += [f"{account.username}: {p}" for p in crawl.problems]
        print(account.username, crawl.opened, sorted(crawl.kinds))  # shown with -s: what the crawl reached
    assert not report, "\n".join(report)
