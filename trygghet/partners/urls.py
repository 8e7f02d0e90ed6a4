from django.urls import path

from trygghet.partners import views

app_name = "partners"
urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    # The week is an ISO week, 2026-W47.
    path(
        "organisations/<int:organisation>/weeks/<str:week>/",
        views.report_edit,
        name="report-edit",
    ),
    path(
        "organisations/<int:organisation>/weeks/<str:week>/upload/",
        views.report_upload,
        name="report-upload",
    ),
    path("organisations/<int:organisation>/layout/", views.upload_layout, name="upload-layout"),
]
