"""Phase 1 API: participation (registered under /api/v1/ by meirim.api.api)."""

from ninja import Router

router = Router(tags=["participation"])
