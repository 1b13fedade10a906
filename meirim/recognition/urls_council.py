"""Routes of the national council's side and the public registry (roster, cycles, criteria,
registry, badge, decision summaries)."""

from django.urls import URLPattern, URLResolver, path

from meirim.recognition import council_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.registry_page, name="registry"),
    path("badge/<str:municipality>.svg", views.badge, name="badge"),
    path("cycles/", views.cycle_list, name="cycles"),
    path("cycles/new/", views.cycle_add, name="cycle_add"),
    path("cycles/<int:cycle>/", views.cycle_page, name="cycle"),
    path("cycles/<int:cycle>/edit/", views.cycle_edit, name="cycle_edit"),
    path("cycles/<int:cycle>/transition/", views.cycle_transition, name="cycle_transition"),
    path("cycles/<int:cycle>/criteria/", views.criteria, name="criteria"),
    path("cycles/<int:cycle>/criteria/<int:criterion>/", views.criterion, name="criterion"),
    path("council/", views.roster_page, name="roster"),
    path("council/<int:member>/", views.roster_member, name="roster_member"),
    path("decisions/<int:application>/", views.decision_summary, name="decision_summary"),
]
