from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "egov.web.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base and capacity building"
    default_auto_field = "django.db.models.BigAutoField"
