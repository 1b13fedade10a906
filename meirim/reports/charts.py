"""Server-rendered SVG charts, ready to inline in a ``<figure>``.

The SVG is written as plain strings: a charting library's configuration machinery cost more
CPU than the rest of a results page, and these four charts need only rectangles, lines,
dots and text. Every chart is an image with a text alternative (``role="img"`` and
``aria-label``); the page next to it carries the same figures as a table. There is no
script and no ``<style>`` element (presentation attributes only); colours come from the
Okabe–Ito palette, which stays distinct for colour-blind readers, and lines differ by dash
pattern as well, so colour is never the only signal. Every piece of text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from math import ceil, floor, log10

import numpy as np
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

#: Charts are drawn about as wide as a phone screen and scale with their container (a
#: viewBox, no fixed size; ``reports.css`` caps their width): at 390 px the 14-unit text is
#: still about 12 px. Many series or municipalities make a chart taller, never narrower.
WIDTH = 420
FONT = 14
LABEL = 22  # characters of a category label beside a horizontal chart
LEGEND = 38  # characters of a legend line: the widest Cyrillic letters still fit in 420

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: One pattern per series up to the 12 municipalities a comparison allows.
DASHES = (
    "",
    "6 3",
    "2 3",
    "10 4 2 4",
    "1 5",
    "12 6",
    "4 4",
    "8 3 2 3 2 3",
    "16 3",
    "3 7",
    "10 2",
    "6 2 2 2",
)
INK, MUTED, GRID = "#1a1a1a", "#6b6b6b", "#d0d0d0"
FONTS = "system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
SCORES = (0, 20, 40, 60, 80, 100)

#: Above this many values in one year, the strip draws each year as a histogram: a dot per
#: value would cost ~10 bytes each (a million bytes at national scale) and merge into a bar.
STRIP_DOTS = 300
BINS = 40


def _short(text: str, length: int) -> str:
    """A label cut to ``length`` characters, so that long names never squeeze the plot."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _gutter(texts: Sequence[str]) -> float:
    """Room for the labels left of a plot: about 8.5 units per character of 14-unit text
    (a wide sans-serif; Cyrillic is as wide), so short names leave more room to the plot."""
    return 14 + 8.5 * max(map(len, texts), default=4)


