"""manage.py for commands run inside an app's folder (makemessages, compilemessages).

Celery's Django fixup puts the current folder first on sys.path; inside support/ its api.py would
then shadow the "api" app. Importing the project's own "api" first keeps the app found."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import api  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onebuh.settings.local")
from django.core.management import execute_from_command_line

execute_from_command_line(["manage.py", *sys.argv[1:]])
