"""Looking up a council's workflow never writes (issue 6): a council without one is told to run setup,
and ``lvzhi setup`` is what installs the defaults."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from lvzhi.core.errors import DomainError
from lvzhi.members.models import Council
from lvzhi.opinions import actions as op
from lvzhi.opinions.models import Message
from lvzhi.workflow.models import State, Workflow

pytestmark = pytest.mark.django_db


def test_a_message_to_a_council_without_a_workflow_is_refused_and_nothing_is_installed() -> None:
    legacy = Council.objects.create(name="旧机构")  # a council from before the defaults existed
    with pytest.raises(DomainError, match="lvzhi setup"):
        op.submit_portal_message(legacy, title="路灯不亮", body="小区门口路灯坏了。")
    assert not Workflow.objects.filter(council=legacy).exists()
    assert not State.objects.filter(workflow__council=legacy).exists()
    assert not Message.objects.filter(council=legacy).exists()
    call_command("setup", stdout=StringIO())
    message = op.submit_portal_message(legacy, title="路灯不亮", body="小区门口路灯坏了。")
    assert message.workflow.council_id == legacy.pk
    assert Workflow.objects.filter(council=legacy, case_type=message.workflow.case_type).count() == 1
