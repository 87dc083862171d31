"""Cost-benefit analysis after R-109/21 and the plus-minus method for non-priced effects.

Read top to bottom: :mod:`~procurement.cba.parameters` (R-109 parameters, cited) →
:mod:`~procurement.cba.discounting` (analysis period, discount factors) → :mod:`~procurement.cba.model` (each cash-flow
row's weight in each measure) → :mod:`~procurement.cba.npv` (the deterministic analysis) →
:mod:`~procurement.cba.scaling` (flows scaled per year) → :mod:`~procurement.cba.draws` (random streams, common random
numbers) → :mod:`~procurement.cba.percentiles` (exact percentiles in passes over blocks) →
:mod:`~procurement.cba.simulation` (the Monte Carlo) → :mod:`~procurement.cba.case_flows` (a decision's cash flows) →
:mod:`~procurement.cba.criteria` (criterion scores from the analysis) → :mod:`~procurement.cba.effects`,
:mod:`~procurement.cba.financing`, :mod:`~procurement.cba.uptake` → :mod:`~procurement.cba.checks` →
:mod:`~procurement.cba.result` (:class:`~procurement.cba.result.CostBenefit`, what the engine returns).

The package computes and returns tables and result objects; it imports no engine, figure or face
(:meth:`procurement.Analysis.cba` asks it; ``procurement.plots`` draws; ``procurement.report.sections.cba`` renders).
"""
