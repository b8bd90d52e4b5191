"""Template tags that add the smart panels to pages owned by other apps with one line:

``{% load smart %}{% smart_proposal_panel proposal %}`` — suggested categories and possible duplicates on the
proposal case page (see :func:`lvzhi.smart.service.proposal_panel` for who sees what);
``{% smart_similar_live %}`` — the live "possible duplicates" list on the proposal form.
"""

from __future__ import annotations

from typing import Any

from django import template

from lvzhi.smart import service

register = template.Library()


@register.inclusion_tag("smart/_proposal_panel.html", takes_context=True)
def smart_proposal_panel(context: dict[str, Any], proposal: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    roles = context.get("roles")
    panel = (service.proposal_panel(user, proposal, roles=roles if isinstance(roles, set) else None)
             if user is not None and proposal is not None else {"show": False})
    return {"panel": panel, "proposal": proposal, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("smart/_similar_live.html")
def smart_similar_live() -> dict[str, Any]:
    return {}
