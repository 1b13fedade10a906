from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Children's surveys defined in XLSForm, answered anonymously or imported from KoBo/ODK
    (R-4.3.7, R-5.4.1, R-5.6.2)."""

    name = "meirim.surveys"
    label = "surveys"
    verbose_name = _("Children's surveys")
