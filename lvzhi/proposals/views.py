"""Proposal pages (thin: parse, authorize, call the action, render)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lvzhi.core.errors import NotFoundError
from lvzhi.proposals.access import access_proposal


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        proposal = access_proposal(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    return render(request, "proposals/detail.html", {"proposal": proposal})
