"""The API root, /api/v1/: every app's routes in one router, the OpenAPI schema and its docs."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from incidents import api as incidents_api
from patrols import api as patrols_api
from properties import api as properties_api
from trygghet.accounts import api as accounts_api
from trygghet.api import event_stats, stats
from trygghet.dispatch import api as dispatch_api
from trygghet.partners import api as partners_api


@csrf_exempt
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)


router = DefaultRouter()
for prefix, viewset, basename in [
    *accounts_api.routes,
    *patrols_api.routes,
    *incidents_api.routes,
    *properties_api.routes,
    *dispatch_api.routes,
    *partners_api.routes,
]:
    router.register(prefix, viewset, basename=basename)

app_name = "api"
urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("presence/", patrols_api.PresenceView.as_view(), name="presence"),
    path("stats/incidents/", stats.IncidentStatsView.as_view(), name="stats-incidents"),
    path("stats/activities/", stats.ActivityStatsView.as_view(), name="stats-activities"),
    path("stats/escalations/", stats.EscalationStatsView.as_view(), name="stats-escalations"),
    path("stats/events/", event_stats.EventStatsView.as_view(), name="stats-events"),
    # The schema and its docs are public: they describe the API and hold no data.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
    path("", include(router.urls)),
    # Any other path under the API is a 404 in JSON, as the API's other errors are.
    re_path(r"^.*/$", not_found),
]
