"""Command line: ``python -m index_engine {compute,progress,uncertainty,explain} ...``.

Invalid input exits with status 2 and one line per problem (file, row, column) on
stderr - never a traceback.

Each command imports only the modules it uses: a run is a fresh process, and numpy,
polars and the engine's modules make up much of its time.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from .errors import EngineInputError, Problem

if TYPE_CHECKING:
    from .compute import Result
    from .dataset import Dataset
    from .framework import Framework
    from .pipeline import Pipeline

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m index_engine",
        description="Compute the Child-Friendly City Index from a framework, data and pipeline.",
    )
    sub = ap.add_subparsers(dest="command", required=True)

    def inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--framework", required=True, help="framework table (.csv, .xlsx or .parquet)"
        )
        p.add_argument("--data", required=True, help="long data table (.csv, .xlsx or .parquet)")
        p.add_argument("--pipeline", required=True, help="pipeline (.yaml or .json)")

    c = sub.add_parser("compute", help="every stage for every unit, year and node")
    inputs(c)
    c.add_argument(
        "--out",
        required=True,
        help="output table (unit,year,code,stage,value,rank): .parquet, else CSV; - = stdout",
    )
    c.add_argument(
        "--wide",
        action="store_true",
        help="one row per unit and year, one column per code and stage ({code}.{stage})",
    )
    c.add_argument("--reasons", help="optional table (CSV or .parquet) of why values are missing")

    p = sub.add_parser("progress", help="progress against a baseline year and the targets")
    inputs(p)
    p.add_argument("--baseline", type=int, required=True, help="baseline year")
    p.add_argument("--current", default="latest", help="current year, or 'latest' (default)")
    p.add_argument("--abs-tol", type=float, default=0.0, help="absolute no-change band")
    p.add_argument("--rel-tol", type=float, default=0.0, help="relative no-change band")
    p.add_argument("--out", default="-", help="output CSV or .parquet (default: stdout)")

    u = sub.add_parser("uncertainty", help="Monte-Carlo rank intervals")
    inputs(u)
    u.add_argument("--draws", type=int, default=1000)
    u.add_argument("--seed", type=int, default=0)
    u.add_argument("--node", help="aggregate to rank (default: the root)")
    u.add_argument("--weight-noise", type=float, default=0.25, help="w * U(1-x, 1+x)")
    u.add_argument("--normalise", help="comma list of methods to sample, e.g. minmax,zscore")
    u.add_argument("--aggregate", help="comma list of methods to sample, e.g. amean,gmean")
    u.add_argument("--toggle-treat", action="store_true", help="sample treatment on/off")
    u.add_argument("--spec", help="YAML/JSON uncertainty spec (overrides the options above)")
    u.add_argument("--out", default="-", help="output CSV or .parquet (default: stdout)")

    e = sub.add_parser("explain", help="child contributions to one node's score")
    inputs(e)
    e.add_argument("--unit", required=True)
    e.add_argument("--year", type=int, required=True)
    e.add_argument("--node", required=True)
    e.add_argument("--out", default="-", help="output CSV or .parquet (default: stdout)")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except EngineInputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    # Start reading the data table on a worker thread, then import numpy and the
    # engine's modules here: polars parses with the GIL released, so the read and the
    # imports overlap.  polars itself is imported first, on this thread: two imports at
    # once would only take turns holding the GIL.
    import polars  # noqa: F401

    from .tables import prefetch_frame

    prefetch_frame(args.data)

    # polars imports numpy.ma (~40 ms) the first time it is handed a numpy array: do it
    # now, while the data is still being read, rather than on the critical path later.
    import numpy.ma  # noqa: F401

    from .compute import compute
    from .io import load_inputs

    fw, ds, pipe = load_inputs(args.framework, args.data, args.pipeline)
    if args.command == "uncertainty":
        return _uncertainty(args, fw, ds, pipe)
    result = compute(fw, ds, pipe)
    if args.command == "compute":
        return _compute(args, result)
    if args.command == "progress":
        return _progress(args, result)
    return _explain(args, result)


def _compute(args: argparse.Namespace, result: Result) -> int:
    from .io import long_frame, missing_frame, result_texts, wide_frame, write_frame

    frame = wide_frame(result) if args.wide else long_frame(result)
    texts = result_texts(result)
    n = write_frame(frame, args.out, texts)
    if args.reasons:
        write_frame(missing_frame(result), args.reasons, texts)
    print(f"wrote {n} rows to {args.out}", file=sys.stderr)
    return 0


def _progress(args: argparse.Namespace, result: Result) -> int:
    import dataclasses

    from .io import write_table
    from .progress import ProgressRow, Tolerance, progress

    current: int | Literal["latest"] = "latest"
    if args.current != "latest":
        try:
            current = int(args.current)
        except ValueError:
            raise EngineInputError(
                [Problem("command line", None, "--current", "expected a year or 'latest'")]
            ) from None
    prog = progress(
        result,
        baseline_year=args.baseline,
        current_year=current,
        tolerance=Tolerance(absolute=args.abs_tol, relative=args.rel_tol),
    )
    header = [f.name for f in dataclasses.fields(ProgressRow)]
    rows = (dataclasses.astuple(r) for r in prog.rows())
    write_table(args.out, header, rows)
    return 0


def _explain(args: argparse.Namespace, result: Result) -> int:
    from .explain import explain
    from .io import write_table

    ex = explain(result, args.unit, args.year, args.node)
    rows_e: list[tuple[object, ...]] = [
        (c.code, c.weight, c.value, c.weight_share, c.term, c.contribution) for c in ex.children
    ]
    rows_e.append(
        ("(score)", None, ex.score, ex.coverage, None, ex.total if ex.score is not None else None)
    )
    write_table(
        args.out, ("child", "weight", "value", "weight_share", "term", "contribution"), rows_e
    )
    if ex.reason:
        print(f"note: {ex.node} is missing for {ex.unit} {ex.year}: {ex.reason}", file=sys.stderr)
    return 0


def _uncertainty(args: argparse.Namespace, fw: Framework, ds: Dataset, pipe: Pipeline) -> int:
    from pathlib import Path

    from .io import read_mapping, write_table
    from .uncertainty import UncertaintySpec, uncertainty

    if args.spec:
        spec = UncertaintySpec.from_mapping(read_mapping(args.spec), pipe, Path(args.spec).name)
    else:
        mapping: dict[str, object] = {"weight_noise": args.weight_noise}
        if args.normalise:
            mapping["normalise"] = [m.strip() for m in args.normalise.split(",") if m.strip()]
        if args.aggregate:
            mapping["aggregate"] = [m.strip() for m in args.aggregate.split(",") if m.strip()]
        if args.toggle_treat:
            mapping["treat"] = [True, False]
        if args.node:
            mapping["node"] = args.node
        spec = UncertaintySpec.from_mapping(mapping, pipe, "command line")
    res = uncertainty(fw, ds, spec, draws=args.draws, seed=args.seed)
    write_table(
        args.out,
        ("unit", "year", "node", "nominal_rank", "median_rank", "q05", "q95"),
        res.rows(),
    )
    return 0
