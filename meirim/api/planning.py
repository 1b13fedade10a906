"""Phase 1 API: planning (registered under /api/v1/ by meirim.api.api)."""

from ninja import Router

router = Router(tags=["planning"])
