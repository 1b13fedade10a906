"""Children's surveys: publishing an XLSForm, answering, importing, results."""

from django.urls import URLPattern, URLResolver, path

from meirim.surveys import views

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.survey_list, name="list"),
    path("example.xlsx", views.example, name="example"),
    path("<int:survey>/results/", views.results, name="results"),
    path("<int:survey>/answer/", views.choose, name="choose"),
    path("<int:survey>/answer/<str:municipality>/", views.answer, name="answer"),
    path("<str:municipality>/", views.manage, name="manage"),
    path("<str:municipality>/new/", views.add, name="add"),
    path("<str:municipality>/<int:survey>/", views.detail, name="detail"),
    path("<str:municipality>/<int:survey>/publish/", views.publish, name="publish"),
    path("<str:municipality>/<int:survey>/close/", views.close, name="close"),
    path("<str:municipality>/<int:survey>/import/", views.import_responses, name="import"),
]
