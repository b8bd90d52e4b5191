"""Every link of every role's main menu opens (the leader's 热点 link once answered 404)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

ROLES = ["member0", "staff", "leader", "clerk0", "head0"]


def _menu_links(html: str) -> list[str]:
    nav = re.search(r'<nav id="site-nav".*?</nav>', html, flags=re.S)
    assert nav, "no main menu"
    return re.findall(r'href="([^"#]+)"', nav.group(0))


@pytest.mark.parametrize("who", ROLES)
def test_every_menu_link_opens(login, who):
    client = login(who)
    links = _menu_links(client.get("/").content.decode())
    assert links
    for url in links:
        if url.startswith("/admin"):
            continue
        status = client.get(url).status_code
        assert status == 200, (who, url, status)


def test_leader_reads_hot_topics_but_not_the_models(login):
    leader = login("leader")
    page = leader.get("/smart/topics/")
    assert page.status_code == 200 and "/smart/models/" not in page.content.decode()
    assert leader.get("/api/smart/topics").status_code == 200
    assert leader.get("/smart/models/").status_code == 404
