"""``{% saved_filters %}``: the current user's saved filters of the list page being shown, and a small form to
save the current filters (see :mod:`lvzhi.core.saved_filters`)."""

from __future__ import annotations

from typing import Any

from django import template

from lvzhi.core.saved_filters import clean_query, filters_for

register = template.Library()


@register.inclusion_tag("core/_saved_filters.html", takes_context=True)
def saved_filters(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    current = clean_query(request.GET.urlencode())
    return {"saved": filters_for(request.user, request.path), "path": request.path, "current": current,
            "csrf_token": context.get("csrf_token")}
