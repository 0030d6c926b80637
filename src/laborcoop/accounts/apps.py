from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "laborcoop.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from laborcoop.accounts.receivers import record_lockout, record_login

        user_logged_in.connect(record_login, dispatch_uid="laborcoop.accounts.record_login")
        user_locked_out.connect(record_lockout, dispatch_uid="laborcoop.accounts.record_lockout")
