"""The ranking methods the workbench offers: one registry entry per method.

Short names: wsm, wsm-sum, wpm, topsis, vikor, electre1, electre2, multimoora,
spotis, copras, waspas, promethee2. PROMETHEE II is ours
(:mod:`procurement.mcda.promethee`), written as a scikit-criteria decision
maker; the rest are scikit-criteria's.

Each :class:`Method` holds everything that differs between methods, so that no
other module compares method names:

* its scikit-criteria pipeline (``pipeline(**context)``) and the preprocessing
  its paper calls for, so that the documentation's methods table and the code
  cannot drift apart;
* where it has one, its vectorised kernel (:class:`procurement.mcda.kernels.Kernel`),
  which :mod:`procurement.mcda.fastrank` dispatches to and through which
  :func:`procurement.mcda.ranking.rank` ranks without importing scikit-criteria;
* the context it needs (``needs``: ``bounds`` for SPOTIS, ``preferences`` for
  PROMETHEE II), built for a decision by :meth:`Method.context`;
* whether its rank is a function of its score (``ranks_by_score``), and the
  inputs it cannot rank (``why_not``).

All pipelines use the current scikit-criteria modules (``skcriteria.agg.topsis``,
``skcriteria.pipelines``) so no deprecation warning reaches a user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from procurement.case.errors import InputError, Problem, did_you_mean
from procurement.mcda import kernels, rankers
from procurement.mcda.kernels import Kernel
from procurement.mcda.preference import USUAL, spec_dict
from procurement.mcda.rankers import Ranker

# lazy: scikit-criteria (and matplotlib, which it imports) costs about 2 s at import; it loads on first use of a
# pipeline, inside the _wsm ... _promethee2 builders below, so that a command that only needs the method names or
# a kernel (every method has one) never imports it.


def bounds_for(decision, criteria: list[str] | None = None) -> np.ndarray:
    """Each criterion's [lower, upper] bound as the method sees it (value range, else scale)."""
    ids = criteria or decision.criterion_ids
    return np.array([decision.criterion(c).value_bounds for c in ids], dtype=float)


def preferences_for(decision, criteria: list[str] | None = None) -> list[tuple[str, float, float, float]]:
    """Each criterion's PROMETHEE preference (function, q, p, s); usual where the file sets none."""
    ids = criteria or decision.criterion_ids
    out = []
    for cid in ids:
        pref = decision.criterion(cid).preference
        out.append(pref.as_tuple() if pref is not None else USUAL)
    return out


def _bounds_json(bounds, criteria: list[str]) -> list:
    return np.asarray(bounds, dtype=float).tolist()


def _preferences_json(preferences, criteria: list[str]) -> list[dict]:
    return [spec_dict(c, spec) for c, spec in zip(criteria, preferences, strict=True)]


# Every piece of context a method may need: how to build it for a decision, and how a ranking's JSON states it.
CONTEXT: dict[str, tuple[Callable, Callable]] = {
    "bounds": (bounds_for, _bounds_json),
    "preferences": (preferences_for, _preferences_json),
}


