from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "egov.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # After every migrate, the role groups hold exactly the permissions roles.py gives
        # them, whichever app's migration created those permissions.
        post_migrate.connect(_roles_sync, dispatch_uid="egov.accounts.roles_sync")


def _roles_sync(sender: AppConfig, **kwargs: object) -> None:
    from egov.web.accounts.roles import roles_sync

    if sender.label == "accounts":
        roles_sync(using=str(kwargs.get("using", "default")))
