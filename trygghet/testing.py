"""pytest plugin, loaded with `-p trygghet.testing` before pytest-django reads the settings.

Tests follow the same rule as the app: DATABASE_URL when set, else the embedded server.
"""

from trygghet.database import ensure_database_url

ensure_database_url()
