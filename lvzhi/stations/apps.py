from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "lvzhi.stations"
    label = "stations"
    verbose_name = _("代表联络站")
