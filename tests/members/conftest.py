"""Fixtures for the organisation pages: administrators and logged-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lvzhi.members import actions as org
from lvzhi.members.choices import Role
from tests.conftest import PASSWORD


@pytest.fixture
def root(world: Any) -> Any:
    """An administrator without council (administers every council; a superuser for /admin/)."""
    return org.create_account(None, username="root", password=PASSWORD, role=Role.ADMIN, council=None)


@pytest.fixture
def council_admin(world: Any) -> Any:
    return org.create_account(None, username="council-admin", password=PASSWORD, role=Role.ADMIN,
                              council=world.council)


@pytest.fixture
def login(client: Client) -> Any:
    def _login(user: Any) -> Client:
        client.force_login(user)
        return client
    return _login
