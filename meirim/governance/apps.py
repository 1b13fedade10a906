from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Phase 1, steps 1–2: the city's coordination council and its governance self-assessment."""

    name = "meirim.governance"
    label = "governance"
    verbose_name = _("City governance")
