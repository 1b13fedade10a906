from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Phase 1, step 5: the children's strategy and its action plan."""

    name = "meirim.planning"
    label = "planning"
    verbose_name = _("Strategy and action plan")
