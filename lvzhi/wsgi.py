"""WSGI entry point (``waitress-serve lvzhi.wsgi:application`` or ``lvzhi serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
application = get_wsgi_application()
