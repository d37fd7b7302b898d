from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "民族团结进步创建 catalogue"

    def ready(self):
        from . import state

        state.connect()
