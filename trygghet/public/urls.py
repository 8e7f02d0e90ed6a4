from django.urls import path

from trygghet.public import views

app_name = "public"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/thanks/", views.report_thanks, name="report-thanks"),
    path("texts/", views.text_list, name="text-list"),
    path("texts/<slug:key>/", views.text_edit, name="text-edit"),
    path("texts/<slug:key>/reset/", views.text_reset, name="text-reset"),
]
