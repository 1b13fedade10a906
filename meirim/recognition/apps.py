from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    """Phase 2: the national council's cycles, the cities' applications and recognition
    portfolios, the community groups' confidential reports, reviews, decisions and the
    registry of statuses."""

    name = "meirim.recognition"
    verbose_name = _("Recognition")
    label = "recognition"
