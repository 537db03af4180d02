"""The `sangyo` console script: Django's management commands under a short name.

`sangyo strategy load FILE` reads better than `manage.py strategy load FILE`, and a city's IT
vendor can run it from any directory.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sangyo", *sys.argv[1:]])
