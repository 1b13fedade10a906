"""Phase 2 API: applications (POST /cycles/{id}/applications, GET /applications/{id})
and the recognition portfolio."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["recognition"])
