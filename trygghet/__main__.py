"""`python -m trygghet` (and the `trygghet` command) is manage.py for the installed package.

Production settings unless the environment says DEBUG=true; manage.py in a checkout is the
development entry point and turns DEBUG and DEMO on first.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygghet.settings")
    from trygghet.database import ensure_database_url

    ensure_database_url()
    from django.core.management import execute_from_command_line

    argv = sys.argv
    if argv[0].endswith("__main__.py"):  # help texts name the command as it was typed
        argv = ["python -m trygghet", *argv[1:]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
