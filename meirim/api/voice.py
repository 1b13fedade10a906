"""Children's suggestions: POST /municipalities/{code}/suggestions (anonymous), GET
/suggestions/{receipt}, GET /municipalities/{code}/suggestions (published)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["voice"])
