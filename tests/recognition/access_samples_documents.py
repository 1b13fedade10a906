"""How to call the PDFs' routes for the access matrix (tests/accounts/test_access_table.py)."""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "recognition:decision_pdf": ({"application": 999999}, "", None, ("get",)),
    "recognition:portfolio_pdf": (
        {"municipality": TOWN, "application": 999999, "number": 1},
        "",
        TOWN,
        ("get",),
    ),
}
