from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Children's participation: activities, Hart's ladder, the evidence P1–P9."""

    name = "meirim.participation"
    label = "participation"
    verbose_name = _("Children's participation")
