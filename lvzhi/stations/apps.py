from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "lvzhi.stations"
    label = "stations"
    verbose_name = _("代表联络站")

    def ready(self) -> None:
        from lvzhi.core.inbox import register_provider
        from lvzhi.stations.inbox import station_inbox

        register_provider("stations", station_inbox)

        from lvzhi.core import sections as module_sections
        from lvzhi.stations.queries import figures_section

        module_sections.register("stations", figures_section)
