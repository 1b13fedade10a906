"""index_engine - composite-indicator computation for the Child-Friendly City Index.

Pure Python + numpy (no Django, no database, no I/O outside :mod:`index_engine.io`,
:mod:`index_engine.tables` and the command line).  Methods follow COINr's definitions
(normalisation ``n_*``, aggregation ``a_*``, ``Treat``, ``Denominate``); see
``docs/index_engine.md``.

Usage without files::

    from index_engine import Dataset, Framework, Pipeline, compute, explain, progress

    fw = Framework.from_rows([
        {"code": "CFCI", "parent": ""},
        {"code": "HEALTH", "parent": "CFCI", "weight": 2},
        {"code": "U5MR", "parent": "HEALTH", "direction": -1, "target": 20,
         "denominator": "BIRTHS", "factor": 1000},
        {"code": "VACC", "parent": "HEALTH", "target": 95},
        {"code": "SCHOOL", "parent": "CFCI"},
    ])
    data = Dataset.from_long([
        {"unit": "Kokshetau", "indicator": "U5MR", "year": 2023, "value": 31},
        {"unit": "Kokshetau", "indicator": "BIRTHS", "year": 2023, "value": 5400},
        ...
    ])
    pipe = Pipeline.from_mapping({
        "denominate": True,
        "treat": {"method": "winsorise"},
        "normalise": {"method": "minmax", "lower": 1, "upper": 100},
        "aggregate": {"method": "amean", "min_coverage": 0.5},
    })
    result = compute(fw, data, pipe)
    result.scores            # (units, aggregates, years) numpy array
    for unit, year, code, stage, value, rank in result.long_rows(): ...
    progress(result, baseline_year=2019, current_year="latest", tolerance=0.5)
    explain(result, "Kokshetau", 2023, "CFCI").children

Invalid input raises :class:`EngineInputError`; its ``problems`` list says which
source, row and column is wrong.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

from .errors import EngineInputError, Problem

if TYPE_CHECKING:
    from .compute import Result, compute
    from .dataset import Dataset
    from .explain import Contribution, Explanation, explain
    from .framework import Framework, Node
    from .pipeline import AggregateSpec, NormaliseSpec, Pipeline, TreatSpec
    from .progress import Progress, ProgressRow, Tolerance, assess, progress
    from .uncertainty import UncertaintyResult, UncertaintySpec, uncertainty

# Public name -> submodule.  Submodules load on first use (PEP 562) so that the
# command line, which needs a few of them, does not pay for numpy-heavy ones it skips.
_LAZY = {
    "AggregateSpec": "pipeline",
    "Contribution": "explain",
    "Dataset": "dataset",
    "Explanation": "explain",
    "Framework": "framework",
    "Node": "framework",
    "NormaliseSpec": "pipeline",
    "Pipeline": "pipeline",
    "Progress": "progress",
    "ProgressRow": "progress",
    "Result": "compute",
    "Tolerance": "progress",
    "TreatSpec": "pipeline",
    "UncertaintyResult": "uncertainty",
    "UncertaintySpec": "uncertainty",
    "assess": "progress",
    "compute": "compute",
    "explain": "explain",
    "progress": "progress",
    "uncertainty": "uncertainty",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


class _Package(ModuleType):
    """``compute``, ``progress``, ``explain`` and ``uncertainty`` are both submodules
    and functions.  Importing a submodule binds it on the package; keep the function
    there instead (as the eager imports this package used to do)."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and _LAZY.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "AggregateSpec",
    "Contribution",
    "Dataset",
    "EngineInputError",
    "Explanation",
    "Framework",
    "Node",
    "NormaliseSpec",
    "Pipeline",
    "Problem",
    "Progress",
    "ProgressRow",
    "Result",
    "Tolerance",
    "TreatSpec",
    "UncertaintyResult",
    "UncertaintySpec",
    "assess",
    "compute",
    "explain",
    "progress",
    "uncertainty",
]
