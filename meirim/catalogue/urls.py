from django.urls import path

from meirim.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.version_list, name="versions"),
    path("<str:version>/", views.version_detail, name="version"),
    path("<str:version>/copy/", views.version_copy, name="copy"),
    path("<str:version>/baseline/", views.baseline, name="baseline"),
    path("<str:version>/governance/", views.governance, name="governance"),
    path("<str:version>/lists/", views.lists, name="lists"),
    path("<str:version>/scoring/", views.scoring_page, name="scoring"),
    path("<str:version>/indicators/<str:code>/", views.indicator_detail, name="indicator"),
    path(
        "<str:version>/indicators/<str:code>/target/",
        views.indicator_target,
        name="indicator_target",
    ),
]
