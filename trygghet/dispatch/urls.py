from django.urls import path

from trygghet.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.request_create, name="request-create"),
    path("history/", views.request_list, name="request-list"),
    path("history/export.csv", views.request_export, name="request-export"),
    path("<int:pk>/", views.request_detail, name="request-detail"),
    path("<int:pk>/step/", views.request_step, name="request-step"),
    path("<int:pk>/incident/", views.request_incident, name="request-incident"),
    path("my-tasks/", views.host_tasks, name="host-tasks"),
    path("position/", views.position_record, name="position-record"),
    path("position/off/", views.position_forget, name="position-forget"),
]