def _svg(height: float, label: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-label="{escape(label)}" focusable="false" '
        f'font-family="{FONTS}" font-size="{FONT}" fill="{INK}">'
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#fff"/>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text is escaped


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    """Text vertically centred on ``y`` (by ``dy``, which every SVG renderer honours, unlike
    ``dominant-baseline``)."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" dy=".35em" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def _no_data(x: float, y: float) -> str:
    extra = f' class="no_data" font-size="{FONT + 4}" fill="{MUTED}"'
    return _text(x, y, gettext("No data"), "middle", extra)


def _scale(lo: float, hi: float, start: float, end: float) -> Callable[[float], float]:
    """Value → coordinate, clamped to the axis so a stray value never leaves the plot."""
    k = (end - start) / (hi - lo)
    return lambda v: start + (min(max(v, lo), hi) - lo) * k


def _fmt(v: float) -> str:
    return f"{round(v, 6):g}"


def _x_axis(
    ticks: Sequence[float], x: Callable[[float], float], top: float, bottom: float
) -> list[str]:
    """Vertical gridlines with their labels under the plot, and the plot's left edge."""
    out = [
        f'<path d="{"".join(f"M{x(t):.1f} {top}V{bottom}" for t in ticks)}" '
        f'stroke="{GRID}" stroke-dasharray="2 4"/>'
    ]
    out += [_text(x(t), bottom + 16, _fmt(t), "middle") for t in ticks]
    out.append(f'<path d="M{x(ticks[0]):.1f} {top}V{bottom}" stroke="{INK}"/>')
    return out


def score_bars(labels: Sequence[str], values: Sequence[float | None], label: str) -> SafeString:
    """Horizontal bars on the 0–100 scale, the first label on top, each bar with its value."""
    shown = [_short(text, LABEL - 6) for text in labels]
    left, right, top, row = _gutter(shown), WIDTH - 34, 10, 40  # room for "100" after a bar
    bottom = top + row * max(len(labels), 1)
    x = _scale(0, 100, left, right)
    out = _x_axis(SCORES, x, top, bottom)
    for i, (text, value) in enumerate(zip(shown, values, strict=True)):
        y = top + row * (i + 0.5)
        out.append(_text(left - 8, y, text, "end"))
        if value is not None:
            end = x(value)
            out.append(
                f'<rect x="{left:.1f}" y="{y - 12:.1f}" width="{end - left:.1f}" height="24" '
                f'fill="{PALETTE[0]}"/>'
            )
            out.append(_text(end + 4, y, f"{value:.0f}"))
    if all(v is None for v in values):
        out.append(_no_data((left + right) / 2, (top + bottom) / 2))
    return _svg(bottom + 30, label, out)


def score_trends(
    years: Sequence[int], series: Sequence[tuple[str, Sequence[float | None]]], label: str
) -> SafeString:
    """Lines over the years on the fixed 0–100 scale; a missing year breaks the line. The
    legend is below the plot, one line per series, so names never squeeze the plot."""
    left, right, top, bottom = 40, WIDTH - 16, 12, 242
    rotate = len(years) > 6  # more year labels than fit side by side
    legend = bottom + (54 if rotate else 36)
    y = _scale(0, 100, bottom, top)
    if len(years) > 1:
        step = (right - left - 20) / (len(years) - 1)
        xs = [left + 10 + step * i for i in range(len(years))]
    else:
        xs = [(left + right) / 2] * len(years)
    out = [
        f'<path d="{"".join(f"M{left} {y(t):.1f}H{right}" for t in SCORES)}" '
        f'stroke="{GRID}" stroke-dasharray="2 4"/>',
        f'<path d="M{left} {top}V{bottom}H{right}" stroke="{INK}" fill="none"/>',
    ]
    out += [_text(left - 6, y(t), str(t), "end") for t in SCORES]
    for xi, year in zip(xs, years, strict=True):
        if rotate:
            at = bottom + 14
            out.append(_text(xi, at, str(year), "end", f' transform="rotate(-40 {xi:.1f} {at})"'))
        else:
            out.append(_text(xi, bottom + 18, str(year), "middle"))
    for k, (name, values) in enumerate(series):
        colour, dash = PALETTE[k % len(PALETTE)], DASHES[k % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        # one path, a new "M" after every gap: the line breaks where a value is missing
        path, dots, gap = [], [], True
        for xi, value in zip(xs, values, strict=True):
            if value is None:
                gap = True
                continue
            yi = y(value)
            path.append(f"{'M' if gap else 'L'}{xi:.1f} {yi:.1f}")
            dots.append(f'<circle cx="{xi:.1f}" cy="{yi:.1f}" r="4"/>')
            gap = False
        out.append(
            f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5"'
            f'{dashed}/><g fill="{colour}">{"".join(dots)}</g>'
        )
        ly = legend + 24 * k
        out.append(
            f'<path d="M8 {ly}h30" stroke="{colour}" stroke-width="2.5"{dashed}/>'
            f'<circle cx="23" cy="{ly}" r="4" fill="{colour}"/>'
        )
        out.append(_text(46, ly, _short(name, LEGEND)))
    if all(v is None for _, values in series for v in values):
        out.append(_no_data((left + right) / 2, (top + bottom) / 2))
    return _svg(legend + 24 * len(series), label, out)


def rank_ranges(
    names: Sequence[str],
    medians: Sequence[float | None],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    label: str,
    series_name: str,
    ranked: int,
) -> SafeString:
    """A dot per municipality at its median rank, with its 5–95 % interval as a bar, on the
    whole scale from rank 1 (left) to the number of ranked municipalities; one row per
    municipality, so more municipalities make the chart taller, not its text smaller."""
    shown = [_short(name, LABEL) for name in names]
    left, right, top, row = _gutter(shown), WIDTH - 20, 10, 36
    bottom = top + row * max(len(names), 1)
    last = max(ranked, 2)
    step = max(1, round(last / 6))
    # the last rank always shows; a tick too close to it would overprint it
    ticks = [1, *(t for t in range(step, last, step) if t > 1 and last - t >= step / 2), last]
    x = _scale(1, last, left, right)
    out = _x_axis(ticks, x, top, bottom)
    present = False
    for i, (name, median, low, high) in enumerate(zip(shown, medians, lows, highs, strict=True)):
        y = top + row * (i + 0.5)
        out.append(_text(left - 8, y, name, "end"))
        if median is None or low is None or high is None:
            continue
        present = True
        a, b = x(low), x(high)
        out.append(
            f'<path d="M{a:.1f} {y:.1f}H{b:.1f}M{a:.1f} {y - 6:.1f}v12M{b:.1f} {y - 6:.1f}v12" '
            f'stroke="{INK}" stroke-width="2"/>'
            f'<circle cx="{x(median):.1f}" cy="{y:.1f}" r="6" fill="{PALETTE[0]}"/>'
        )
    if not present:
        out.append(_no_data((left + right) / 2, (top + bottom) / 2))
    ly = bottom + 44
    out.append(f'<circle cx="23" cy="{ly}" r="6" fill="{PALETTE[0]}"/>')
    out.append(_text(46, ly, _short(series_name, LEGEND)))
    return _svg(ly + 20, label, out)


def _ticks(lo: float, hi: float) -> list[float]:
    """About five round ticks (1, 2 or 5 × 10ⁿ apart) covering ``lo``–``hi``."""
    if hi <= lo:
        lo, hi = lo - 1, hi + 1
    raw = (hi - lo) / 5
    base = 10 ** floor(log10(raw))
    step = next(m * base for m in (1, 2, 5, 10) if m * base >= raw)
    first, last = floor(lo / step), ceil(hi / step)
    return [k * step for k in range(first, last + 1)]


def strip_has_dots(values_by_year: Mapping[int, Sequence[float]]) -> bool:
    """Whether :func:`strip` draws a dot per value (else a histogram per year)."""
    return max(map(len, values_by_year.values()), default=0) <= STRIP_DOTS


def strip(
    values_by_year: Mapping[int, Sequence[float]],
    target: float | None,
    label: str,
    values_name: str,
    target_name: str,
) -> SafeString:
    """One row per year, latest on top: every municipality's value as a dot, or, at national
    scale, a histogram of the values (bars scaled to the row's fullest bin, so every year's
    shape shows whatever its number of municipalities); the national target as a dashed line."""
    years = sorted(values_by_year, reverse=True)
    left, right, top, row = 56, WIDTH - 16, 10, 40
    bottom = top + row * max(len(years), 1)
    filled = [values_by_year[year] for year in years if len(values_by_year[year])]
    extremes = [v for values in filled for v in (min(values), max(values))]
    if target is not None:
        extremes.append(target)
    ticks = _ticks(min(extremes), max(extremes)) if extremes else [0.0, 50.0, 100.0]
    x = _scale(ticks[0], ticks[-1], left, right)
    out = _x_axis(ticks, x, top, bottom)
    dots = strip_has_dots(values_by_year)
    width = (right - left) / BINS
    for i, year in enumerate(years):
        y = top + row * (i + 0.5)
        out.append(_text(left - 8, y, str(year), "end"))
        values = values_by_year[year]
        if not len(values):
            continue
        if dots:
            # zero-length round-capped strokes: a dot in ~12 bytes; equal positions drawn once
            spots = dict.fromkeys(f"M{x(v):.1f} {y:.0f}h0" for v in values)
            out.append(
                f'<path d="{"".join(spots)}" stroke="{PALETTE[0]}" stroke-width="8" '
                f'stroke-linecap="round"/>'
            )
        else:
            counts, _ = np.histogram(values, bins=BINS, range=(ticks[0], ticks[-1]))
            most = counts.max()
            base = y + 15
            bars = "".join(
                f"M{left + width * b:.1f} {base}v{-h:.1f}h{width - 1:.1f}v{h:.1f}z"
                for b, n in enumerate(counts.tolist())
                if n and (h := max(1.5, 30 * n / most))
            )
            out.append(f'<path d="{bars}" fill="{PALETTE[0]}"/>')
    if not filled:
        out.append(_no_data((left + right) / 2, (top + bottom) / 2))
    ly = bottom + 44
    if dots:
        out.append(f'<circle cx="23" cy="{ly}" r="4" fill="{PALETTE[0]}"/>')
    else:
        out.append(f'<rect x="17" y="{ly - 8}" width="12" height="16" fill="{PALETTE[0]}"/>')
    out.append(_text(46, ly, _short(values_name, LEGEND)))
    if target is not None and filled:
        tx = x(target)
        out.append(
            f'<path d="M{tx:.1f} {top}V{bottom}" stroke="{PALETTE[1]}" stroke-width="3" '
            f'stroke-dasharray="8 4"/>'
        )
        ly += 24
        out.append(
            f'<path d="M8 {ly}h30" stroke="{PALETTE[1]}" stroke-width="3" stroke-dasharray="8 4"/>'
        )
        out.append(_text(46, ly, _short(target_name, LEGEND)))
    return _svg(ly + 20, label, out)
