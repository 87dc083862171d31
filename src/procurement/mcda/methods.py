"""The ranking methods the workbench offers, each a scikit-criteria pipeline.

Short names: wsm, wpm, topsis, vikor, electre1, electre2, multimoora, spotis,
copras, waspas, promethee2. PROMETHEE II is ours (:mod:`procurement.mcda.promethee`),
written as a scikit-criteria decision maker; the rest are scikit-criteria's.

Every method is reachable by a short name. Each entry states the
preprocessing its method paper calls for, so that the documentation's methods
table and the code cannot drift apart. All pipelines use the current
scikit-criteria modules (``skcriteria.agg.topsis``, ``skcriteria.pipelines``)
so no deprecation warning reaches a user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# scikit-criteria (and matplotlib, which it imports) load on first use of a pipeline, not on import
# of this module, so that every command line call that only needs the method names stays fast.


@dataclass(frozen=True)
class Method:
    """A ranking method: its pipeline, preprocessing and reference.

    ``build(**context)`` returns a scikit-criteria pipeline; ``needs`` names
    the context it takes: ``bounds`` (an n×2 array of each criterion's lower
    and upper bound, for SPOTIS) and ``preferences`` (one (function, q, p, s)
    per criterion, for PROMETHEE II). ``kind`` is ``rank`` for a complete or
    partial ranking and ``kernel`` for a choice set (ELECTRE I): kernel members
    get rank 1, the rest rank 2. ``applicable(matrix, objectives, weights)``
    returns None or the reason the method cannot run on these inputs.
    """

    name: str
    label: str
    build: Callable[..., object]
    preprocessing: str
    reference: str
    higher_is_better: bool = True  # direction of the score the method reports
    kind: str = "rank"
    score: str = "score"  # what the score column holds
    library: str = "scikit-criteria"
    needs: tuple[str, ...] = ()
    parameters: dict = field(default_factory=dict)
    applicable: Callable[[np.ndarray, np.ndarray, np.ndarray], str | None] | None = None

    def pipeline(self, **context):
        """The scikit-criteria pipeline, given the context it needs."""
        return self.build(**{k: context[k] for k in self.needs})

    def why_not(self, matrix, objectives, weights) -> str | None:
        """None if the method can run on these inputs, else the reason it cannot."""
        if self.applicable is None:
            return None
        return self.applicable(np.asarray(matrix, dtype=float), np.asarray(objectives), np.asarray(weights, dtype=float))


def _wsm():
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.invert_objectives import MinMaxInverter
    from skcriteria.preprocessing.scalers import SumScaler

    return mkpipe(MinMaxInverter(), SumScaler(target="weights"), WeightedSumModel())


def _wpm():
    from skcriteria.agg.simple import WeightedProductModel
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.increment import AddValueToZero
    from skcriteria.preprocessing.invert_objectives import InvertMinimize
    from skcriteria.preprocessing.scalers import SumScaler

    return mkpipe(AddValueToZero(target="matrix", value=1.0), InvertMinimize(), SumScaler(target="weights"), WeightedProductModel())


def _topsis():
    from skcriteria.agg.topsis import TOPSIS
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.invert_objectives import NegateMinimize
    from skcriteria.preprocessing.scalers import SumScaler, VectorScaler

    return mkpipe(NegateMinimize(), VectorScaler(target="matrix"), SumScaler(target="weights"), TOPSIS())


VIKOR_V = 0.5
ELECTRE1_P, ELECTRE1_Q = 0.65, 0.35
ELECTRE2_PARAMS = {"p0": 0.65, "p1": 0.5, "p2": 0.35, "q0": 0.65, "q1": 0.35}
WASPAS_LAMBDA = 0.5

_BOUNDED_SPOTIS = None


def bounded_spotis_class():
    """SPOTIS with the criteria bounds fixed at construction, so it fits a pipeline (created on first use)."""
    global _BOUNDED_SPOTIS
    if _BOUNDED_SPOTIS is None:
        from skcriteria.agg.spotis import SPOTIS

        class BoundedSPOTIS(SPOTIS):
            """SPOTIS whose bounds are fixed at construction (scikit-criteria passes them to evaluate)."""

            _skcriteria_parameters = ["bounds"]

            def __init__(self, *, bounds=None):
                self._bounds = None if bounds is None else np.asarray(bounds, dtype=float)

            @property
            def bounds(self):
                return self._bounds

            def evaluate(self, dm):
                return super().evaluate(dm, bounds=self._bounds)

        _BOUNDED_SPOTIS = BoundedSPOTIS
    return _BOUNDED_SPOTIS


def _vikor():
    from skcriteria.agg.vikor import VIKOR
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import SumScaler

    return mkpipe(SumScaler(target="weights"), VIKOR(v=VIKOR_V))


def _electre1():
    from skcriteria.agg.electre import ELECTRE1
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import MinMaxScaler, SumScaler

    return mkpipe(MinMaxScaler(target="matrix"), SumScaler(target="weights"), ELECTRE1(p=ELECTRE1_P, q=ELECTRE1_Q))


def _electre2():
    from skcriteria.agg.electre import ELECTRE2
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import MinMaxScaler, SumScaler

    return mkpipe(MinMaxScaler(target="matrix"), SumScaler(target="weights"), ELECTRE2(**ELECTRE2_PARAMS))


def _multimoora():
    from skcriteria.agg.moora import MultiMOORA
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.increment import AddValueToZero
    from skcriteria.preprocessing.scalers import SumScaler, VectorScaler

    return mkpipe(AddValueToZero(target="matrix", value=1.0), VectorScaler(target="matrix"), SumScaler(target="weights"), MultiMOORA())


def _spotis(bounds):
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import SumScaler

    return mkpipe(SumScaler(target="weights"), bounded_spotis_class()(bounds=bounds))


def _copras():
    from skcriteria.agg.copras import COPRAS
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import SumScaler

    return mkpipe(SumScaler(target="matrix"), SumScaler(target="weights"), COPRAS())


def _waspas():
    from skcriteria.agg.waspas import WASPAS
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.increment import AddValueToZero
    from skcriteria.preprocessing.invert_objectives import BenefitCostInverter
    from skcriteria.preprocessing.scalers import SumScaler

    return mkpipe(AddValueToZero(target="matrix", value=1.0), BenefitCostInverter(), SumScaler(target="weights"), WASPAS(lambda_value=WASPAS_LAMBDA))


def _promethee2(preferences):
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import SumScaler

    from procurement.mcda.promethee import PROMETHEE2

    return mkpipe(SumScaler(target="weights"), PROMETHEE2(preferences=tuple(preferences)))


def _needs_positive_weights(matrix, objectives, weights):
    if np.any(weights <= 0):
        return "MULTIMOORA's full multiplicative form takes the logarithm of weighted values, so every weight must be positive"
    return None


def _copras_applicable(matrix, objectives, weights):
    if not np.any(objectives < 0):
        return "COPRAS needs at least one criterion to minimise (after value functions every criterion is maximised)"
    if np.any(matrix < 0):
        return "COPRAS needs non-negative values"
    mins = matrix[:, objectives < 0]
    if np.any(mins.sum(axis=0) == 0) or np.any(mins.sum(axis=1) == 0):
        return "COPRAS cannot divide by an option whose minimised criteria are all zero"
    return None


METHODS: dict[str, Method] = {
    "wsm": Method(
        "wsm",
        "Weighted sum (additive value)",
        _wsm,
        "min-max scaling of every criterion to [0, 1] over the options, minimised criteria reversed "
        "((max − x)/(max − min)); weights scaled to sum 1",
        "Fishburn, P. C. (1967). Additive utilities with incomplete product sets. Operations Research 15(3).",
        score="weighted sum of scaled values",
    ),
    "wpm": Method(
        "wpm",
        "Weighted product",
        _wpm,
        "a criterion column holding a zero is shifted by +1 (the product needs positive values); minimised "
        "criteria inverted (1/x); weights scaled to sum 1; scores are Σ w·log10(x)",
        "Bridgman, P. W. (1922). Dimensional Analysis; Miller, D. W. & Starr, M. K. (1969). Executive Decisions "
        "and Operations Research. Prentice-Hall.",
        score="Σ w·log10(x)",
    ),
    "topsis": Method(
        "topsis",
        "TOPSIS",
        _topsis,
        "minimised criteria negated (so the ideal takes their lowest value, as in the paper), then vector "
        "(Euclidean) normalisation of each criterion; weights scaled to sum 1; Euclidean distance",
        "Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making. Springer.",
        score="relative closeness to the ideal",
    ),
    "vikor": Method(
        "vikor",
        "VIKOR",
        _vikor,
        "no scaling before the method: VIKOR's own linear normalisation (f* − f)/(f* − f⁻) to the best and "
        "worst value of each criterion handles minimised criteria; weights scaled to sum 1; v = 0.5; the "
        "options in the compromise set share rank 1; score Q (lower is better)",
        "Opricovic, S. & Tzeng, G.-H. (2004). Compromise solution by MCDM methods: A comparative analysis of "
        "VIKOR and TOPSIS. European Journal of Operational Research 156(2), 445–455.",
        higher_is_better=False,
        score="Q",
        parameters={"v": VIKOR_V, "use_compromise_set": True},
    ),
    "electre1": Method(
        "electre1",
        "ELECTRE I (kernel)",
        _electre1,
        "min-max scaling of each criterion to [0, 1] over the options, direction kept (the discordance index "
        "compares differences across criteria, so they need a common scale); weights scaled to sum 1; "
        "concordance threshold p = 0.65, discordance threshold q = 0.35; the kernel gets rank 1, every other "
        "option rank 2; score 1 in the kernel, 0 outside",
        "Roy, B. (1968). Classement et choix en présence de points de vue multiples (la méthode ELECTRE). "
        "RIRO 2(8), 57–75.",
        kind="kernel",
        score="in kernel",
        parameters={"p": ELECTRE1_P, "q": ELECTRE1_Q},
    ),
    "electre2": Method(
        "electre2",
        "ELECTRE II",
        _electre2,
        "min-max scaling of each criterion to [0, 1] over the options, direction kept (common scale for the "
        "discordance index); weights scaled to sum 1; concordance thresholds p0 = 0.65, p1 = 0.5, p2 = 0.35, "
        "discordance thresholds q0 = 0.65, q1 = 0.35; ranking = mean of the direct and inverse distillations "
        "(ties possible); score: scikit-criteria's ELECTRE II score",
        "Roy, B. & Bertier, P. (1973). La méthode ELECTRE II. In: Ross, M. (ed.) OR'72, 291–302. "
        "North-Holland; as implemented after Gomes, Araya & Carignano (2004).",
        parameters=dict(ELECTRE2_PARAMS),
    ),
    "multimoora": Method(
        "multimoora",
        "MULTIMOORA",
        _multimoora,
        "a criterion column holding a zero is shifted by +1 (the full multiplicative form needs positive "
        "values); vector normalisation x/√Σx² of each criterion (the ratio system); minimised criteria stay "
        "minimised (subtracted in the ratio system, nearest-minimum in the reference point, divided in the "
        "full multiplicative form); weights scaled to sum 1; the three rankings merged by dominance; score: "
        "number of pairwise dominance wins",
        "Brauers, W. K. M. & Zavadskas, E. K. (2010). Project management by MULTIMOORA as an instrument for "
        "transition economies. Technological and Economic Development of Economy 16(1), 5–24.",
        score="dominance wins",
        applicable=_needs_positive_weights,
    ),
    "spotis": Method(
        "spotis",
        "SPOTIS",
        _spotis,
        "no normalisation by the data: each criterion's distance to the ideal point is divided by the range "
        "of its bounds, fixed in advance by the criteria file (the value function's range, else the scale's "
        "min and max), so results are free of rank reversal; the ideal point is the best bound; weights "
        "scaled to sum 1; score: weighted normalised distance (lower is better)",
        "Dezert, J., Tchamova, A., Han, D. & Tacnet, J.-M. (2020). The SPOTIS rank reversal free method for "
        "multi-criteria decision-making support. FUSION 2020, IEEE.",
        higher_is_better=False,
        score="distance to ideal",
        needs=("bounds",),
    ),
    "copras": Method(
        "copras",
        "COPRAS",
        _copras,
        "sum normalisation x/Σx of each criterion, minimised criteria kept as such (the method adds the "
        "weighted maximised values and rewards low weighted minimised values); weights scaled to sum 1; "
        "score: utility degree in % of the best; needs at least one minimised criterion",
        "Zavadskas, E. K., Kaklauskas, A. & Šarka, V. (1994). The new method of multicriteria complex "
        "proportional assessment of projects. Technological and Economic Development of Economy 1(3), 131–139.",
        score="utility degree %",
        applicable=_copras_applicable,
    ),
    "waspas": Method(
        "waspas",
        "WASPAS",
        _waspas,
        "a criterion column holding a zero is shifted by +1 (the product part needs positive values); linear "
        "normalisation x/max for criteria to maximise and min/x for criteria to minimise (which turns them "
        "into maximised criteria); weights scaled to sum 1; λ = 0.5 between weighted sum and weighted product",
        "Zavadskas, E. K., Turskis, Z., Antucheviciene, J. & Zakarevicius, A. (2012). Optimization of weighted "
        "aggregated sum product assessment. Elektronika ir Elektrotechnika 122(6), 3–6.",
        parameters={"lambda_value": WASPAS_LAMBDA},
    ),
    "promethee2": Method(
        "promethee2",
        "PROMETHEE II",
        _promethee2,
        "no scaling: each criterion's preference function (usual, u-shape, v-shape, level, linear or "
        "Gaussian, with its q/p/s thresholds from the criteria file, default usual) turns the difference "
        "between two options into a preference in [0, 1]; minimised criteria compare reversed differences; "
        "weights scaled to sum 1; score: net flow φ = φ⁺ − φ⁻",
        "Brans, J.-P. & Vincke, Ph. (1985). A preference ranking organisation method (the PROMETHEE method "
        "for multiple criteria decision-making). Management Science 31(6), 647–656.",
        score="net flow",
        library="procurement.mcda.promethee (scikit-criteria decision maker)",
        needs=("preferences",),
    ),
}


def get_method(name: str) -> Method:
    from procurement.case.errors import InputError, Problem, did_you_mean

    if name not in METHODS:
        hint = did_you_mean(name, METHODS)
        if not hint.startswith("valid"):
            hint += f" valid methods: {', '.join(METHODS)}, or 'all'"
        raise InputError(Problem("--method", "", f"unknown method '{name}'", hint))
    return METHODS[name]


def method_names(spec: str | list[str] | None) -> list[str]:
    """Method names from 'all', a comma-separated list, or a list; unknown names raise InputError."""
    if spec is None or spec == "all":
        return list(METHODS)
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    names = [n.strip() for n in names if n.strip()]
    for n in names:
        get_method(n)
    return names


def methods_table() -> list[dict]:
    """One row per method: name, label, preprocessing, reference (for the docs and notebooks)."""
    return [
        {"method": m.name, "label": m.label, "kind": m.kind, "score": m.score,
         "higher_is_better": m.higher_is_better, "library": m.library,
         "preprocessing": m.preprocessing, "reference": m.reference}
        for m in METHODS.values()
    ]
