"""The ``lvzhi`` console command: Django's management commands with lvzhi's settings preset.

``lvzhi serve``, ``lvzhi setup``, ``lvzhi demo``, ``lvzhi import-proposals PATH``, ``lvzhi stats`` and the
rest are management commands of the lvzhi apps; ``lvzhi help`` lists them all. Dashes and underscores are
interchangeable in the subcommand name.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a subcommand. ``argv`` defaults to ``sys.argv``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
