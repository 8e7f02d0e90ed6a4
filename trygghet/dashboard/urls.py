from django.urls import path

from trygghet.dashboard import views, weeks

app_name = "dashboard"
urlpatterns = [
    path("", views.lagesbild, name="lagesbild"),
    path("report/", views.report, name="report"),
    path("weeks/<str:week>/close/", weeks.close, name="week-close"),
    path("weeks/<str:week>/reopen/", weeks.reopen, name="week-reopen"),
]
