"""Open data under /open-data/: approved observations and results as CSV, XLSX, JSON and
Parquet, the data dictionary and the licence."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["opendata"])
