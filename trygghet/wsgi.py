import os

from django.core.wsgi import get_wsgi_application

from trygghet.database import ensure_database_url

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygghet.settings")
ensure_database_url()
application = get_wsgi_application()
