"""The easy-read pages for children: short sentences, one picture per idea.

The pictures are drawn here as small inline SVGs (no file, no font, nothing from outside);
each carries its own text alternative. The rights R1–R11 are said in a child's words; the
catalogue keeps their formal names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# Each picture: inner SVG drawing on a 48 × 48 grid (stroke and fill set by the caller).
_DRAWINGS: dict[str, str] = {
    "hand": (
        '<path d="M16 40 V22 a3 3 0 0 1 6 0 V12 a3 3 0 0 1 6 0 V22 V14 a3 3 0 0 1 6 0 V24 '
        'a3 3 0 0 1 6 0 V32 c0 6 -5 10 -11 10 h-4 c-5 0 -9 -1 -9 -2 z" fill="#ffd7a8"/>'
    ),
    "speech": (
        '<path d="M8 10 h32 a4 4 0 0 1 4 4 v16 a4 4 0 0 1 -4 4 h-18 l-8 8 v-8 h-6 '
        'a4 4 0 0 1 -4 -4 v-16 a4 4 0 0 1 4 -4 z" fill="#bfe3ff"/>'
        '<circle cx="16" cy="22" r="2.5" fill="#1f3b57"/><circle cx="24" cy="22" r="2.5" '
        'fill="#1f3b57"/><circle cx="32" cy="22" r="2.5" fill="#1f3b57"/>'
    ),
    "people": (
        '<circle cx="14" cy="16" r="5" fill="#ffd7a8"/><circle cx="34" cy="16" r="5" '
        'fill="#ffd7a8"/><circle cx="24" cy="22" r="4" fill="#ffd7a8"/>'
        '<path d="M6 40 c0 -10 16 -10 16 0 z" fill="#9ccc65"/>'
        '<path d="M26 40 c0 -10 16 -10 16 0 z" fill="#4fc3f7"/>'
        '<path d="M18 42 c0 -8 12 -8 12 0 z" fill="#ffb74d"/>'
    ),
    "house": (
        '<path d="M6 24 L24 8 L42 24" fill="none"/><rect x="11" y="23" width="26" height="18" '
        'fill="#ffe0b2"/><rect x="20" y="29" width="8" height="12" fill="#8d6e63"/>'
        '<path d="M30 28 h4 v4 h-4 z" fill="#bfe3ff"/>'
    ),
    "drop": (
        '<path d="M24 6 C24 6 10 24 10 31 a14 14 0 0 0 28 0 C38 24 24 6 24 6 z" fill="#4fc3f7"/>'
    ),
    "shield": (
        '<path d="M24 6 L40 12 V24 c0 10 -7 16 -16 19 C15 40 8 34 8 24 V12 z" fill="#c5e1a5"/>'
        '<path d="M17 24 l5 5 l9 -10" fill="none"/>'
    ),
    "ball": (
        '<circle cx="24" cy="24" r="16" fill="#fff59d"/><path d="M8 24 h32 M24 8 '
        'c-8 8 -8 24 0 32 M24 8 c8 8 8 24 0 32" fill="none"/>'
    ),
    "tree": (
        '<rect x="21" y="28" width="6" height="14" fill="#8d6e63"/>'
        '<circle cx="24" cy="20" r="13" fill="#81c784"/>'
    ),
    "sun": (
        '<circle cx="24" cy="24" r="8" fill="#ffd54f"/><path d="M24 4 v6 M24 38 v6 M4 24 h6 '
        'M38 24 h6 M10 10 l4 4 M34 34 l4 4 M38 10 l-4 4 M14 34 l-4 4" fill="none"/>'
    ),
    "note": (
        '<path d="M18 34 V10 l18 -4 V30" fill="none"/><ellipse cx="14" cy="35" rx="5" ry="4" '
        'fill="#ce93d8"/><ellipse cx="32" cy="31" rx="5" ry="4" fill="#ce93d8"/>'
    ),
    "equal": (
        '<path d="M24 40 C10 30 6 22 6 16 a9 9 0 0 1 18 -3 a9 9 0 0 1 18 3 c0 6 -4 14 -18 24 z" '
        'fill="#f48fb1"/><path d="M17 20 h14 M17 26 h14" fill="none"/>'
    ),
    "plan": (
        '<rect x="10" y="6" width="28" height="36" rx="3" fill="#fff"/><path d="M16 16 l3 3 l5 -6 '
        'M16 26 l3 3 l5 -6 M28 17 h6 M28 27 h6 M16 36 h18" fill="none"/>'
    ),
    "chart": (
        '<path d="M8 40 h34" fill="none"/><rect x="12" y="26" width="6" height="14" '
        'fill="#4fc3f7"/><rect x="22" y="18" width="6" height="22" fill="#81c784"/>'
        '<rect x="32" y="10" width="6" height="30" fill="#ffb74d"/>'
    ),
    "star": (
        '<path d="M24 5 l5.6 12 l13 1.5 l-9.7 8.8 l2.7 12.9 L24 33.6 L12.4 40.2 l2.7 -12.9 '
        'L5.4 18.5 l13 -1.5 z" fill="#ffd54f"/>'
    ),
    "coins": (
        '<ellipse cx="24" cy="34" rx="14" ry="5" fill="#ffe082"/><ellipse cx="24" cy="27" '
        'rx="14" ry="5" fill="#ffe082"/><ellipse cx="24" cy="20" rx="14" ry="5" fill="#ffd54f"/>'
    ),
    "letter": (
        '<rect x="6" y="12" width="36" height="26" rx="2" fill="#fff"/>'
        '<path d="M6 14 l18 13 l18 -13" fill="none"/>'
    ),
}


def picture(name: str, label: str | Promise, *, size: int = 64) -> SafeString:
    """One picture with its text alternative (``role="img"`` and an accessible name)."""
    return format_html(
        '<svg class="easy-picture" width="{}" height="{}" viewBox="0 0 48 48" role="img" '
        'aria-label="{}" stroke="#1f3b57" stroke-width="2" stroke-linejoin="round" '
        'stroke-linecap="round"><title>{}</title>{}</svg>',
        size,
        size,
        label,
        label,
        mark_safe(_DRAWINGS[name]),  # noqa: S308 - constant drawings of this module
    )


@dataclass(frozen=True)
class Idea:
    code: str
    title: Promise
    text: Promise
    drawing: str
    alt: Promise

    @property
    def picture(self) -> SafeString:
        return picture(self.drawing, self.alt)


RIGHTS: tuple[Idea, ...] = (
    Idea(
        "R1",
        _("Have a say"),
        _("You can help decide what your city does."),
        "hand",
        _("A raised hand"),
    ),
    Idea(
        "R2",
        _("Share your dream"),
        _("You can tell everyone what kind of city you dream of."),
        "speech",
        _("A speech bubble"),
    ),
    Idea(
        "R3",
        _("Take part"),
        _("You can take part in the life of your family, your neighbours and your city."),
        "people",
        _("Three people together"),
    ),
    Idea(
        "R4",
        _("Health, school and a home"),
        _("You can see a doctor, go to school and live in a safe home."),
        "house",
        _("A house"),
    ),
    Idea(
        "R5",
        _("Clean water"),
        _("You can drink clean water and use a clean toilet."),
        "drop",
        _("A drop of water"),
    ),
    Idea(
        "R6",
        _("Safe from harm"),
        _("No one may hurt you, use you or treat you badly."),
        "shield",
        _("A shield"),
    ),
    Idea(
        "R7",
        _("Safe streets and play"),
        _("You can walk in your street safely, meet your friends and play."),
        "ball",
        _("A ball"),
    ),
    Idea(
        "R8",
        _("Parks and nature"),
        _("You can go to parks and be close to trees, flowers and animals."),
        "tree",
        _("A tree"),
    ),
    Idea(
        "R9",
        _("A clean city"),
        _("You can live where the air, the water and the ground are clean."),
        "sun",
        _("The sun"),
    ),
    Idea(
        "R10",
        _("Fun and culture"),
        _("You can go to festivals, concerts and events in your city."),
        "note",
        _("A music note"),
    ),
    Idea(
        "R11",
        _("Every child counts the same"),
        _(
            "Every child can use every service of the city. It does not matter where your "
            "family comes from, what it believes, how much money it has, if you are a girl "
            "or a boy, or if you have a disability."
        ),
        "equal",
        _("A heart with an equals sign"),
    ),
)

#: The programme in six short steps.
PROGRAMME: tuple[Idea, ...] = (
    Idea(
        "1",
        _("The city listens to children"),
        _("A child-friendly city asks children what they think. It listens to them."),
        "speech",
        _("A speech bubble"),
    ),
    Idea(
        "2",
        _("The city counts"),
        _(
            "The city checks how children live. It looks at 74 things, like school, "
            "health and safety."
        ),
        "chart",
        _("A bar chart"),
    ),
    Idea(
        "3",
        _("The city makes a plan"),
        _("With children, the city writes a plan to make life better for them."),
        "plan",
        _("A list with ticks"),
    ),
    Idea(
        "4",
        _("The city spends money on children"),
        _("The city shows how much of its money goes to children."),
        "coins",
        _("Coins"),
    ),
    Idea(
        "5",
        _("A council checks"),
        _("Every two years, a national council checks what the city has done."),
        "people",
        _("Three people together"),
    ),
    Idea(
        "6",
        _("A sign for good work"),
        _(
            "If the city did well, it gets a sign: Level 1 for two years, or Level 2 for "
            "four years."
        ),
        "star",
        _("A star"),
    ),
)