@dataclass(frozen=True)
class Method:
    """A ranking method: its pipeline, kernel, context, preprocessing and reference.

    ``build(**context)`` returns a scikit-criteria pipeline; ``needs`` names
    the context it takes: ``bounds`` (an n×2 array of each criterion's lower
    and upper bound, for SPOTIS) and ``preferences`` (one (function, q, p, s)
    per criterion, for PROMETHEE II). ``kind`` is ``rank`` for a complete or
    partial ranking and ``kernel`` for a choice set (ELECTRE I): kernel members
    get rank 1, the rest rank 2. ``applicable(matrix, objectives, weights)``
    returns None or the reason the method cannot run on these inputs.

    ``kernel`` is the method's vectorised score (:mod:`procurement.mcda.kernels`), for the methods whose rank
    follows from one score; ``ranker`` (:mod:`procurement.mcda.rankers`) is the vectorised form of the others
    (score and rank of many weight vectors at once). Every method has one of the two, so ranking never needs
    its scikit-criteria pipeline; the pipeline is kept as the reference the tests compare with.
    ``ranks_by_score`` is True when the method's rank is the dense rank of its
    score (the best score first, ``higher_is_better`` giving the direction):
    the workbench then ranks from the score with the tolerance
    :data:`procurement.mcda.fastrank.RTOL`, exactly as the SMAA engine does, so
    that rounding noise (~1e-16) never splits a tie. It is False for methods
    whose rank is not a function of one score, which keep the rank they give.
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
    kernel: Kernel | None = None
    ranker: Ranker | None = None
    ranks_by_score: bool = True

    def pipeline(self, **context):
        """The scikit-criteria pipeline, given the context it needs."""
        return self.build(**{k: context[k] for k in self.needs})

    def why_not(self, matrix, objectives, weights) -> str | None:
        """None if the method can run on these inputs, else the reason it cannot."""
        if self.applicable is None:
            return None
        return self.applicable(np.asarray(matrix, dtype=float), np.asarray(objectives), np.asarray(weights, dtype=float))

    def context(self, decision, criteria: list[str] | None = None) -> dict:
        """The context this method needs for `decision` (criteria in the decision's order, or `criteria`):
        ``{}``, ``{"bounds": …}`` or ``{"preferences": …}``."""
        return {k: CONTEXT[k][0](decision, criteria) for k in self.needs}

    def default_context(self, n: int) -> dict:
        """The context for n criteria when none is given: usual preferences; no bounds (SPOTIS then takes the
        matrix's own minimum and maximum)."""
        defaults = {"bounds": None, "preferences": [USUAL] * n}
        return {k: defaults[k] for k in self.needs}

    def parameters_for(self, context: dict, criteria: list[str]) -> dict:
        """The parameters a ranking's JSON states: the method's own, and the context it used."""
        out = dict(self.parameters)
        for k in self.needs:
            if context.get(k) is not None:
                out[k] = CONTEXT[k][1](context[k], criteria)
        return out

    def orient(self, scores: np.ndarray) -> np.ndarray:
        """The method's scores turned so that higher is better (the same sign change turns a kernel's
        higher-is-better score into the method's own)."""
        return scores if self.higher_is_better else -scores


def _wsm():
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.invert_objectives import MinMaxInverter
    from skcriteria.preprocessing.scalers import SumScaler

    return mkpipe(MinMaxInverter(), SumScaler(target="weights"), WeightedSumModel())


def _wsm_sum():
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.invert_objectives import InvertMinimize
    from skcriteria.preprocessing.scalers import SumScaler

    return mkpipe(InvertMinimize(), SumScaler(target="matrix"), SumScaler(target="weights"), WeightedSumModel())


def _wpm():
    from skcriteria.agg.simple import WeightedProductModel
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.increment import AddValueToZero
    from skcriteria.preprocessing.invert_objectives import InvertMinimize
    from skcriteria.preprocessing.scalers import SumScaler

    return mkpipe(AddValueToZero(target="matrix", value=1.0), InvertMinimize(), SumScaler(target="weights"),
                  WeightedProductModel())


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

    return mkpipe(AddValueToZero(target="matrix", value=1.0), VectorScaler(target="matrix"), SumScaler(target="weights"),
                  MultiMOORA())


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

    return mkpipe(AddValueToZero(target="matrix", value=1.0), BenefitCostInverter(), SumScaler(target="weights"),
                  WASPAS(lambda_value=WASPAS_LAMBDA))


def _promethee2(preferences):
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.scalers import SumScaler

    from procurement.mcda.promethee import PROMETHEE2  # its decision-maker class needs scikit-criteria too

    return mkpipe(SumScaler(target="weights"), PROMETHEE2(preferences=tuple(preferences)))


def _needs_positive_weights(matrix, objectives, weights):
    if np.any(weights <= 0):
        return "MULTIMOORA's full multiplicative form takes the logarithm of weighted values, so every weight must be positive"
    if np.any(matrix < 0):
        return "MULTIMOORA's full multiplicative form takes the logarithm of the scores, so they must be zero or more"
    return None


def _wpm_applicable(matrix, objectives, weights):
    if np.any(matrix < 0):
        return "the weighted product needs scores of zero or more (a negative score has no weighted power)"
    return None


def _wsm_sum_applicable(matrix, objectives, weights):
    if np.any(matrix < 0):
        return "the weighted sum with sum normalisation needs scores of zero or more"
    if np.any(matrix[:, objectives < 0] <= 0):
        return "the weighted sum with sum normalisation inverts criteria to minimise (1/x), so they need positive scores"
    if np.any(matrix.sum(axis=0) == 0):
        return "the weighted sum with sum normalisation cannot divide a criterion whose scores are all zero"
    return None


def _nonnegative(matrix, objectives, weights):
    if np.any(matrix < 0):
        return "WASPAS needs scores of zero or more"
    return None


def _copras_applicable(matrix, objectives, weights):
    if not np.any(objectives < 0):
        return "COPRAS needs at least one criterion to minimise (after value functions every criterion is maximised)"
    if np.any(matrix < 0):
        return "COPRAS needs non-negative values"
    if np.any(matrix.sum(axis=0) == 0):
        return "COPRAS cannot divide a criterion whose scores are all zero"
    weighted = matrix[:, objectives < 0] * weights[objectives < 0]
    if np.any(weighted.sum(axis=1) == 0):
        return "COPRAS cannot divide by an option whose weighted minimised criteria are all zero"
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
        kernel=kernels.linear_kernel(kernels.minmax_prepare),
    ),
    "wsm-sum": Method(
        "wsm-sum",
        "Weighted sum (sum normalisation)",
        _wsm_sum,
        "the textbook weighted sum: minimised criteria inverted (1/x), then sum normalisation x/Σx of every "
        "criterion over the options (so a minimised criterion becomes (1/x)/Σ(1/x)); weights scaled to sum 1; "
        "needs scores of zero or more, positive on minimised criteria",
        "Fishburn, P. C. (1967). Additive utilities with incomplete product sets. Operations Research 15(3); "
        "normalisation as in Triantaphyllou, E. (2000). Multi-Criteria Decision Making Methods: A Comparative "
        "Study. Kluwer, ch. 2, and pymcdm's WSM.",
        score="weighted sum of sum-normalised values",
        applicable=_wsm_sum_applicable,
        kernel=kernels.linear_kernel(kernels.sum_prepare),
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
        applicable=_wpm_applicable,
        kernel=kernels.linear_kernel(kernels.log_prepare),
    ),
    "topsis": Method(
        "topsis",
        "TOPSIS",
        _topsis,
        "minimised criteria negated (so the ideal takes their lowest value, as in the paper), then vector "
        "(Euclidean) normalisation of each criterion; weights scaled to sum 1; Euclidean distance",
        "Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making. Springer.",
        score="relative closeness to the ideal",
        kernel=kernels.closeness_kernel(kernels.distance_prepare),
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
        ranker=rankers.vikor_ranker(VIKOR_V),
        ranks_by_score=False,  # the compromise set shares rank 1 whatever the spread of Q inside it
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
        ranker=rankers.electre1_ranker(ELECTRE1_P, ELECTRE1_Q),
        ranks_by_score=False,  # a choice set, not a ranking: kernel members rank 1, the rest 2
    ),
    "electre2": Method(
        "electre2",
        "ELECTRE II",
        _electre2,
        "min-max scaling of each criterion to [0, 1] over the options, direction kept (common scale for the "
        "discordance index); weights scaled to sum 1; concordance thresholds p0 = 0.65, p1 = 0.5, p2 = 0.35, "
        "discordance thresholds q0 = 0.65, q1 = 0.35; ranking = mean of the direct and inverse distillations "
        "(ties possible); score: the mean of the two distillation ranks (lower is better)",
        "Roy, B. & Bertier, P. (1973). La méthode ELECTRE II. In: Ross, M. (ed.) OR'72, 291–302. "
        "North-Holland; as implemented after Gomes, Araya & Carignano (2004).",
        higher_is_better=False,
        score="mean distillation rank",
        parameters=dict(ELECTRE2_PARAMS),
        ranker=rankers.electre2_ranker(**ELECTRE2_PARAMS),
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
        ranker=rankers.MULTIMOORA,
        # The rank merges three sub-rankings by dominance; scikit-criteria ranks each sub-ranking by exact
        # float equality, and a tolerance on the merged score (a whole number of wins) would change nothing.
        ranks_by_score=False,
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
        kernel=kernels.linear_kernel(kernels.spotis_prepare),
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
        kernel=kernels.COPRAS,
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
        applicable=_nonnegative,
        kernel=kernels.waspas_kernel(WASPAS_LAMBDA),
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
        kernel=kernels.linear_kernel(kernels.net_flow_prepare),
    ),
}


def get_method(name: str) -> Method:
    if name not in METHODS:
        hint = did_you_mean(name, METHODS)
        if not hint.startswith("valid"):
            hint += f" valid methods: {', '.join(METHODS)}, or 'all'"
        raise InputError(Problem("method", "", f"unknown method '{name}'", hint))
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
