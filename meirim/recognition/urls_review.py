"""Routes of the review: community group, confidential report, reviewers, scores, site
visits, decisions."""

from django.urls import URLPattern, URLResolver, path

from meirim.recognition import group_views, review_views

_CITY = "<str:municipality>/"
_APP = "<str:municipality>/applications/<int:application>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cycles/<int:cycle>/applications/", review_views.applications, name="applications"),
    path("reviews/", review_views.my_reviews, name="my_reviews"),
    path(f"{_CITY}group/", group_views.group, name="group"),
    path(f"{_CITY}group/<int:member>/", group_views.group_member, name="group_member"),
    path(f"{_CITY}group/work/", group_views.group_work, name="group_work"),
    path(f"{_APP}review/", review_views.review, name="review"),
    path(f"{_APP}reviewers/", review_views.reviewers, name="reviewers"),
    path(f"{_APP}visits/", review_views.visits, name="visits"),
    path(f"{_APP}visits/<int:visit>/file/", review_views.visit_file, name="visit_file"),
    path(f"{_APP}decide/", review_views.decide, name="decide"),
    path(f"{_APP}score/", review_views.score, name="score"),
    path(f"{_APP}conflict/", review_views.conflict, name="conflict"),
    path(f"{_APP}group-copy/", group_views.group_copy, name="group_copy"),
    path(
        f"{_APP}group-copy/attachments/<int:attachment>/",
        group_views.group_attachment,
        name="group_attachment",
    ),
    path(f"{_APP}community-report/", group_views.community_report, name="community_report"),
    path(
        f"{_APP}community-report/files/<int:file>/",
        group_views.community_report_file,
        name="community_report_file",
    ),
]
