"""Children's surveys: their definitions and suppressed results."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["surveys"])
