"""A request reads a version's data revision once, and again after its own write."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from meirim.common.request_memo import RequestMemoMiddleware
from meirim.data.services.common import _bump_revision
from meirim.reports.adapter import data_revision


@pytest.mark.django_db
def test_the_revision_is_read_once_per_request_and_after_the_requests_own_write(
    catalogue, django_assert_num_queries
):
    seen: list[int] = []

    def view(request):
        with django_assert_num_queries(1):
            seen.append(data_revision(catalogue))
            seen.append(data_revision(catalogue))
        _bump_revision(catalogue)
        seen.append(data_revision(catalogue))
        return HttpResponse()

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    assert seen[0] == seen[1] and seen[2] == seen[0] + 1


@pytest.mark.django_db
def test_outside_a_request_every_read_asks_the_database(catalogue, django_assert_num_queries):
    with django_assert_num_queries(2):
        first = data_revision(catalogue)
        assert data_revision(catalogue) == first
