from django.urls import path

from trygghet.partners.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("new/", views.organisation_edit, name="organisation-create"),
    path("<int:pk>/", views.organisation_edit, name="organisation-update"),
]
