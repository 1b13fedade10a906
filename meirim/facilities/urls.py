from django.urls import path

from meirim.facilities import views

app_name = "facilities"

urlpatterns = [
    path("", views.facility_list, name="list"),
    path("add/", views.facility_add, name="add"),
    path("<int:facility>/", views.facility_edit, name="edit"),
    path("<int:facility>/delete/", views.facility_delete, name="delete"),
    path("<int:facility>/evidence/", views.evidence_download, name="evidence"),
    path("import/", views.facility_import, name="import"),
    path("import/template.<str:fmt>", views.import_template, name="template"),
    path("map/", views.facility_map, name="map"),
]
