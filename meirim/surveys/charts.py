"""Server-made SVG bar charts of a question's suppressed counts (no script, no CDN). The
page shows the same figures in a table next to each chart; hidden figures draw no bar."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meirim.common.suppression import label

WIDTH = 360
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 130


def bar_chart(rows: list[tuple[str, int | None]], *, title: str) -> SafeString:
    """``rows``: (label, shown count or None when suppressed)."""
    largest = max((count for _label, count in rows if count), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg class="survey-chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (name, count) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        text = name if len(name) <= 22 else f"{name[:21]}…"
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="12" fill="#1a1a1a">{escape(text)}</text>'
        )
        if count:
            bar = max(2, round(span * count / largest))
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
                f'fill="#1b5e9e"></rect>'
            )
            end = LABEL_WIDTH + bar + 4
        else:
            end = LABEL_WIDTH + 4
        parts.append(
            f'<text x="{end}" y="{y + 15}" font-size="12" fill="#1a1a1a">'
            f"{escape(label(count) if count is None else str(count))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
