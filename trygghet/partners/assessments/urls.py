from django.urls import path

from trygghet.partners.assessments import views

app_name = "assessments"
urlpatterns = [
    path("actions/", views.action_list, name="action-list"),
    path("actions/<int:pk>/", views.action_edit, name="action-edit"),
    path("assessment/<str:kind>/<str:first>/", views.assessment_edit, name="assessment-edit"),
    path(
        "assessment/<str:kind>/<str:first>/comment/",
        views.comment_create,
        name="comment-create",
    ),
    path(
        "assessment/<str:kind>/<str:first>/actions/new/",
        views.action_create,
        name="action-create",
    ),
]
