from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chitieu.accounts"
    label = "accounts"
    verbose_name = "Tài khoản, đăng nhập"

    def ready(self) -> None:
        from chitieu.accounts import signals  # noqa: F401  (sign-in, sign-out and failures into the change log)
