from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "meirim.accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from meirim.accounts.middleware import stamp_login_time

        user_logged_in.connect(stamp_login_time, dispatch_uid="meirim-stamp-login-time")
