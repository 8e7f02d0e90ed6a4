from django.urls import path

from patrols import calendar, views

app_name = "patrols"
urlpatterns = [
    path("areas/", views.area_list, name="area-list"),
    path("areas/new/", views.area_edit, name="area-create"),
    path("areas/<int:pk>/", views.area_edit, name="area-update"),
    path("areas/<int:pk>/active/", views.area_active, name="area-active"),
    path("areas/here/", views.area_here, name="area-here"),
    path("assignments/", views.assignment_list, name="assignment-list"),
    path("assignments/new/", views.assignment_edit, name="assignment-create"),
    path("assignments/<int:pk>/", views.assignment_edit, name="assignment-update"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment-end"),
    path("shifts/", views.shift_week, name="shift-week"),
    path("shifts/new/", views.shift_edit, name="shift-create"),
    path("shifts/copy/", views.shift_copy, name="shift-copy"),
    path("shifts/<int:pk>/", views.shift_edit, name="shift-update"),
    path("shifts/<int:pk>/cancel/", views.shift_cancel, name="shift-cancel"),
    path("shifts/<int:pk>/start/", views.shift_start, name="shift-start"),
    path("shifts/<int:pk>/end/", views.shift_end, name="shift-end"),
    path("my-shifts/", views.my_shifts, name="my-shifts"),
    path("visits/arrive/", views.visit_arrive, name="visit-arrive"),
    path("visits/<int:pk>/leave/", views.visit_leave, name="visit-leave"),
    path("visits/<int:pk>/dialogue/", views.visit_dialogue, name="visit-dialogue"),
    path("presence/", views.presence_report, name="presence"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/<uuid:token>.ics", calendar.calendar_feed, name="calendar-feed"),
    path("resources/", views.resources, name="resources"),
    path("resources/<str:kind>/new/", views.resource_edit, name="resource-create"),
    path("resources/<str:kind>/<int:pk>/", views.resource_edit, name="resource-update"),
]
