"""Links between the parts: Word and Excel downloads from the proposal pages, conversion of a not-filed
proposal into a public-opinion report, staff navigation to imports, models and hot topics."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment

pytestmark = pytest.mark.django_db


def _submitted(world, title="关于完善社区养老服务的建议"):
    p = act.create_proposal(world.user("member0"), session=world.session, title=title, suggestions="建议")
    return act.submit_proposal(world.user("member0"), p.pk)


def test_case_page_links_documents_and_reply_letter(client, world):
    p = _submitted(world)
    act.file_proposal(world.user("staff"), p.pk)
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])
    reply = act.draft_reply(world.user("clerk0"), Assignment.objects.get(proposal=p).pk, grade_code="A", text="答复")
    client.force_login(world.user("member0"))
    page = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert reverse("proposal-docx", args=[p.pk]) in page
    assert reverse("reply-docx", args=[reply.pk]) not in page  # not signed off yet
    act.sign_off_reply(world.user("head0"), reply.pk)
    page = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert reverse("reply-docx", args=[reply.pk]) in page
    assert client.get(reverse("reply-docx", args=[reply.pk])).status_code == 200


def test_list_offers_the_excel_export_with_the_same_filters(client, world):
    client.force_login(world.user("staff"))
    page = client.get(reverse("proposal-list") + "?state=submitted").content.decode()
    assert reverse("proposal-list-xlsx") + "?state=submitted" in page


def test_not_filed_proposal_converts_to_a_report_from_its_page(client, world):
    p = _submitted(world, "关于推介某品牌产品的建议")
    act.not_file_proposal(world.user("staff"), p.pk, ground="promotion", comment="属于产品推介")
    client.force_login(world.user("member0"))
    assert "转为社情民意" not in client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    client.force_login(world.user("staff"))
    url = reverse("proposal-detail", args=[p.pk])
    assert "转为社情民意" in client.get(url).content.decode()
    response = client.post(reverse("opinions-convert-proposal", args=[p.pk]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "已转为社情民意信息" in page and "转为社情民意</button>" not in page


def test_staff_navigation_reaches_imports_models_and_topics(client, world):
    client.force_login(world.user("staff"))
    page = client.get(reverse("inbox")).content.decode()
    for name in ("proposal-import", "smart-models", "hot-topics", "stats", "org-home"):
        assert reverse(name) in page
    client.force_login(world.user("member0"))
    page = client.get(reverse("inbox")).content.decode()
    assert reverse("proposal-import") not in page and reverse("smart-models") not in page
