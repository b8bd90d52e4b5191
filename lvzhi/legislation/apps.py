from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    name = "lvzhi.legislation"
    label = "legislation"
    verbose_name = _("基层立法联系点")

    def ready(self) -> None:
        from lvzhi.core import sections as module_sections
        from lvzhi.legislation.queries import figures_section

        module_sections.register("legislation", figures_section)
