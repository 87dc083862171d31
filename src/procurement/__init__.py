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
    # tender evaluation: questions about one competition of a case (no scenario needed)
    "evaluate_tender": "procurement.tender.answers",
    "simulate_tender": "procurement.tender.answers",
    "seal_tender": "procurement.tender.answers",
    "tender_seal_status": "procurement.tender.answers",
    "tender_competitions": "procurement.tender.answers",
    "load_competition": "procurement.tender.answers",
    "write_tender_forms": "procurement.tender.answers",
    "collect_tender_forms": "procurement.tender.answers",
    "TenderResult": "procurement.tender.result",
    "TenderSimulation": "procurement.tender.paradox",
}

__all__ = [  # noqa: F822 - names are imported on first use by __getattr__ below
    "load_case", "Case", "Decision", "Scenario", "Uncertainty", "InputError", "Problem", "Analysis", "CostBenefit",
    "Ranking", "SMAAResult", "WeightSet", "resolve_weights", "METHODS", "__version__",
    "evaluate_tender", "simulate_tender", "seal_tender", "tender_seal_status", "tender_competitions", "load_competition",
    "write_tender_forms", "collect_tender_forms", "TenderResult", "TenderSimulation",
]

if TYPE_CHECKING:
    from procurement.analysis import Analysis, CostBenefit
    from procurement.case.errors import InputError, Problem
    from procurement.case.loader import Case, Decision, load_case
    from procurement.case.models import Scenario, Uncertainty
    from procurement.mcda.methods import METHODS
    from procurement.mcda.ranking import Ranking
    from procurement.mcda.weights import WeightSet, resolve_weights
    from procurement.tender.answers import (
        collect_tender_forms,
        evaluate_tender,
        load_competition,
        seal_tender,
        simulate_tender,
        tender_competitions,
        tender_seal_status,
        write_tender_forms,
    )
    from procurement.tender.paradox import TenderSimulation
    from procurement.tender.result import TenderResult
    from procurement.uncertainty.smaa import SMAAResult


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'procurement' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(__all__)
