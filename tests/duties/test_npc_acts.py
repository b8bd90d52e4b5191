"""A deputy's record holds their liaison-station receptions and their part in the livelihood-project vote
(WORKFLOWS.md §6, §4), computed from the records of those modules; recounted here with plain loops over the
rows (the demo people's congress has both)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from lvzhi.demo.builder import build_demo
from lvzhi.duties.acts import acts_of
from lvzhi.livelihood.models import ProjectSuggestion, VoteRoll
from lvzhi.members.choices import CouncilKind
from lvzhi.members.models import Council
from lvzhi.stations.models import Reception

pytestmark = pytest.mark.django_db


def test_receptions_and_livelihood_votes_in_the_deputies_records(settings, tmp_path) -> None:
    settings.LVZHI_MODELS_DIR = str(tmp_path / "models")
    build_demo(train=False)
    npc = Council.objects.get(kind=CouncilKind.NPC, parent__isnull=True)
    acts = acts_of(npc, date(2000, 1, 1), date(2100, 12, 31))
    got = Counter((a.kind, a.member_id) for a in acts if a.kind in ("reception", "livelihood_vote",
                                                                     "livelihood_suggestion"))
    expected: Counter[tuple[str, int]] = Counter()
    for reception in Reception.objects.filter(council=npc):
        for deputy in reception.deputies.all():
            expected["reception", deputy.pk] += 1
    for row in VoteRoll.objects.filter(vote__council=npc, vote__closed_at__isnull=False):
        expected["livelihood_vote", row.member_id] += 1
    for suggestion in ProjectSuggestion.objects.filter(council=npc, member__isnull=False):
        expected["livelihood_suggestion", suggestion.member_id] += 1
    assert sum(v for (k, _), v in expected.items() if k == "reception") > 0
    assert sum(v for (k, _), v in expected.items() if k == "livelihood_vote") > 0
    assert got == expected
    # nothing of a ballot's content reaches the record: only the channel of the roll
    assert all(set(a.attrs) == {"channel"} for a in acts if a.kind == "livelihood_vote")
