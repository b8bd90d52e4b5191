"""The renaming switch: with ``LVZHI_RENAME_STATES=1`` every default workflow has each state's code and name
changed right after it is installed (as an administrator would in the admin), so that the lifecycle tests prove
the code asks states for flags and acts, never for codes or names.

Tests that check a recorded state code (``to_state`` of an audit entry, ``state.code`` of a case, the API's
``state``) write :func:`state_code` of the default code; it answers the code the state has under the switch.
"""

from __future__ import annotations

import os
from typing import Any

from lvzhi.workflow.models import State

RENAMING = os.environ.get("LVZHI_RENAME_STATES") == "1"
PREFIX = "renamed-"
NAME_PREFIX = "更名·"


def state_code(default: str) -> str:
    """The code the state of default code ``default`` has in this run."""
    return PREFIX + default if RENAMING else default


def state_name(default: str) -> str:
    """The name the state of default name ``default`` has in this run."""
    return NAME_PREFIX + default if RENAMING else default


def rename_states(sender: Any, workflow: Any, **kwargs: Any) -> None:
    """Receiver of ``lvzhi.workflow.defaults.workflow_installed``: re-code and rename every state, one by one
    through the ORM as the admin saves them."""
    for state in State.objects.filter(workflow=workflow):
        state.code = PREFIX + state.code
        state.name = NAME_PREFIX + state.name
        state.save(update_fields=["code", "name"])


def plain(actual: str) -> str:
    """The default code of a state whose code in this run is ``actual`` (inverse of :func:`state_code`)."""
    return actual.removeprefix(PREFIX) if RENAMING else actual
