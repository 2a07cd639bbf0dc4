from django.apps import AppConfig


class DatacenterConfig(AppConfig):
    name = "egov.web.datacenter"
    label = "datacenter"
    verbose_name = "Data Center"
    default_auto_field = "django.db.models.BigAutoField"
