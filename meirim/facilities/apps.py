from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    """Phase 1, step 4: the audit of facilities and services for children."""

    name = "meirim.facilities"
    label = "facilities"
    verbose_name = _("Facilities and services")
