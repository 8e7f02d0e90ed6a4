from django.contrib.auth import views as auth_views
from django.urls import path

from trygghet.accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("sso/start/", views.sso_start, name="sso-start"),
    path("sso/callback/", views.sso_callback, name="sso-callback"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/<int:pk>/end/", views.session_end, name="session-end"),
    path("sessions/end-others/", views.session_end_others, name="session-end-others"),
]
