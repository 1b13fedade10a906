"""The council and governance pages, mounted at ``preparation/<municipality>/``."""

from django.urls import URLPattern, path

from meirim.governance import views

app_name = "governance"

urlpatterns: list[URLPattern] = [
    path("council/", views.council, name="council"),
    path("council/tor-document/", views.council_tor_document, name="council_tor_document"),
    path("council/members/add/", views.council_member_edit, name="council_member_add"),
    path("council/members/<int:member>/", views.council_member_edit, name="council_member_edit"),
    path(
        "council/members/<int:member>/remove/",
        views.council_member_remove,
        name="council_member_remove",
    ),
    path("council/meetings/add/", views.meeting_edit, name="meeting_add"),
    path("council/meetings/<int:meeting>/", views.meeting_edit, name="meeting_edit"),
    path("council/meetings/<int:meeting>/remove/", views.meeting_remove, name="meeting_remove"),
    path(
        "council/meetings/<int:meeting>/minutes/", views.meeting_document, name="meeting_document"
    ),
    path("governance/", views.rounds, name="rounds"),
    path("governance/<int:year>/", views.round, name="round"),
    path("governance/<int:year>/manage/", views.round_manage, name="round_manage"),
    path("governance/<int:year>/report/", views.round_report, name="round_report"),
    path(
        "governance/<int:year>/evidence/<str:code>/",
        views.answer_evidence,
        name="answer_evidence",
    ),
]
