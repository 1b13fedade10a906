"""The map of the municipalities taking part in the programme, drawn on the server as SVG.

No base map, no tiles, no script: each municipality is a mark placed by its longitude and
latitude (equirectangular, longitude scaled by the cosine of the middle latitude, north up,
as in :mod:`meirim.facilities.svgmap`). Each group has its own shape as well as its own
colour, so the map does not rely on colour alone; the legend and the table below the map say
the same in words. Every mark is a link to the city's profile.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from meirim.catalogue.models import CatalogueVersion
from meirim.geography.models import Municipality
from meirim.portfolio import steps
from meirim.recognition import status as recognition_status
from meirim.recognition.models import Application, Level, Recognition
from meirim.reports import adapter, store
from meirim.reports.adapter import Scope
from meirim.reports.selectors.common import Node, catalogue, node_choices

WIDTH: Final = 640
HEIGHT: Final = 420
MARGIN: Final = 40

# Groups of statuses on the map: (key, shape, colour). Colours keep a 3:1 contrast on white.
STATUS_GROUPS: Final[tuple[tuple[str, str, str], ...]] = (
    ("preparing", "circle", "#5a6b7b"),
    ("phase1_done", "square", "#1f5fa8"),
    ("applying", "triangle", "#a85400"),
    ("level1", "diamond", "#2e7d32"),
    ("level2", "star", "#6a1b9a"),
)
SCORE_STYLES: Final[tuple[tuple[str, str], ...]] = (
    ("circle", "#b3261e"),
    ("square", "#a85400"),
    ("triangle", "#7a6a00"),
    ("diamond", "#2e7d32"),
    ("star", "#1f5fa8"),
)
NO_SCORE: Final = ("circle-open", "#5a6b7b")


def status_group_label(key: str) -> str:
    return {
        "preparing": _("Preparing (Phase 1)"),
        "phase1_done": _("Phase 1 portfolio submitted"),
        "applying": _("Applying for recognition"),
        "level1": _("Recognised: Level 1"),
        "level2": _("Recognised: Level 2"),
    }[key]


@dataclass(frozen=True)
class Place:
    municipality: Municipality
    status: str  # the status code
    status_label: str
    group: str  # a STATUS_GROUPS key, or a score band "40–60" in score mode, or ""
    group_label: str
    shape: str
    colour: str
    score: float | None = None
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class LegendEntry:
    label: str
    shape: str
    colour: str
    count: int


@dataclass(frozen=True)
class PublicMap:
    by: str  # status | score
    places: tuple[Place, ...]  # every participant, located or not, by name
    legend: tuple[LegendEntry, ...]
    node: Node | None
    year: int | None
    years: tuple[int, ...]
    nodes: tuple[Node, ...]

    @property
    def located(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.municipality.latitude is not None)


def _group_of(code: str) -> str:
    if code == recognition_status.RECOGNISED_L2:
        return "level2"
    if code == recognition_status.RECOGNISED_L1:
        return "level1"
    if code in (
        recognition_status.EOI_SUBMITTED,
        recognition_status.PORTFOLIO_SUBMITTED,
        recognition_status.COMMUNITY_REPORT_RECEIVED,
        recognition_status.UNDER_REVIEW,
    ):
        return "applying"
    if code == steps.PHASE1_IN_PREPARATION:
        return "preparing"
    return "phase1_done"


def participants() -> list[tuple[Municipality, str]]:
    """Municipalities with any programme activity or recognition, with their R-3.6 status.

    A few queries in all, whatever the number of municipalities: the Phase 1 statuses in one
    annotated pass, then the current recognitions and the open applications.
    """
    involved = Municipality.objects.filter(
        Q(Exists(Application.objects.filter(municipality=OuterRef("pk"))))
        | Q(Exists(Recognition.objects.filter(municipality=OuterRef("pk"))))
    )
    programmes = steps.programmes(Municipality.objects.select_related("region").order_by("code"))
    involved_ids = set(involved.values_list("pk", flat=True))
    current = {
        r.municipality_id: r
        for r in Recognition.objects.filter(recognition_status.current_q()).order_by(
            "granted_on", "pk"
        )
    }
    open_applications: dict[int, Application] = {}
    for application in recognition_status.applications_in_process().order_by(
        "cycle__starts_on", "pk"
    ):
        open_applications[application.municipality_id] = application
    declined = set(
        Application.objects.filter(
            state=Application.State.DECIDED, decision__level=Level.NONE
        ).values_list("municipality_id", flat=True)
    )
    found: list[tuple[Municipality, str]] = []
    for programme in programmes:
        municipality = programme.municipality
        pk = municipality.pk
        if programme.status == steps.NOT_ENROLLED and pk not in involved_ids:
            continue
        if pk in open_applications:
            code = _stage(open_applications[pk])
        elif pk in current:
            level = current[pk].level
            code = (
                recognition_status.RECOGNISED_L2
                if level == Level.L2
                else recognition_status.RECOGNISED_L1
            )
        elif pk in declined:
            code = recognition_status.NOT_RECOGNISED
        else:
            code = programme.status
        found.append((municipality, code))
    return found


def _stage(application: Application) -> str:
    if application.state == Application.State.UNDER_REVIEW:
        return recognition_status.UNDER_REVIEW
    if application.state == Application.State.PORTFOLIO_SUBMITTED:
        if application.community_report_received_at:
            return recognition_status.COMMUNITY_REPORT_RECEIVED
        return recognition_status.PORTFOLIO_SUBMITTED
    return recognition_status.EOI_SUBMITTED


def band_label(band: tuple[int, int]) -> str:
    return _("score %(low)s to %(high)s") % {"low": band[0], "high": band[1]}


def _scores(
    version: CatalogueVersion | None, municipalities: Sequence[Municipality], node: str, year: Any
) -> tuple[dict[str, float | None], Node | None, int | None, tuple[int, ...], tuple[Node, ...]]:
    if version is None or not municipalities:
        return {}, None, None, (), ()
    results = store.read(version, Scope.public(), municipality_ids=[m.pk for m in municipalities])
    options = tuple(node_choices(results, catalogue(version)))
    chosen = next((n for n in options if n.code == node), options[0] if options else None)
    data, result, fw = results.data, results.result, results.framework
    years = tuple(data.years)
    wanted = int(year) if str(year or "").isdigit() and int(year) in years else None
    shown_year = wanted if wanted is not None else (years[-1] if years else None)
    scores: dict[str, float | None] = {}
    if chosen is None or shown_year is None or result is None or fw is None:
        return scores, chosen, shown_year, years, options
    y = data.years.index(shown_year)
    for m in municipalities:
        u = results.unit_index(m.code)
        value: float | None = None
        if u is not None:
            if chosen.kind == "indicator":
                raw = float(result.normalised[u, result.indicators.index(chosen.code), y])
            else:
                raw = float(result.scores[u, fw.aggregates.index(chosen.code), y])
            value = None if math.isnan(raw) else round(raw, 1)
        scores[m.code] = value
    return scores, chosen, shown_year, years, options


def public_map(
    *, version: CatalogueVersion | None, by: str = "status", node: str = "", year: Any = None
) -> PublicMap:
    found = participants()
    by = "score" if by == "score" else "status"
    chosen: Node | None = None
    shown_year: int | None = None
    years: tuple[int, ...] = ()
    options: tuple[Node, ...] = ()
    places: list[Place] = []
    if by == "score":
        scores, chosen, shown_year, years, options = _scores(
            version, [m for m, _code in found], node or adapter.ROOT, year
        )
    styles = {key: (shape, colour) for key, shape, colour in STATUS_GROUPS}
    for municipality, code in found:
        label = recognition_status.status_label(code)
        if by == "status":
            group = _group_of(code)
            shape, colour = styles[group]
            places.append(
                Place(municipality, code, label, group, status_group_label(group), shape, colour)
            )
            continue
        score = scores.get(municipality.code)
        band = adapter.score_band(score)
        if band is None:
            shape, colour = NO_SCORE
            places.append(Place(municipality, code, label, "", _("no score"), shape, colour, None))
        else:
            shape, colour = SCORE_STYLES[adapter.SCORE_BANDS.index(band)]
            places.append(
                Place(
                    municipality,
                    code,
                    label,
                    f"{band[0]}-{band[1]}",
                    band_label(band),
                    shape,
                    colour,
                    score,
                )
            )
    placed = _placed(places)
    placed.sort(key=lambda p: (str(p.municipality), p.municipality.code))
    legend: list[LegendEntry] = []
    if by == "status":
        for key, shape, colour in STATUS_GROUPS:
            count = sum(1 for p in placed if p.group == key)
            legend.append(LegendEntry(status_group_label(key), shape, colour, count))
    else:
        for band, (shape, colour) in zip(adapter.SCORE_BANDS, SCORE_STYLES, strict=True):
            count = sum(1 for p in placed if p.group == f"{band[0]}-{band[1]}")
            legend.append(LegendEntry(band_label(band), shape, colour, count))
        legend.append(LegendEntry(_("no score"), *NO_SCORE, sum(1 for p in placed if not p.group)))
    return PublicMap(by, tuple(placed), tuple(legend), chosen, shown_year, years, options)


def _placed(places: list[Place]) -> list[Place]:
    located = [p for p in places if p.municipality.latitude is not None]
    if not located:
        return list(places)
    middle = sum(float(p.municipality.latitude or 0) for p in located) / len(located)
    cos_lat = math.cos(math.radians(middle))
    xy = {
        p.municipality.pk: (
            float(p.municipality.longitude or 0) * cos_lat,
            float(p.municipality.latitude or 0),
        )
        for p in located
    }
    xs, ys = [x for x, _y in xy.values()], [y for _x, y in xy.values()]
    span = max(
        (max(xs) - min(xs)) / (WIDTH - 2 * MARGIN), (max(ys) - min(ys)) / (HEIGHT - 2 * MARGIN)
    )
    out = []
    for p in places:
        if p.municipality.pk not in xy:
            out.append(p)
            continue
        x, y = xy[p.municipality.pk]
        if span == 0:
            px, py = WIDTH / 2, HEIGHT / 2
        else:
            px = WIDTH / 2 + (x - (min(xs) + max(xs)) / 2) / span
            py = HEIGHT / 2 - (y - (min(ys) + max(ys)) / 2) / span
        out.append(
            Place(
                p.municipality, p.status, p.status_label, p.group, p.group_label, p.shape,
                p.colour, p.score, round(px, 1), round(py, 1),
            )
        )  # fmt: skip
    return out


def shape_svg(shape: str, colour: str, x: float, y: float, size: float = 8) -> SafeString:
    """One mark; also drawn in the legend so that the shapes are explained."""
    s = size
    if shape == "square":
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff"/>',
            round(x - s, 1), round(y - s, 1), 2 * s, 2 * s, colour,
        )  # fmt: skip
    if shape == "triangle":
        return format_html(
            '<polygon points="{},{} {},{} {},{}" fill="{}" stroke="#fff"/>',
            x, round(y - s - 2, 1), round(x - s - 1, 1), round(y + s, 1),
            round(x + s + 1, 1), round(y + s, 1), colour,
        )  # fmt: skip
    if shape == "diamond":
        return format_html(
            '<polygon points="{},{} {},{} {},{} {},{}" fill="{}" stroke="#fff"/>',
            x, round(y - s - 2, 1), round(x + s + 2, 1), y, x, round(y + s + 2, 1),
            round(x - s - 2, 1), y, colour,
        )  # fmt: skip
    if shape == "star":
        points = []
        for k in range(10):
            radius = (s + 3) if k % 2 == 0 else (s + 3) / 2.2
            angle = math.pi / 2 + k * math.pi / 5
            points.append(
                f"{round(x + radius * math.cos(angle), 1)},{round(y - radius * math.sin(angle), 1)}"
            )
        return format_html(
            '<polygon points="{}" fill="{}" stroke="#fff"/>', " ".join(points), colour
        )
    if shape == "circle-open":
        return format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="#fff" stroke="{}" stroke-width="3"/>',
            x, y, s - 1, colour,
        )  # fmt: skip
    return format_html('<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#fff"/>', x, y, s, colour)


def legend_icon(entry: LegendEntry) -> SafeString:
    return format_html(
        '<svg class="map-legend-icon" width="24" height="24" viewBox="0 0 24 24" '
        'aria-hidden="true" focusable="false">{}</svg>',
        shape_svg(entry.shape, entry.colour, 12, 12, 7),
    )


def render(found: PublicMap, *, title: str) -> SafeString:
    """The inline SVG: a mark per located participant, each a link with a <title>."""
    marks = []
    for place in found.located:
        name = str(place.municipality)
        what = place.group_label
        if found.by == "score" and place.score is not None:
            what = f"{place.score} ({place.group_label})"
        marks.append(
            format_html(
                '<a href="{}" class="map-place" data-code="{}" data-group="{}">'
                "<title>{}: {}</title>{}"
                '<text x="{}" y="{}" font-size="12" fill="#111">{}</text></a>',
                reverse("portal:profile", args=[place.municipality.code]),
                place.municipality.code,
                place.group,
                name,
                what,
                shape_svg(place.shape, place.colour, place.x, place.y),
                round(place.x + 11, 1),
                round(place.y + 4, 1),
                name,
            )
        )
    return format_html(
        '<svg class="public-map" viewBox="0 0 {} {}" role="group" '
        'aria-labelledby="public-map-title">'
        '<title id="public-map-title">{}</title>'
        '<rect x="0" y="0" width="{}" height="{}" fill="#f4f6f8" stroke="#9aa5b1"/>'
        '<text x="{}" y="20" font-size="13" fill="#333" text-anchor="middle">{}</text>'
        "{}</svg>",
        WIDTH, HEIGHT, title, WIDTH, HEIGHT, WIDTH - 24, _("N ↑"),
        format_html_join("", "{}", ((m,) for m in marks)),
    )  # fmt: skip


def status_group(code: str) -> str:
    """The map's group of an R-3.6 status (preparing, phase1_done, applying, level1, level2)."""
    return _group_of(code)
