"""Tender evaluation: award criteria and price-to-points models as a file, evaluator scores and their consensus,
the evaluation with what it would take to win, the ranking-paradox check, the pre-opening simulation, sealing
the model before opening, and evaluator forms in Excel.

>>> from procurement.tender import load_competition, evaluate
>>> comp = load_competition("data/national-municipal-solution", "dialogue-final-round")
>>> evaluate(comp).winner
'supplier-a'
"""

from procurement.tender.competition import Competition, competitions, load_competition
from procurement.tender.evaluate import Evaluation, evaluate, totals, weight_sweep, what_it_takes

__all__ = ["Competition", "Evaluation", "competitions", "evaluate", "load_competition", "totals", "weight_sweep", "what_it_takes"]
