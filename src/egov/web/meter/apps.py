from django.apps import AppConfig


class MeterConfig(AppConfig):
    name = "egov.web.meter"
    label = "meter"
    verbose_name = "METER self-assessment"
    default_auto_field = "django.db.models.BigAutoField"
