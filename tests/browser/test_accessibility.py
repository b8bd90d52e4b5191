"""Every kind of page on a 375 px phone passes axe-core's WCAG 2.1 A and AA rules with no violation, and every
control of the header, the menus and the forms is a tap target of at least 44 × 44 CSS px.

The pages: the crawl of tests/web/test_crawl.py (``pages_by_kind``) run for each demo role of the CPPCC and the
people's congress (a second demo account of the same role is left out) and for a visitor without login (the
public portal), plus the login page and a 404 page. A kind of page (its address with the numbers taken out) is
checked once, under the first role that reaches it; each role's inbox is checked too, since the header and menu
differ by role, and once more with the phone menu open. That is about a hundred and ten pages, one viewport, so
the test stays within CI's time.

The tap-target rule (WCAG 2.5.5, at its 44 px): every visible ``a``, ``button``, ``input[type=submit]``,
``input[type=button]``, ``select`` and ``summary`` inside a ``header``, a ``nav`` or a ``form`` measures at least
44 × 44. Exempt, as 2.5.5 allows: a link inside running text ("inline": its parent holds text besides the link and
is not a flex row of controls), and what is hidden from sight (``visually-hidden`` helpers of 1 × 1 px, the
closed menu). Check boxes and radio buttons are left to their labels (``.choice`` rows of 44 px).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Browser

from lvzhi.demo.builder import build_demo, demo_accounts
from tests.browser.conftest import VIEWPORTS
from tests.web.test_crawl import pages_by_kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAP = 44
# axe-core as bundled by axe-playwright-python (no network at run time), loaded into every page of a context
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
# The undersized controls of the header, the menus and the forms, as "selector-ish text: width × height".
SMALL_TARGETS = """() => {
  const out = [];
  const sel = 'a, button, input[type=submit], input[type=button], select, summary';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.closest('header, nav, form')) continue;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width <= 1 || r.height <= 1 || style.visibility === 'hidden') continue;  // hidden or visually-hidden
    if (el.tagName === 'A') {
      const parent = el.parentElement;
      const around = parent.textContent.replace(el.textContent, '').trim();
      if (around.length > 0 && getComputedStyle(parent).display !== 'flex') continue;  // inline in running text
    }
    if (r.width < 44 || r.height < 44) {
      const id = el.id ? '#' + el.id : (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '');
      out.push(`${el.tagName.toLowerCase()}${id} "${el.textContent.trim().slice(0, 20)}": ` +
               `${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return out;
}"""


def _pages() -> list[tuple[str, Client | None, str]]:
    """(who, client, address) for each page to check: each kind once, each role's inbox, a 404."""
    users = get_user_model().objects
    chosen: list[tuple[str, Client | None, str]] = []
    kinds: set[str] = set()
    visitor = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for kind, url in sorted(pages_by_kind(visitor, "/portal/", per_kind=1).items()):
        kinds.add(kind)
        chosen.append(("访客", None, url))
    for url in ("/login/", "/no-such-page/"):  # the login page (unless the portal links it) and a 404
        if url not in kinds:
            kinds.add(url)
            chosen.append(("访客", None, url))
    roles: set[str] = set()
    for account in demo_accounts():
        if account.role in roles:  # a second account of the same role (委员, 人大代表) meets the same pages
            continue
        roles.add(account.role)
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(users.get(username=account.username))
        found = pages_by_kind(client, per_kind=1)
        for kind, url in sorted(found.items()):
            if kind == "/" or kind not in kinds:
                kinds.add(kind)
                chosen.append((account.username, client, url))
    return chosen


def test_every_kind_of_page_passes_axe_and_tap_targets_on_a_phone(live_server: Any, browser: Browser) -> None:
    build_demo(train=False)
    started = time.monotonic()
    pages = _pages()
    crawled = time.monotonic() - started
    spent = {"goto": 0.0, "axe": 0.0}
    violations: list[str] = []
    small: list[str] = []
    contexts: dict[str, Any] = {}
    for who, client, url in pages:
        if who not in contexts:
            ctx = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN",  # type: ignore[arg-type]
                                      is_mobile=True)
            ctx.set_default_timeout(15000)
            ctx.add_init_script(path=AXE_JS)
            if client is not None:
                ctx.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
            contexts[who] = ctx.new_page()
        page = contexts[who]
        t = time.monotonic()
        page.goto(f"{live_server.url}{url}")
        spent["goto"] += time.monotonic() - t
        states = [url]
        toggle = page.locator("[data-nav-toggle]")
        if url == "/" and toggle.count():  # the inbox again with the menu open: the menu's links and forms
            states.append(f"{url} (菜单展开)")
        for n, where in enumerate(states):
            if n:
                toggle.click()
            t = time.monotonic()
            found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
            spent["axe"] += time.monotonic() - t
            for v in found:
                violations += [f"{v['id']} ({v['impact']}) {' '.join(map(str, node['target']))} on {where} as {who}"
                               for node in v["nodes"]]
            small += [f"{target} on {where} as {who}" for target in page.evaluate(SMALL_TARGETS)]
    for page in contexts.values():
        page.context.close()
    print(f"{len(pages)} pages checked ({crawled:.0f} s of crawl, {time.monotonic() - started - crawled:.0f} s "
          f"in the browser: {spent['goto']:.0f} s loading, {spent['axe']:.0f} s in axe)")
    assert len(pages) >= 60, len(pages)  # the crawl reached the pages of every role
    assert not violations, f"{len(violations)} axe violations:\n" + "\n".join(violations)
    assert not small, f"{len(small)} tap targets under {TAP} × {TAP} px:\n" + "\n".join(small)


def test_the_checks_catch_what_they_look_for(browser: Browser) -> None:
    """The checks themselves, on a page made for them: an unlabelled field and grey-on-white text are axe
    violations; a 20 px button of a form is an undersized target, a link inside a sentence is not."""
    ctx = browser.new_context(viewport=VIEWPORTS["phone"], is_mobile=True)  # type: ignore[arg-type]
    ctx.add_init_script(path=AXE_JS)
    page = ctx.new_page()
    page.goto("about:blank")
    page.set_content('<html lang="zh-hans"><head><title>试</title></head><body><main><h1>试</h1>'
                     '<p style="color:#bbb;background:#fff">浅灰色的字</p>'
                     '<form><input type="text" name="q"><button style="height:20px;padding:0">查</button>'
                     '<p>请先阅读<a href="/rules/">办理规则</a>再提交。</p></form></main></body></html>')
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    assert {v["id"] for v in found} == {"color-contrast", "label"}
    small = page.evaluate(SMALL_TARGETS)
    ctx.close()
    assert len(small) == 1 and small[0].startswith('button "查"'), small
