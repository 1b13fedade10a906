from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    """Phase 1, step 7: the budget for children."""

    name = "meirim.budget"
    label = "budget"
    verbose_name = _("Budget for children")
