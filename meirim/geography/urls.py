from django.urls import path

from meirim.geography import views

app_name = "geography"
urlpatterns = [
    path("", views.municipality_list, name="list"),
    path("<str:code>/", views.municipality_detail, name="detail"),
]
