"""Procurement and contract-strategy workbench.

The public API, one way in for the command line, the report notebooks, the
interactive workbench and an analyst's own notebook::

    import procurement as pw

    case = pw.load_case("data/national-municipal-solution")
    a = pw.Analysis(case, "default")        # a scenario of the case, a pw.Scenario, or a mapping
    a.ranking("topsis").table
    a.smaa().acceptability
    a.cba().table
    a.route().table; a.timeline().dates; a.risks().expected
    pw.validate(case)                       # every problem a command or a report would meet, one line each

    pw.route(value=2_300_000, authority="municipal", kind="services", date="2025-06-01")   # no case needed
    pw.headroom(original=12_000_000, kind="goods", used=[400_000, 300_000])

The faces (``procurement.cli``, ``procurement.report``, ``procurement.app``) import this module, the words
(``procurement.text``) and the figures (``procurement.plots``), never a domain module: an import-linter contract
(``pyproject.toml``) keeps it so.

Names are imported on first use (``__getattr__`` below), so ``import procurement`` stays cheap: measured on the
2-core machine (CPU time of the whole process, median of 3), ``python -c "import procurement"`` takes 0.02 s and
importing every module the names below come from 0.75 s (pandas, scipy, the pydantic models, the domain modules),
while a command needs a few of them (``procurement route`` none of the ranking code, ``procurement new`` no
analysis at all) and every command has a 1 s budget.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> "module" (the same name there) or "module:attribute"
_EXPORTS = {
    # reading a case (input; the engine attaches the cost-benefit criterion scores on first use)
    "load_case": "procurement.analysis",
    "Case": "procurement.case.loader",
    "Decision": "procurement.case.loader",
    "Scenario": "procurement.case.models",
    "Uncertainty": "procurement.case.models",
    "DEFAULT_SEED": "procurement.case.models",
    "DEFAULT_SAMPLES": "procurement.case.models",
    "DEFAULT_METHODS": "procurement.case.models",
    "MAX_SAMPLES": "procurement.case.models",
    "read_scenario": "procurement.case.scenarios",
    "scenario_problems": "procurement.case.scenarios",
    "InputError": "procurement.case.errors",
    "Problem": "procurement.case.errors",
    "ProblemList": "procurement.case.errors",
    "did_you_mean": "procurement.case.errors",
    "id_problem": "procurement.case.ids",
    "display_path": "procurement.case.errors",
    "find_case": "procurement.case.folders",
    "known_cases": "procurement.case.folders",
    # writing a case: a new one, the Excel workbook and back, stakeholder weighting forms
    "new_case": "procurement.casebook.scaffold",
    "export_case": "procurement.casebook.workbook:export_workbook",
    "import_case": "procurement.casebook.workbook:import_workbook",
    "write_weight_forms": "procurement.casebook.forms:write_forms",
    "collect_weight_forms": "procurement.casebook.forms:collect",
    "respondents_from_csv": "procurement.casebook.forms",
    "default_form_kinds": "procurement.casebook.forms:default_kinds",
    # the engine
    "Analysis": "procurement.analysis",
    "CostBenefit": "procurement.analysis",
    "validate": "procurement.validation",
    "check_scenario": "procurement.validation",
    "bounded_problems": "procurement.validation",
    "input_files": "procurement.validation",
    "Effects": "procurement.cba.effects",
    "FinancingResult": "procurement.cba.financing",
    "UptakeResult": "procurement.cba.uptake",
    "WhoPays": "procurement.cba.financing",
    # names of the domain a face shows
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
    # results of ranking and sensitivity
    "Rankings": "procurement.mcda.rankings",
    "Stakeholders": "procurement.mcda.stakeholders",
    "Sensitivity": "procurement.uncertainty.results",
    "Stability": "procurement.uncertainty.results",
    "WhatItTakes": "procurement.uncertainty.results",
    "WeightSweep": "procurement.uncertainty.results",
    "Tornado": "procurement.uncertainty.results",
    "KERNEL_METHODS": "procurement.mcda.fastrank:SUPPORTED",
    "WEIGHT_MODELS": "procurement.uncertainty.smaa",
    "DISTRIBUTIONS": "procurement.uncertainty.smaa",
    "screen": "procurement.mcda.screening",
    "must_pass_text": "procurement.mcda.screening",
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
    "load_case", "Case", "Decision", "Scenario", "Uncertainty", "DEFAULT_SEED", "DEFAULT_SAMPLES", "DEFAULT_METHODS",
    "MAX_SAMPLES", "read_scenario", "scenario_problems", "InputError", "Problem", "ProblemList", "did_you_mean",
    "display_path", "id_problem", "find_case", "known_cases",
    "new_case", "export_case", "import_case", "write_weight_forms", "collect_weight_forms", "respondents_from_csv",
    "default_form_kinds",
    "Analysis", "CostBenefit", "validate", "check_scenario", "bounded_problems", "input_files",
    "Ranking", "SMAAResult", "WeightSet", "resolve_weights", "METHODS",
    "route", "RouteResult", "headroom", "ChangeHeadroom", "RouteOverview", "ProcurementTimeline", "RiskRegister",
    "procedure_label", "default_rules_dir",
    "evaluate_tender", "simulate_tender", "seal_tender", "tender_seal_status", "tender_competitions", "load_competition",
    "write_tender_forms", "collect_tender_forms", "TenderResult", "TenderSimulation",
    "Effects", "FinancingResult", "UptakeResult", "WhoPays",
    "Rankings", "Stakeholders", "Sensitivity", "Stability", "WhatItTakes", "WeightSweep", "Tornado",
    "KERNEL_METHODS", "WEIGHT_MODELS", "DISTRIBUTIONS", "screen", "must_pass_text",
    "__version__",
]

if TYPE_CHECKING:
    from procurement.analysis import Analysis, CostBenefit, load_case
    from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
    from procurement.case.ids import id_problem
    from procurement.case.folders import find_case, known_cases
    from procurement.case.loader import Case, Decision
    from procurement.case.models import DEFAULT_METHODS, DEFAULT_SAMPLES, DEFAULT_SEED, MAX_SAMPLES, Scenario, Uncertainty
    from procurement.case.scenarios import read_scenario, scenario_problems
    from procurement.casebook.forms import collect as collect_weight_forms
    from procurement.casebook.forms import default_kinds as default_form_kinds
    from procurement.casebook.forms import respondents_from_csv
    from procurement.casebook.forms import write_forms as write_weight_forms
    from procurement.casebook.scaffold import new_case
    from procurement.casebook.workbook import export_workbook as export_case
    from procurement.casebook.workbook import import_workbook as import_case
    from procurement.cba.effects import Effects
    from procurement.cba.financing import FinancingResult, WhoPays
    from procurement.cba.uptake import UptakeResult
    from procurement.law.case_route import ProcurementTimeline, RouteOverview
    from procurement.law.headroom import ChangeHeadroom, headroom
    from procurement.law.loader import default_rules_dir
    from procurement.law.procedures import procedure_label
    from procurement.law.risk import RiskRegister
    from procurement.law.route import RouteResult, route
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
    from procurement.mcda.fastrank import SUPPORTED as KERNEL_METHODS
    from procurement.mcda.rankings import Rankings
    from procurement.mcda.screening import must_pass_text, screen
    from procurement.mcda.stakeholders import Stakeholders
    from procurement.uncertainty.results import Sensitivity, Stability, Tornado, WeightSweep, WhatItTakes
    from procurement.uncertainty.smaa import DISTRIBUTIONS, WEIGHT_MODELS
    from procurement.validation import bounded_problems, check_scenario, input_files, validate


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module, _, attribute = _EXPORTS[name].partition(":")
        value = getattr(import_module(module), attribute or name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'procurement' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(__all__)
