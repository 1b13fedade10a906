"""Receipt codes: short, unguessable, easy to copy and to type back.

Ten characters of Crockford's base32 (50 random bits from ``secrets``), stored without
separators and shown in groups ("K7QD-4MXA-9T"). Typed back with or without dashes or
spaces, in any case, with the look-alikes O → 0 and I, L → 1 forgiven.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
GROUPS = (4, 4, 2)
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALID = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str | None:
    """The stored form of a code as a child typed it, or None when it cannot be one."""
    cleaned = re.sub(r"[\s\-_.]", "", typed or "").upper().translate(_LOOK_ALIKES)
    return cleaned if _VALID.fullmatch(cleaned) else None


def grouped(code: str) -> str:
    """ "K7QD4MXA9T" → "K7QD-4MXA-9T"."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(code[start : start + size])
        start += size
    return "-".join(part for part in parts if part)
