from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    """Phase 1, step 8: Part A, Part B, the preparatory portfolio and the council's feedback."""

    name = "meirim.portfolio"
    label = "portfolio"
    verbose_name = _("Preparatory portfolio")
