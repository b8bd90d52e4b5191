"""``lvzhi makemessages``: Django's makemessages, also extracting the project's short gettext_lazy aliases.

lvzhi/proposals/views.py names ``gettext_lazy`` ``L`` and ``L_`` (step titles, timeline event names); xgettext
only knows the standard names, so without these keywords those strings would never reach the catalog. Run it
from lvzhi/ so the catalog stays at lvzhi/locale:
``cd lvzhi && ../.venv/bin/lvzhi makemessages -l en --ignore "migrations/*"``.
"""

from __future__ import annotations

from django.core.management.commands import makemessages

# Extra gettext keywords of the django domain: gettext_lazy aliases (``L``, ``L_``) and the gettext_noop alias
# ``N_`` that marks workflow data (state, transition and grade names) stored in Chinese and translated on display.
EXTRA_KEYWORDS = ("L", "L_", "N_")


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, *(f"--keyword={k}" for k in EXTRA_KEYWORDS)]
