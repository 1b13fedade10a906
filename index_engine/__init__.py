"""index_engine - composite-indicator computation for the Child-Friendly City Index.

Pure Python + numpy (no Django, no database, no I/O outside :mod:`index_engine.io` and
the command line).  Methods follow COINr's definitions (normalisation ``n_*``,
aggregation ``a_*``, ``Treat``, ``Denominate``); see ``docs/index_engine.md``.

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

from .compute import Result, compute
from .dataset import Dataset
from .errors import EngineInputError, Problem
from .explain import Contribution, Explanation, explain
from .framework import Framework, Node
from .pipeline import AggregateSpec, NormaliseSpec, Pipeline, TreatSpec
from .progress import Progress, ProgressRow, Tolerance, assess, progress
from .uncertainty import UncertaintyResult, UncertaintySpec, uncertainty

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
