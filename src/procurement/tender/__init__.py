"""Tender evaluation: award criteria and price-to-points models as a file, evaluator scores and their consensus,
the evaluation with what it would take to win, the ranking-paradox check, the pre-opening simulation, sealing
the model before opening, and evaluator forms in Excel.

Faces reach it through the public API (``pw.evaluate_tender``, ``pw.simulate_tender``, ...); here it is::

>>> from procurement.tender import load_competition, evaluate_competition
>>> comp = load_competition("data/national-municipal-solution", "dialogue-final-round")
>>> evaluate_competition(comp).winner
'supplier-a'
"""

from procurement.tender.competition import Competition, competition_id, competitions, load_competition
from procurement.tender.evaluate import Evaluation, evaluate, totals, weight_sweep, what_it_takes
from procurement.tender.paradox import TenderSimulation, simulate
from procurement.tender.result import TenderResult, evaluate_competition

__all__ = ["Competition", "Evaluation", "TenderResult", "TenderSimulation", "competition_id", "competitions", "evaluate",
           "evaluate_competition", "load_competition", "simulate", "totals", "weight_sweep", "what_it_takes"]
