from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from trygghet.core import pwa, worker_health
from trygghet.core import views as core_views
from trygghet.dashboard import views as dashboard_views
from trygghet.public import views as public_views

urlpatterns = [
    path("", public_views.home, name="home"),
    path("public/", include("trygghet.public.urls")),
    path("open311/v2/", include("trygghet.public.open311_urls")),
    path("start/", dashboard_views.start, name="start"),
    path("healthz/worker", worker_health.worker_health, name="healthz-worker"),
    path("favicon.ico", core_views.favicon),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("theme/", core_views.set_theme, name="set-theme"),
    path("accounts/", include("trygghet.accounts.urls")),
    path("patrols/", include("patrols.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("properties/", include("properties.urls")),
    path("dispatch/", include("trygghet.dispatch.urls")),
    path("push/", include("trygghet.push.urls")),
    path("lagesbild/", include("trygghet.dashboard.urls")),
    path("partners/organisations/", include("trygghet.partners.organisations.urls")),
    path("lagesbild/", include("trygghet.partners.assessments.urls")),
    path("audit/", include("trygghet.audit.urls")),
    path("partners/", include("trygghet.partners.urls")),
    path("", include("incidents.urls")),
    path("api/v1/", include("trygghet.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request

admin.site.site_header = "Trygghet"
admin.site.site_title = "Trygghet"

if settings.DEBUG:
    # Error pages as they look in production, for checking them in development.
    from django.views.defaults import page_not_found, permission_denied, server_error

    urlpatterns += [
        path("_errors/403/", permission_denied, {"exception": Exception()}),
        path("_errors/404/", page_not_found, {"exception": Exception()}),
        path("_errors/500/", server_error),
    ]
