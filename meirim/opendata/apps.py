from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """Bulk downloads of the approved data and results (CSV, XLSX, JSON, Parquet), their
    dictionary and licence, rebuilt after each data revision (R-12.3, R-13.1)."""

    name = "meirim.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from meirim.data.signals import data_revised
        from meirim.opendata.tasks import on_data_revised

        # Connected after meirim.reports (listed before this app): the results task is
        # queued first, and the build, at a lower priority, reads what it stored.
        data_revised.connect(on_data_revised, dispatch_uid="meirim.opendata.build")
