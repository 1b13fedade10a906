from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "meirim.reports"
    verbose_name = _("Results and reports")

    def ready(self) -> None:
        from meirim.data.signals import data_revised
        from meirim.reports.tasks import on_data_revised

        # The data app may not import this one: it announces new data, the results follow.
        data_revised.connect(on_data_revised, dispatch_uid="meirim.reports.results_recompute")
