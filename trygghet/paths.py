"""Where the app finds its files, in a checkout and installed from the wheel alike.

In a checkout the templates, static sources and translations sit beside the Python packages, and
local state (the embedded database, uploads, collected static files, `.env`) goes in the checkout.
The wheel carries the first three inside this package (setup.py puts them there); an installed
server keeps its state in its working directory (deploy/trygghet.service sets it).
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
IN_CHECKOUT = (PACKAGE_DIR.parent / "pyproject.toml").is_file()
SOURCE_DIR = PACKAGE_DIR.parent if IN_CHECKOUT else PACKAGE_DIR
STATE_DIR = PACKAGE_DIR.parent if IN_CHECKOUT else Path.cwd()
