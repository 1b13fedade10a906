"""Does a child's message look like it carries personal data, and its redacted public text.

Deliberately eager: a false alarm only means a moderator reads the message before it is
public; a miss could publish a child's phone number. Used for suggestions and public comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# +7 701 123 45 67, 8(701)1234567, 0555 12 34 56, 87011234567 …: 7+ digits with separators.
_PHONE = re.compile(r"(?<!\w)\+?\d[\d\s().\-]{5,}\d(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+|@\w{3,}|"
    # Bare links to a profile: t.me/aru, instagram.com/aru, vk.com/id123 …
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|kz|ru|kg|me|org|net|io|tv|su)/\S*",
    re.IGNORECASE,
)
# A school or calendar year range ("2025-2026") is not a phone number.
_YEARS = re.compile(r"(?:19|20)\d\d\s*[-–/]\s*(?:19|20)\d\d")
# Street words in the four languages, with what follows them (a name and a number).
_ADDRESS = re.compile(
    r"(?:\b(?:ул|пр|мкр|кв|д|көш|даң|ш\.?а)\.\s*|\bкв\s*\d+|"
    r"\b(?:улица|улице|улицы|проспект\w*|переул\w*|микрорайон\w*|квартир\w*|дом|"
    r"көшесі\w*|көшесінде|даңғыл\w*|шағын\s*аудан\w*|пәтер\w*|үй|"
    r"көчөсү\w*|көчөсүндө|кичи\s*район\w*|батир\w*|"
    r"street|st\.|avenue|flat|apartment|house)\b)"
    r"[^\n.,;!?]{0,40}",
    re.IGNORECASE,
)
# "My name is …" in the four languages, with the next word or two.
_NAME_INTRO = re.compile(
    r"\b(?:меня\s+зовут|моё\s+имя|мое\s+имя|менің\s+атым|менин\s+атым|"
    r"атым|my\s+name\s+is|i\s+am\s+called)\s+\S+(?:\s+\S+)?",
    re.IGNORECASE,
)
# Two capitalised words in a row, not at a sentence's start: "… Айгерім Серікқызы …".
_FULL_NAME = re.compile(
    r"(?<=[^\s.!?]\s)[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]+\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]+"
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", _EMAIL),
    ("link", _URL),
    ("phone", _PHONE),
    ("address", _ADDRESS),
    ("name", _NAME_INTRO),
    ("name", _FULL_NAME),
)


@dataclass(frozen=True)
class Finding:
    kind: str  # email | link | phone | address | name
    start: int
    end: int


def findings(text: str) -> list[Finding]:
    """Every span that looks like personal data, first to last, without overlaps."""
    found: list[Finding] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if kind == "phone" and _YEARS.fullmatch(match.group().strip()):
                continue
            if not any(match.start() < f.end and f.start < match.end() for f in found):
                found.append(Finding(kind, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def looks_personal(text: str) -> bool:
    return bool(findings(text))


def redact(text: str) -> str:
    """The text with every personal-looking span replaced by a marker in the reader's language."""
    marker = "[" + _("removed") + "]"
    parts: list[str] = []
    cursor = 0
    for finding in findings(text):
        parts.append(text[cursor : finding.start])
        parts.append(marker)
        cursor = finding.end
    parts.append(text[cursor:])
    return "".join(parts)
