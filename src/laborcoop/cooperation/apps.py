from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "laborcoop.cooperation"
    label = "cooperation"
    verbose_name = "劳务协作"
