"""Reads of the open data releases."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meirim.opendata.models import OpenDataRelease

#: A build not finished after this long is taken as dead (its worker stopped) and redone.
STALE_BUILD = timedelta(minutes=30)


def latest_release() -> OpenDataRelease | None:
    """The release served now: the latest complete one."""
    return (
        OpenDataRelease.objects.filter(state=OpenDataRelease.State.COMPLETE)
        .select_related("version")
        .order_by("-built_at", "-id")
        .first()
    )


def release_get(label: str) -> OpenDataRelease | None:
    """A complete release by its label (None once pruned, or while it builds)."""
    return (
        OpenDataRelease.objects.filter(label=label, state=OpenDataRelease.State.COMPLETE)
        .select_related("version")
        .first()
    )


def building() -> OpenDataRelease | None:
    """A release being built now, if any (a dead build does not count)."""
    return (
        OpenDataRelease.objects.filter(
            state=OpenDataRelease.State.BUILDING,
            started_at__gte=timezone.now() - STALE_BUILD,
        )
        .order_by("-started_at")
        .first()
    )
