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
    "load_case": "procurement.analysis",
    "Case": "procurement.case.loader",
    "Decision": "procurement.case.loader",
    "Scenario": "procurement.case.models",
    "Uncertainty": "procurement.case.models",
    "InputError": "procurement.case.errors",
    "Problem": "procurement.case.errors",
    "Analysis": "procurement.analysis",
    "CostBenefit": "procurement.analysis",
    "Effects": "procurement.cba.effects",
    "FinancingResult": "procurement.cba.financing",
    "UptakeResult": "procurement.cba.uptake",
    "WhoPays": "procurement.cba.financing",
    "Ranking": "procurement.mcda.ranking",
    "SMAAResult": "procurement.uncertainty.smaa",
    "WeightSet": "procurement.mcda.weights",
    "resolve_weights": "procurement.mcda.weights",
    "METHODS": "procurement.mcda.methods",
}

__all__ = [  # noqa: F822 - names are imported on first use by __getattr__ below
    "load_case", "Case", "Decision", "Scenario", "Uncertainty", "InputError", "Problem", "Analysis", "CostBenefit",
    "Ranking", "SMAAResult", "WeightSet", "resolve_weights", "METHODS", "__version__",
    "Effects", "FinancingResult", "UptakeResult", "WhoPays",
]

if TYPE_CHECKING:
    from procurement.analysis import Analysis, CostBenefit, load_case
    from procurement.case.errors import InputError, Problem
    from procurement.case.loader import Case, Decision
    from procurement.cba.effects import Effects
    from procurement.cba.financing import FinancingResult, WhoPays
    from procurement.cba.uptake import UptakeResult
    from procurement.case.models import Scenario, Uncertainty
    from procurement.mcda.methods import METHODS
    from procurement.mcda.ranking import Ranking
    from procurement.mcda.weights import WeightSet, resolve_weights
    from procurement.uncertainty.smaa import SMAAResult


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'procurement' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(__all__)
