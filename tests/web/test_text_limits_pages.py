"""The page forms of a proposal take the same text limits as the API (lvzhi/core/text_limits.py): a comment
of 2000 characters and a reason of 1000 are accepted by both, one more is refused by both (the API with 422,
tests/api/test_text_limits.py; the page with 400 and the limit next to the field)."""

from __future__ import annotations

import pytest

from lvzhi.proposals.models import Assignment
from tests.web.test_steps import errors_of

pytestmark = pytest.mark.django_db


def test_a_return_comment_of_2000_characters_is_accepted_and_2001_refused(world, login, make_proposal):
    staff = login("staff")
    p = make_proposal("submitted")
    response = staff.post(f"/proposals/{p.pk}/do/return/", {"return-version": p.version,
                                                            "return-comment": "长" * 2001})
    assert response.status_code == 400 and "2000" in errors_of(response)
    response = staff.post(f"/proposals/{p.pk}/do/return/", {"return-version": p.version,
                                                            "return-comment": "长" * 2000})
    assert response.status_code == 302


def test_a_send_back_reason_of_1000_characters_is_accepted_and_1001_refused(world, login, make_proposal):
    p = make_proposal("assigned")
    a = Assignment.objects.get(proposal=p)
    clerk = login("clerk0")
    field = f"send_back-{a.pk}-reason"
    response = clerk.post(f"/proposals/{p.pk}/do/send_back/{a.pk}/", {f"send_back-{a.pk}-version": p.version,
                                                                      field: "长" * 1001})
    assert response.status_code == 400 and "1000" in errors_of(response)
    response = clerk.post(f"/proposals/{p.pk}/do/send_back/{a.pk}/", {f"send_back-{a.pk}-version": p.version,
                                                                      field: "长" * 1000})
    assert response.status_code == 302


def test_the_comment_box_tells_its_limit(world, login, make_proposal):
    p = make_proposal("submitted")
    page = login("staff").get(f"/proposals/{p.pk}/").content.decode()
    assert 'name="return-comment"' in page and 'maxlength="2000"' in page
