"""Procurement and contract-strategy workbench.

The public API, one way in for the command line, the report notebooks, the
interactive workbench and an analyst's own notebook::

    import procurement as pw

    case = pw.load_case("data/national-municipal-solution")
    a = case.analysis("default")            # a scenario of the case, a pw.Scenario, or a mapping
    a.ranking("topsis").table
    a.smaa().acceptability
    a.cba().table
    a.route().table; a.timeline().dates; a.risks().expected

    pw.route(value=2_300_000, authority="municipal", kind="services", date="2025-06-01")   # no case needed
    pw.headroom(original=12_000_000, kind="goods", used=[400_000, 300_000])

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
    # procurement law: questions without a case, and the results the engine gives for a case
    "route": "procurement.law.route",
    "RouteResult": "procurement.law.route",
    "headroom": "procurement.law.headroom",
    "ChangeHeadroom": "procurement.law.headroom",
    "RouteOverview": "procurement.law.case_route",
    "ProcurementTimeline": "procurement.law.case_route",
    "RiskRegister": "procurement.law.risk",
    "procedure_label": "procurement.law.procedures",
    "default_rules_dir": "procurement.law.loader",
}

__all__ = [  # noqa: F822 - names are imported on first use by __getattr__ below
    "load_case", "Case", "Decision", "Scenario", "Uncertainty", "InputError", "Problem", "Analysis", "CostBenefit",
    "Ranking", "SMAAResult", "WeightSet", "resolve_weights", "METHODS", "__version__",
    "route", "RouteResult", "headroom", "ChangeHeadroom", "RouteOverview", "ProcurementTimeline", "RiskRegister",
    "procedure_label", "default_rules_dir",
]

if TYPE_CHECKING:
    from procurement.analysis import Analysis, CostBenefit
    from procurement.case.errors import InputError, Problem
    from procurement.case.loader import Case, Decision, load_case
    from procurement.case.models import Scenario, Uncertainty
    from procurement.law.case_route import ProcurementTimeline, RouteOverview
    from procurement.law.headroom import ChangeHeadroom, headroom
    from procurement.law.loader import default_rules_dir
    from procurement.law.procedures import procedure_label
    from procurement.law.risk import RiskRegister
    from procurement.law.route import RouteResult, route
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
