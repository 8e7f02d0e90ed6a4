from django.urls import path

from trygghet.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.lagesbild, name="lagesbild"),
    path("report/", views.report, name="report"),
]
