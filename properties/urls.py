from django.urls import path

from properties import views

app_name = "properties"
urlpatterns = [
    path("round/", views.round_tonight, name="round"),
    path("register/", views.property_list, name="property-list"),
    path("new/", views.property_edit, name="property-create"),
    path("import/", views.property_import_page, name="property-import"),
    path(
        "import/fastighetsregister.csv",
        views.property_import_template,
        name="property-import-template",
    ),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.property_detail, name="property-detail"),
    path("<int:pk>/edit/", views.property_edit, name="property-edit"),
    path("<int:pk>/check/", views.property_check, name="property-check"),
    path("deviations/", views.deviation_list, name="deviation-list"),
    path("deviations/<int:pk>/", views.deviation_detail, name="deviation-detail"),
    path("deviations/<int:pk>/step/", views.deviation_step, name="deviation-step"),
    path(
        "deviations/<int:pk>/photos/<int:photo_pk>/",
        views.deviation_photo,
        name="deviation-photo",
    ),
]
