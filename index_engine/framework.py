"""The index framework: a tree of aggregates whose leaves are indicators.

A framework is validated once, when it is built, so every later step can rely on a
single root, no cycles, known parents and usable weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import Problem, raise_if
from .parsing import CellError, as_float, as_text, is_blank, row_is_blank

__all__ = ["Framework", "Node"]

REQUIRED_COLUMNS = ("code", "parent")


@dataclass(frozen=True)
class Node:
    """One row of the framework table.

    ``direction`` and ``denominator``/``factor`` only matter for indicators (leaves);
    ``target`` is in raw (denominated) units for indicators and in score units for
    aggregates; ``lower_post``/``upper_post`` feed goalpost normalisation.
    """

    code: str
    parent: str | None
    weight: float = 1.0
    direction: int = 1
    target: float | None = None
    denominator: str | None = None
    factor: float | None = None
    lower_post: float | None = None
    upper_post: float | None = None
    row: int | None = None


@dataclass(frozen=True)
class Framework:
    """A validated framework.  Build it with :meth:`from_rows` or ``Framework(nodes)``.

    Derived attributes (filled on construction):

    * ``root`` - code of the single root;
    * ``indicators`` - leaf codes, in input order;
    * ``aggregates`` - non-leaf codes ordered bottom-up (every child before its parent);
    * ``children`` - code -> tuple of child codes (input order).
    """

    nodes: tuple[Node, ...]
    source: str = "framework"
    root: str = field(init=False)
    indicators: tuple[str, ...] = field(init=False)
    aggregates: tuple[str, ...] = field(init=False)
    children: Mapping[str, tuple[str, ...]] = field(init=False, repr=False)
    by_code: Mapping[str, Node] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        raise_if(_structure_problems(self.nodes, self.source))
        by_code = {n.code: n for n in self.nodes}
        kids: dict[str, list[str]] = {n.code: [] for n in self.nodes}
        root = ""
        for n in self.nodes:
            if n.parent is None:
                root = n.code
            else:
                kids[n.parent].append(n.code)
        children = {c: tuple(k) for c, k in kids.items()}
        height = _heights(root, children)
        order = {n.code: i for i, n in enumerate(self.nodes)}
        leaves = tuple(n.code for n in self.nodes if not children[n.code])
        aggs = [n.code for n in self.nodes if children[n.code]]
        aggs.sort(key=lambda c: (height[c], order[c]))
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "indicators", leaves)
        object.__setattr__(self, "aggregates", tuple(aggs))
        object.__setattr__(self, "children", children)
        object.__setattr__(self, "by_code", by_code)

    @property
    def codes(self) -> tuple[str, ...]:
        """Indicators followed by aggregates (the column order of results)."""
        return self.indicators + self.aggregates

    def node(self, code: str) -> Node:
        return self.by_code[code]

    def denominators(self) -> tuple[str, ...]:
        """Data series referenced as denominators, in first-use order."""
        seen: dict[str, None] = {}
        for code in self.indicators:
            d = self.by_code[code].denominator
            if d is not None:
                seen.setdefault(d, None)
        return tuple(seen)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, object]],
        source: str = "framework",
        first_row: int = 2,
    ) -> Framework:
        """Parse framework records (e.g. ``csv.DictReader`` rows or dicts from a form).

        Keys are matched case-insensitively; extra keys are ignored.  ``first_row`` is the
        row number reported for the first record (2 = spreadsheet row under a header).
        Fully blank rows are skipped but still counted, so row numbers stay true.
        """
        problems: list[Problem] = []
        nodes: list[Node] = []
        checked_header = False
        for offset, raw in enumerate(rows):
            row_no = first_row + offset
            row = {str(k).strip().lower(): v for k, v in raw.items() if k is not None}
            if not checked_header:
                checked_header = True
                missing = [c for c in REQUIRED_COLUMNS if c not in row]
                if missing:
                    problems += [
                        Problem(source, first_row - 1, c, "missing required column")
                        for c in missing
                    ]
                    raise_if(problems)
            if row_is_blank(row):
                continue
            node = _parse_row(row, row_no, source, problems)
            if node is not None:
                nodes.append(node)
        if problems and nodes:
            # Report tree problems too (unknown parents...), not only unparsable cells.
            problems += _structure_problems(tuple(nodes), source)
        elif not nodes and not problems:
            problems.append(Problem(source, None, None, "the framework has no rows"))
        raise_if(problems)
        return cls(tuple(nodes), source)


_OPTIONAL_FLOATS = ("target", "factor", "lower_post", "upper_post")


def _parse_row(
    row: Mapping[str, object], row_no: int, source: str, problems: list[Problem]
) -> Node | None:
    def bad(column: str, message: str) -> None:
        problems.append(Problem(source, row_no, column, message))

    code = as_text(row.get("code"))
    if code is None:
        bad("code", "empty code")
        return None
    parent = as_text(row.get("parent"))
    weight = 1.0
    if not is_blank(row.get("weight")):
        try:
            weight = as_float(row.get("weight"))
            if weight < 0:
                bad("weight", f"negative weight {weight:g}")
        except CellError as exc:
            bad("weight", str(exc))
    direction = 1
    if not is_blank(row.get("direction")):
        try:
            d = as_float(row.get("direction"))
        except CellError as exc:
            bad("direction", f"{exc}; use 1 or -1")
        else:
            if d in (1.0, -1.0):
                direction = int(d)
            else:
                bad("direction", f"direction must be 1 or -1, got {row.get('direction')!r}")
    extra: dict[str, float | None] = {}
    for col in _OPTIONAL_FLOATS:
        extra[col] = None
        if not is_blank(row.get(col)):
            try:
                extra[col] = as_float(row.get(col))
            except CellError as exc:
                bad(col, str(exc))
    factor = extra["factor"]
    if factor is not None and factor <= 0:
        bad("factor", f"factor must be positive, got {factor:g}")
    return Node(
        code=code,
        parent=parent,
        weight=weight,
        direction=direction,
        target=extra["target"],
        denominator=as_text(row.get("denominator")),
        factor=factor,
        lower_post=extra["lower_post"],
        upper_post=extra["upper_post"],
        row=row_no,
    )


def _structure_problems(nodes: tuple[Node, ...], source: str) -> list[Problem]:
    """Tree-level checks: duplicates, parents, roots, cycles, denominators, weights."""
    problems: list[Problem] = []

    def bad(node: Node, column: str, message: str) -> None:
        problems.append(Problem(source, node.row, column, message))

    if not nodes:
        return [Problem(source, None, None, "the framework has no rows")]
    first: dict[str, Node] = {}
    for n in nodes:
        if n.code in first:
            where = f" (first defined in row {first[n.code].row})" if first[n.code].row else ""
            bad(n, "code", f"duplicate code '{n.code}'{where}")
        else:
            first[n.code] = n
    unique = list(first.values())
    parents = {n.parent for n in unique if n.parent is not None}
    for n in unique:
        if n.parent is not None and n.parent not in first:
            bad(n, "parent", f"unknown code '{n.parent}'")
    roots = [n for n in unique if n.parent is None]
    if not roots:
        problems.append(
            Problem(source, None, "parent", "no root: exactly one node must have an empty parent")
        )
    elif len(roots) > 1:
        listing = ", ".join(f"'{r.code}'" + (f" (row {r.row})" if r.row else "") for r in roots)
        for r in roots[1:]:
            bad(r, "parent", f"several roots: {listing}; exactly one node may have no parent")
    problems += _cycle_problems(first, source)
    for n in unique:
        is_leaf = n.code not in parents
        if n.denominator is not None:
            if n.denominator in first:
                bad(
                    n,
                    "denominator",
                    f"'{n.denominator}' is a framework node; a denominator must be a data "
                    "series (e.g. child population), not a node of the framework",
                )
            if not is_leaf:
                bad(n, "denominator", "only indicators (leaves) can have a denominator")
        elif n.factor is not None:
            bad(n, "factor", "factor given without a denominator")
        if (n.lower_post is None) != (n.upper_post is None):
            col = "upper_post" if n.upper_post is None else "lower_post"
            bad(n, col, "give both lower_post and upper_post, or neither")
        elif (
            n.lower_post is not None
            and n.upper_post is not None
            and not n.lower_post < n.upper_post
        ):
            bad(n, "upper_post", "upper_post must be greater than lower_post")
    if problems:
        return problems
    weights: dict[str, float] = {}
    for n in unique:
        if n.parent is not None:
            weights[n.parent] = weights.get(n.parent, 0.0) + n.weight
    for code, total in weights.items():
        if total <= 0:
            bad(first[code], "weight", f"all children of '{code}' have weight 0")
    if len(unique) == 1:
        bad(unique[0], "code", "the framework needs at least one indicator under the root")
    return problems


def _heights(root: str, children: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Height of every node (leaf = 0), iteratively so any depth works."""
    height: dict[str, int] = {}
    stack: list[tuple[str, bool]] = [(root, False)]
    while stack:
        code, expanded = stack.pop()
        if expanded:
            height[code] = 1 + max((height[k] for k in children[code]), default=-1)
        else:
            stack.append((code, True))
            stack.extend((k, False) for k in children[code])
    return height


def _cycle_problems(first: Mapping[str, Node], source: str) -> list[Problem]:
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on current path, 2 = done
    reported: set[frozenset[str]] = set()
    for start in first:
        path: list[str] = []
        code: str | None = start
        while code is not None and code in first and state.get(code, 0) == 0:
            state[code] = 1
            path.append(code)
            code = first[code].parent
        if code is not None and state.get(code) == 1:
            cycle = path[path.index(code) :]
            key = frozenset(cycle)
            if key not in reported:
                reported.add(key)
                anchor = min((first[c] for c in cycle), key=lambda n: n.row or 0)
                chain = " -> ".join([*cycle, cycle[0]])
                problems.append(Problem(source, anchor.row, "parent", f"cycle: {chain}"))
        for c in path:
            state[c] = 2
    return problems
