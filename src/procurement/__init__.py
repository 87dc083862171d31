"""Procurement and contract-strategy workbench.

The public API, one way in for the command line, the report notebooks, the
interactive workbench and an analyst's own notebook::

    import procurement as pw

    case = pw.load_case("data/national-municipal-solution")
    a = case.analysis("default")            # a scenario of the case, a pw.Scenario, or a mapping
    a.ranking("topsis").table
    a.smaa().acceptability
    a.cba().table

Names are imported on first use, so ``import procurement`` stays cheap for
the command line.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_case": "procurement.case.loader",
    "Case": "procurement.case.loader",
    "Decision": "procurement.case.loader",
    "Scenario": "procurement.case.models",
    "Uncertainty": "procurement.case.models",
    "InputError": "procurement.case.errors",
    "Problem": "procurement.case.errors",
    "Analysis": "procurement.analysis",
    "CostBenefit": "procurement.analysis",
    "Ranking": "procurement.mcda.ranking",
    "SMAAResult": "procurement.uncertainty.smaa",
    "WeightSet": "procurement.mcda.weights",
    "resolve_weights": "procurement.mcda.weights",
    "METHODS": "procurement.mcda.methods",
    "Rankings": "procurement.mcda.rankings",
    "Stakeholders": "procurement.mcda.stakeholders",
    "Sensitivity": "procurement.uncertainty.results",
    "Stability": "procurement.uncertainty.results",
    "WhatItTakes": "procurement.uncertainty.results",
    "WeightSweep": "procurement.uncertainty.results",
    "Tornado": "procurement.uncertainty.results",
    "KERNEL_METHODS": "procurement.mcda.fastrank",
    "WEIGHT_MODELS": "procurement.uncertainty.smaa",
    "DISTRIBUTIONS": "procurement.uncertainty.smaa",
    "DEFAULT_SEED": "procurement.case.models",
    "screen": "procurement.mcda.screening",
    "must_pass_text": "procurement.mcda.screening",
}

__all__ = [  # noqa: F822 - names are imported on first use by __getattr__ below
    "load_case", "Case", "Decision", "Scenario", "Uncertainty", "InputError", "Problem", "Analysis", "CostBenefit",
    "Ranking", "SMAAResult", "WeightSet", "resolve_weights", "METHODS", "__version__",
    "Rankings", "Stakeholders", "Sensitivity", "Stability", "WhatItTakes", "WeightSweep", "Tornado",
    "KERNEL_METHODS", "WEIGHT_MODELS", "DISTRIBUTIONS", "DEFAULT_SEED",
    "screen", "must_pass_text",
]

#: Public names that differ from their name in the module that defines them.
_RENAMED = {"KERNEL_METHODS": "SUPPORTED"}

if TYPE_CHECKING:
    from procurement.analysis import Analysis, CostBenefit
    from procurement.case.errors import InputError, Problem
    from procurement.case.loader import Case, Decision, load_case
    from procurement.case.models import Scenario, Uncertainty
    from procurement.mcda.methods import METHODS
    from procurement.mcda.ranking import Ranking
    from procurement.mcda.weights import WeightSet, resolve_weights
    from procurement.uncertainty.smaa import SMAAResult
    from procurement.case.models import DEFAULT_SEED
    from procurement.mcda.fastrank import SUPPORTED as KERNEL_METHODS
    from procurement.mcda.rankings import Rankings
    from procurement.mcda.screening import must_pass_text, screen
    from procurement.mcda.stakeholders import Stakeholders
    from procurement.uncertainty.results import Sensitivity, Stability, Tornado, WeightSweep, WhatItTakes
    from procurement.uncertainty.smaa import DISTRIBUTIONS, WEIGHT_MODELS


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), _RENAMED.get(name, name))
        globals()[name] = value
        return value
    raise AttributeError(f"module 'procurement' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(__all__)
