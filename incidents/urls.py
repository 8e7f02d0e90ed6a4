from django.urls import path

from incidents import department_views, reference, views

app_name = "incidents"
urlpatterns = [
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/map/", views.incident_map, name="incident-map"),
    path("incidents/export.csv", views.incident_export, name="incident-export"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident-edit"),
    path("incidents/<int:pk>/follow-up/", views.incident_state, name="incident-state"),
    path("incidents/<int:pk>/legal-hold/", views.incident_legal_hold, name="incident-legal-hold"),
    path("incidents/<int:pk>/photos/<int:photo_pk>/", views.incident_photo, name="incident-photo"),
    path("incidents/<int:pk>/call/", views.escalation_call, name="escalation-call"),
    path(
        "incidents/<int:pk>/calls-for-help/new/", views.escalation_create, name="escalation-create"
    ),
    path("incidents/calls-for-help/<int:pk>/", views.escalation_edit, name="escalation-edit"),
    path("citizen-contacts/", views.citizen_contact_list, name="citizen-contact-list"),
    path("citizen-contacts/new/", views.citizen_contact_create, name="citizen-contact-create"),
    path("citizen-contacts/<int:pk>/", views.citizen_contact_edit, name="citizen-contact-edit"),
    path("tasks/", department_views.department_task_list, name="department-task-list"),
    path("tasks/<int:pk>/", department_views.department_task_detail, name="department-task-detail"),
    path(
        "tasks/<int:pk>/step/", department_views.department_task_step, name="department-task-step"
    ),
    path(
        "citizen-contacts/<int:pk>/legal-hold/",
        views.citizen_contact_legal_hold,
        name="citizen-contact-legal-hold",
    ),
    path("night-button/", views.night_button, name="night-button"),
    path("night-button/start/", views.night_button_start, name="night-button-start"),
    path("night-button/<int:pk>/end/", views.night_button_end, name="night-button-end"),
    path("settings/", reference.reference, name="reference"),
    path("settings/<str:kind>/new/", reference.reference_edit, name="reference-create"),
    path(
        "settings/<str:kind>/<int:pk>/",
        reference.reference_edit,
        name="reference-update",
    ),
]
