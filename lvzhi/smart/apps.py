from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmartConfig(AppConfig):
    """Text intelligence in the platform: recommendations, similar cases, hot topics, trained models."""

    name = "lvzhi.smart"
    label = "smart"
    verbose_name = _("智能辅助")
