"""Open311 GeoReport v2, under /open311/v2/; the extension picks JSON or XML."""

from django.urls import path

from trygghet.public import open311

app_name = "open311"
urlpatterns = [
    path("services.<str:fmt>", open311.services, name="services"),
    path("services/<slug:code>.<str:fmt>", open311.service, name="service"),
    path("requests.<str:fmt>", open311.requests, name="requests"),
    path("requests/<str:reference>.<str:fmt>", open311.request_status, name="request"),
]
