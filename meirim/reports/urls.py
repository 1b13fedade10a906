from django.urls import path

from meirim.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("method/", views.method, name="method"),
    path("compare/", views.compare, name="compare"),
    path("indicator/<str:code>/", views.indicator, name="indicator"),
    path("<str:municipality_code>/", views.dashboard, name="dashboard"),
]
