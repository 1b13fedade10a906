"""Input problems and the single exception type the engine raises for bad input.

Every validation step collects *all* problems it can find before raising, so a user
fixing a spreadsheet sees the full list at once instead of one error per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["EngineInputError", "Problem"]

#: How many problems ``str(EngineInputError)`` shows before summarising the rest.
_SHOWN = 25


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``source`` names the file or object (``framework.csv``, ``pipeline``...), ``row`` is
    the spreadsheet row number (header = row 1, first record = row 2) or ``None`` when
    the problem is not tied to a row, ``column`` is the column (or pipeline key path).
    """

    source: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}" if self.row is not None else f", {self.column}"
        return f"{where}: {self.message}"


class EngineInputError(ValueError):
    """Raised for invalid frameworks, data, pipelines or call arguments.

    ``problems`` holds every problem found (not only the first); callers such as a web
    form can display them next to the offending row and column.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("EngineInputError needs at least one problem")
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [str(p) for p in self.problems[:_SHOWN]]
        hidden = len(self.problems) - _SHOWN
        if hidden > 0:
            lines.append(f"... and {hidden} more problem(s)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._render()


def raise_if(problems: list[Problem]) -> None:
    """Raise :class:`EngineInputError` when ``problems`` is not empty."""
    if problems:
        raise EngineInputError(problems)
