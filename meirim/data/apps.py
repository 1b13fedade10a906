from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataConfig(AppConfig):
    """The cities' data: observations, validation, imports, approval of years."""

    name = "meirim.data"
    label = "data"
    verbose_name = _("Cities' data")
