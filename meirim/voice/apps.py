from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    """Children's anonymous suggestions to their city, the city's answers and "you said, we
    did" (R-1.7, R-8.3, R-10.8 M3–M4)."""

    name = "meirim.voice"
    label = "voice"
    verbose_name = _("Children's suggestions")
