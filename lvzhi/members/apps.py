from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "lvzhi.members"
    label = "members"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from lvzhi.core.accounts import register_council_resolver
        from lvzhi.members.access import profile_of

        register_council_resolver(lambda user: getattr(profile_of(user), "council_id", None))
