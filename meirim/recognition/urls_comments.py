from django.urls import path

from meirim.recognition import comment_views

urlpatterns = [
    path(
        "decisions/<int:application>/comments/",
        comment_views.decision_comment,
        name="decision_comment",
    ),
]
