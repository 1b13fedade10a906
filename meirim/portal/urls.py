from django.urls import path

from meirim.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("city/<str:code>/", views.profile_page, name="profile"),
    path("city/<str:code>/easy/", views.easy_read, name="easy_read"),
    path("easy/", views.easy_programme, name="easy_programme"),
    path("map/", views.public_map, name="map"),
]
