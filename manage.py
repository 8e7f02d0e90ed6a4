#!/usr/bin/env python
"""The checkout's manage.py: development settings (DEBUG and DEMO on, as `make run` serves)
unless the environment says otherwise. An installed server runs `trygghet` (trygghet/__main__.py),
which starts from production settings."""

import os


def main() -> None:
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DEMO", "true")
    from trygghet.__main__ import main as manage

    manage()


if __name__ == "__main__":
    main()
