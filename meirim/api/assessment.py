"""Phase 2 API: the community report (confidential), reviews and decisions."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["recognition"])
