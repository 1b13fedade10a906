from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from meirim.accounts import access, views

app_name = "accounts"
urlpatterns = [
    path("me/", views.me, name="me"),
    path(
        "login/",
        access.page(access.PUBLIC)(
            auth_views.LoginView.as_view(template_name="accounts/login.html")
        ),
        name="login",
    ),
    path("logout/", access.page(access.PUBLIC)(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/change/",
        access.page("account.own")(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/form.html",
                success_url=reverse_lazy("accounts:password_change_done"),
            )
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        access.page("account.own")(
            auth_views.PasswordChangeDoneView.as_view(template_name="accounts/done.html")
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        access.page(access.PUBLIC)(views.RateLimitedPasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        access.page(access.PUBLIC)(
            auth_views.PasswordResetDoneView.as_view(template_name="accounts/done.html")
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        access.page(access.PUBLIC)(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/form.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        access.page(access.PUBLIC)(
            auth_views.PasswordResetCompleteView.as_view(template_name="accounts/done.html")
        ),
        name="password_reset_complete",
    ),
]
