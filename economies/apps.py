"""The economies app's configuration."""

from django.apps import AppConfig


class EconomiesConfig(AppConfig):
    name = "economies"
    verbose_name = "Economies"
