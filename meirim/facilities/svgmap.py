"""The facilities on a map drawn on the server as SVG: no base map, no tiles, no script.

Points are placed by longitude and latitude inside the bounding box of the city's located
facilities (an equirectangular projection, longitude scaled by the cosine of the middle
latitude, so that distances look right at the city's scale). Each availability has its own
shape and colour, so the map does not rely on colour alone; every point carries its number
in the list beside the map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from meirim.facilities.models import Availability, Facility

WIDTH: Final = 640
HEIGHT: Final = 440
MARGIN: Final = 36
# Shape and colour per availability (colours with a 3:1 contrast on white).
STYLES: Final[dict[str, tuple[str, str]]] = {
    Availability.AVAILABLE: ("circle", "#1b7a3a"),
    Availability.NOT_ACCESSIBLE: ("square", "#a85400"),
    Availability.ABSENT: ("triangle", "#b3261e"),
}


@dataclass(frozen=True)
class Point:
    number: int
    facility: Facility
    x: float
    y: float
    shape: str
    colour: str


def _projected(facility: Facility, cos_lat: float) -> tuple[float, float]:
    return float(facility.longitude or 0) * cos_lat, float(facility.latitude or 0)


def place(located: Sequence[Facility]) -> list[Point]:
    """The points of the located facilities inside the drawing, numbered from 1."""
    if not located:
        return []
    middle = sum(float(f.latitude or 0) for f in located) / len(located)
    cos_lat = math.cos(math.radians(middle))
    xy = [_projected(f, cos_lat) for f in located]
    xs, ys = [x for x, _y in xy], [y for _x, y in xy]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    span = max(span_x / inner_w, span_y / inner_h)
    points = []
    for number, (facility, (x, y)) in enumerate(zip(located, xy, strict=True), start=1):
        if span == 0:
            px, py = WIDTH / 2, HEIGHT / 2
        else:
            # Centred in the drawing; north up.
            px = WIDTH / 2 + (x - (min(xs) + max(xs)) / 2) / span
            py = HEIGHT / 2 - (y - (min(ys) + max(ys)) / 2) / span
        shape, colour = STYLES.get(facility.availability, ("circle", "#444444"))
        points.append(Point(number, facility, round(px, 1), round(py, 1), shape, colour))
    return points


def _mark(point: Point) -> SafeString:
    x, y = point.x, point.y
    if point.shape == "square":
        shape = format_html(
            '<rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="#fff"/>',
            round(x - 7, 1), round(y - 7, 1), point.colour,
        )  # fmt: skip
    elif point.shape == "triangle":
        shape = format_html(
            '<polygon points="{},{} {},{} {},{}" fill="{}" stroke="#fff"/>',
            x, round(y - 9, 1), round(x - 8, 1), round(y + 6, 1), round(x + 8, 1),
            round(y + 6, 1), point.colour,
        )  # fmt: skip
    else:
        shape = format_html(
            '<circle cx="{}" cy="{}" r="7.5" fill="{}" stroke="#fff"/>', x, y, point.colour
        )
    label = format_html(
        '<text x="{}" y="{}" font-size="12" fill="#111">{}</text>',
        round(x + 10, 1), round(y - 8, 1), point.number,
    )  # fmt: skip
    return format_html(
        '<g class="facility-point" data-availability="{}"><title>{}. {} ({})</title>{}{}</g>',
        point.facility.availability,
        point.number,
        point.facility.name,
        point.facility.get_availability_display(),
        shape,
        label,
    )


def render(points: Sequence[Point], *, title_id: str = "facilities-map-title") -> SafeString:
    """The inline SVG of the points (empty when there are none)."""
    if not points:
        return SafeString("")
    marks = format_html_join("", "{}", ((_mark(point),) for point in points))
    return format_html(
        '<svg class="facilities-map" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}">'
        '<title id="{}">{}</title>'
        '<rect x="0" y="0" width="{}" height="{}" fill="#f4f6f8" stroke="#9aa5b1"/>'
        '<text x="{}" y="20" font-size="13" fill="#333" text-anchor="middle">{}</text>'
        "{}</svg>",
        WIDTH, HEIGHT, title_id, title_id,
        _("Facilities placed by their coordinates (north up); the numbers are those of the list"),
        WIDTH, HEIGHT, WIDTH - 24, _("N ↑"), marks,
    )  # fmt: skip


def legend() -> list[tuple[str, str, str, str]]:
    """(code, name, shape, colour) of each availability, for the legend."""
    return [(a.value, str(a.label), *STYLES[a]) for a in Availability]
