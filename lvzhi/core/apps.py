from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lvzhi.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from lvzhi.core import jobs, signals  # noqa: F401  (connect the login audit and job receivers)
