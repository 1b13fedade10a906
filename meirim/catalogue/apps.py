from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The national index catalogue: versioned indicators, targets and coded lists."""

    name = "meirim.catalogue"
    verbose_name = _("National index catalogue")
