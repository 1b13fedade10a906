"""Phase 2 API: cycles (GET|POST /cycles, GET /cycles/{id}, POST /cycles/{id}/transition)
and the public registry (GET /recognitions)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["recognition"])
