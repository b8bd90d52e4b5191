from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data builder and its ``lvzhi demo`` command (no models). Installed last: it sits above every
    other app and nothing imports it."""

    name = "lvzhi.demo"
    label = "demo"
    verbose_name = _("演示数据")
