"""The council's transitions of an application: start the review, decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meirim.common.workflow import Transition

TRANSITIONS: tuple[Transition, ...] = ()
ON_APPLIED: dict[str, Callable[[Any, Transition, Any, dict[str, Any]], dict[str, Any]]] = {}
NOTIFY: dict[str, Callable[[Any, Transition, Any, dict[str, Any]], None]] = {}
