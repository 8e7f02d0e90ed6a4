from django.urls import path

from trygghet.public import views

app_name = "public"
urlpatterns = [
    path("texts/", views.text_list, name="text-list"),
    path("texts/<slug:key>/", views.text_edit, name="text-edit"),
    path("texts/<slug:key>/reset/", views.text_reset, name="text-reset"),
]
