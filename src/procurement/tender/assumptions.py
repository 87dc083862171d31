"""What a tender result assumed, as :class:`~procurement.text.sentences.Assumption` s (a sentence key and raw
values; the sentences are in :mod:`procurement.text.words_tender`).

:func:`model_assumptions`: the points scale, each criterion's weight and priority, the price model with its
formula and source, the quality scales, the consensus and tie-break rules. :func:`simulation_assumptions`: the
simulated fields, their distributions, the value of quality, the grid of models and weights, and the seed. The
seal state is described by :func:`procurement.tender.seal.status` itself.
"""

from __future__ import annotations

from procurement.text.sentences import Assumption
from procurement.tender.models import AwardCriterion, EvaluationModel, Simulation
from procurement.tender.pricing import FORMULAS, QUALITY_FORMULAS, source


def _whole(x: float, scale: float = 1.0) -> bool:
    """``x`` (times ``scale``) is a whole number: the sentence may write it without decimals."""
    return abs(x * scale - round(x * scale)) < 1e-9


def _names(c: AwardCriterion) -> dict[str, str]:
    return {"criterion": c.id, "label_nb": c.label.get("nb"), "label_en": c.label.get("en")}


def model_assumptions(model: EvaluationModel) -> list[Assumption]:
    """The evaluation model as sentences, in the order a reader needs them."""
    out = [Assumption("tender.illustrative")] if model.illustrative else []
    out.append(Assumption("tender.points" if _whole(model.max_points) else "tender.points.fine",
                          {"max_points": model.max_points}))
    for c in model.criteria:
        share = model.weights()[c.id]
        key = "tender.weight" if c.priority is None else "tender.weight_priority"
        values = _names(c) | {"share": share, "weight": c.weight}
        if c.priority is not None:
            values["priority"] = c.priority
        out.append(Assumption(key if _whole(share, 100) else key + ".fine", values))
    if model.lifecycle is not None:
        out.append(Assumption("tender.lifecycle", {"base_year": model.lifecycle.base_year}))
    out += price_assumptions(model)
    for c in model.quality:
        assert c.scale is not None
        out.append(Assumption(f"tender.quality.{c.scale.scoring}", _names(c) | {
            "scoring": c.scale.scoring, "min": c.scale.min, "max": c.scale.max,
            "formula": QUALITY_FORMULAS[c.scale.scoring]}))
    out.append(Assumption(f"tender.consensus.{model.consensus}", {"consensus": model.consensus,
                                                                  "disagreement": model.disagreement}))
    out.append(Assumption(f"tender.tie_break.{model.tie_break}", {"tie_break": model.tie_break,
                                                                  "tie_tolerance": model.tie_tolerance}))
    return out


def price_assumptions(model: EvaluationModel) -> list[Assumption]:
    """The price model: its formula and parameters, the floor (or that negative points are allowed), whether it is
    relative, and its source with the verified flag."""
    c = model.price
    pm = c.price_model
    assert pm is not None
    currency = model.currency
    slope = model.max_points if pm.slope is None else pm.slope
    values = _names(c) | {"kind": pm.kind, "formula": FORMULAS[pm.kind], "max_points": model.max_points}
    if pm.kind == "fixed-reference":
        values |= {"reference": (pm.reference, currency), "slope": slope}
    elif pm.kind == "interpolation":
        values |= {"best": (pm.best, currency), "worst": (pm.worst, currency)}
    out = [Assumption(f"tender.price.{pm.kind}", values)]
    if pm.floor is not None:
        out.append(Assumption("tender.price.floor", {"floor": pm.floor}))
    elif pm.kind == "linear":
        out.append(Assumption("tender.price.negative"))
    out.append(Assumption("tender.price.relative" if pm.relative else "tender.price.absolute", {"relative": pm.relative}))
    src = source(pm)
    key = "tender.source.given" if pm.source is not None else f"tender.source.{pm.kind}"
    out.append(Assumption(key, {"citation": src.citation, "url": src.url, "verified": src.verified}))
    out.append(Assumption("tender.source.verified" if src.verified else "tender.source.unverified",
                          {"verified": src.verified}))
    return out


def simulation_assumptions(sim: Simulation, currency: str, models: int) -> list[Assumption]:
    """The simulated fields and what they were drawn from."""
    low, high = sim.tenderers
    weights = sim.price_weights
    return [
        Assumption("tender.simulation.fields", {"fields": sim.fields, "low": low, "high": high, "seed": sim.seed}),
        Assumption("tender.simulation.prices", {"estimate": (sim.estimate, currency), "spread": sim.price_spread}),
        Assumption("tender.simulation.quality", {"mean": sim.quality_mean, "sd": sim.quality_spread,
                                                 "correlation": sim.price_quality_correlation}),
        Assumption("tender.simulation.value", {"value": (sim.value_per_point, currency)}),
        Assumption("tender.simulation.grid", {"models": models, "weights": len(weights), "low": min(weights),
                                              "high": max(weights), "price_weights": list(weights)}),
    ]
