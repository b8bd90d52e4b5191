"""Template tags for the public portal: the council's livelihood-project collection open today, if any."""

from __future__ import annotations

from django import template
from django.utils import timezone

from lvzhi.livelihood.models import CollectionWindow
from lvzhi.members.models import Council

register = template.Library()


@register.simple_tag
def open_collection(council: Council | None) -> CollectionWindow | None:
    """The collection of ``council`` whose period (both ends included) contains today, or ``None``."""
    if council is None:
        return None
    today = timezone.localdate()
    return CollectionWindow.objects.filter(council=council, opens__lte=today, closes__gte=today).order_by(
        "-year").first()
