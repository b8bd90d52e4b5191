"""The client's address behind a reverse proxy (lvzhi/core/network.py): ``X-Real-IP`` is believed only from the
proxies in ``LVZHI_TRUSTED_PROXIES``; the portal's rate limit then counts each citizen, not the proxy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from lvzhi.core.network import client_address
from lvzhi.opinions.models import Message
from lvzhi.opinions.ratelimit import rate

ROOT = Path(__file__).resolve().parents[2]


def _address(remote: str, real: str | None = None) -> str:
    extra = {"HTTP_X_REAL_IP": real} if real is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.LVZHI_TRUSTED_PROXIES = []
    assert _address("198.51.100.7", "10.3.4.5") == "198.51.100.7"


@pytest.mark.parametrize(("remote", "real", "expected"), [
    ("127.0.0.1", "10.3.4.5", "10.3.4.5"),          # from nginx on the same machine
    ("10.1.2.77", "10.3.4.6", "10.3.4.6"),          # from a proxy in the trusted network
    ("10.9.9.9", "10.3.4.5", "10.9.9.9"),           # a client that sends the header itself: not believed
    ("127.0.0.1", "not-an-address", "127.0.0.1"),   # a malformed header: the proxy's own address
    ("127.0.0.1", None, "127.0.0.1"),               # no header
    ("::1", "2001:db8::5", "2001:db8::5"),          # IPv6
])
def test_from_trusted_proxies_the_header_gives_the_client(settings, remote, real, expected):
    settings.LVZHI_TRUSTED_PROXIES = ["127.0.0.1", "10.1.2.0/24", "::1"]
    assert _address(remote, real) == expected


@pytest.mark.django_db
def test_behind_nginx_the_portal_limit_counts_each_citizen(world, settings):
    settings.LVZHI_TRUSTED_PROXIES = ["127.0.0.1"]
    client = Client()
    limit, _window = rate()

    def post(title: str, citizen: str) -> int:
        values = {"title": title, "body": "幸福小区路灯坏了三个月。", "place": "幸福小区", "contact": ""}
        return client.post(reverse("portal"), values, REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=citizen).status_code

    assert [post(f"甲{i}", "10.20.0.1") for i in range(limit)] == [200] * limit
    assert post("乙", "10.20.0.2") == 200  # another citizen through the same proxy is not refused
    assert post("甲再次", "10.20.0.1") == 429
    assert Message.objects.count() == limit + 1


def test_a_malformed_setting_stops_the_start_with_its_name(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "lvzhi.settings",
           "LVZHI_DATA_DIR": str(tmp_path), "LVZHI_TRUSTED_PROXIES": "127.0.0.1,nginx"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0 and "LVZHI_TRUSTED_PROXIES: 'nginx' is not an IP address or network" in done.stderr
