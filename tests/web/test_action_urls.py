"""After a form error the address bar keeps the form's action address; opening it again (reload, history,
bookmark) goes back to the case page instead of a blank 405 — proposals, suggestions, reports and messages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.opinions import actions as op

pytestmark = pytest.mark.django_db


def test_reopening_a_proposal_step_address_after_a_form_error(world, login, make_proposal):
    p = make_proposal("draft")
    member = login("member0")
    url = reverse("proposal-step", args=[p.pk, "submit"])
    response = member.post(url, {"submit-version": p.version - 1})  # a stale page: the form is shown again
    assert response.status_code in (400, 409)
    again = member.get(url)
    assert again.status_code == 302 and again.url == reverse("proposal-detail", args=[p.pk])
    assert member.get(again.url).status_code == 200
    assert member.head(url).status_code == 302
    put = member.put(url)
    assert put.status_code == 405 and put["Allow"] == "POST" and "案件页面" in put.content.decode()
    # someone who may not see the case: the redirect tells nothing, the case page answers 404
    stranger = login("member2")
    assert stranger.get(url).status_code == 302 and stranger.get(again.url).status_code == 404
    assert Client().get(url).status_code == 302 and "login" in Client().get(url).url


def test_reopening_report_and_message_act_addresses(world, login):
    staff = login("staff")
    report = op.create_report(world.user("member0"), council=world.council, title="关于某事的情况反映",
                              situation="情况", analysis="分析", suggestion="建议")
    url = reverse("opinions-report-act", args=[report.pk])
    assert staff.get(url).status_code == 302 and staff.get(url).url == reverse("opinions-report", args=[report.pk])
    message = op.register_message(world.user("staff"), world.council, channel="letter", title="路灯不亮",
                                  body="某路段路灯不亮，请修复。", submitter_name="陈先生")
    url = reverse("opinions-message-act", args=[message.pk])
    assert staff.get(url).status_code == 302 and staff.get(url).url == reverse("opinions-message", args=[message.pk])
