"""The ``plenary`` command: Django's management commands under one name.

``plenary serve`` runs the server, ``plenary demo`` loads demo data, and every
other Django command (``migrate``, ``createsuperuser``...) works as with
``manage.py``.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
