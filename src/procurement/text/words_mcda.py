"""Words and sentences of ranking, weights, stakeholders and uncertainty (mcda/, uncertainty/), in bokmål and English.

``LABELS``: key -> (bokmål, English) word or header, merged into :data:`procurement.text.labels.LABELS`.
``SENTENCES``: key -> (bokmål, English) template with ``{name:kind}`` fields, merged into
:data:`procurement.text.sentences.SENTENCES` (see that module for the kinds). Keys are prefixed with the part
they belong to (``mcda.``, ``smaa.``, ``sensitivity.``, ``stakeholders.``); a key defined twice anywhere is an
error at import.

A bokmål sentence names no method id (a reader of the bokmål report sees "vektet sum", not ``wsm``); an English
one adds the id in brackets for the command line. A method's name is passed as ``label``, a mapping
``{"nb": ..., "en": ...}`` (from :func:`procurement.text.labels.method_label`), and each template picks its own
language with ``{label[nb]}`` or ``{label[en]}``.

The SMAA weight and score models have one key each: ``smaa.weights`` is the default model (each weight within
± spread of the point weights), ``smaa.weights.<model>`` the others; ``smaa.scores`` is the default triangular
distribution, ``smaa.scores.<distribution>`` the others. A reader of the assumptions can match on the prefix.
"""

from __future__ import annotations

#: The panel sources' labels live with the other weight sources in :mod:`procurement.text.words_case`.
LABELS: dict[str, tuple[str, str]] = {}

SENTENCES: dict[str, tuple[str, str]] = {
    # --- a ranking ------------------------------------------------------------------------------------------
    "mcda.method": (
        "Alternativene er rangert med {label[nb]}.",
        "The options are ranked by {label[en]} ({method}).",
    ),
    "mcda.methods": (
        "Metoder: {labels[nb]}.",
        "Methods: {labels[en]} ({methods}).",
    ),
    "mcda.parameter": (
        "Metodeparameteren {name} er {value:number2}.",
        "The method parameter {name} is {value:number2}.",
    ),
    "mcda.screening": (
        "Rangert: {kept:number0} alternativer; utelatt av ufravikelige krav: {excluded:number0}.",
        "Ranked: {kept:number0} options; removed by must-pass rules: {excluded:number0}.",
    ),
    "mcda.ties": (
        "Skårer som skiller seg med mindre enn {rtol} av den største skåren, regnes som like og deler plass.",
        "Scores that differ by less than {rtol} of the largest score count as equal and share a rank.",
    ),
    # --- where the weights came from ----------------------------------------------------------------------------
    "mcda.weights.file": (
        "Vektene er kriteriefilens vekter, multiplisert nedover verditreet der gruppene har vekter, og normalisert "
        "til sum 1.",
        "The weights are the criteria file's, multiplied down the value tree where the groups carry weights, and "
        "normalised to sum 1.",
    ),
    "mcda.weights.profile": (
        "Vektene er interessentgruppen «{profile}» sine, normalisert til sum 1.",
        "The weights are those of the stakeholder group '{profile}', normalised to sum 1.",
    ),
    "mcda.weights.panel-mean": (
        "Vektene er panelets samlede vekter: gjennomsnittet av de normaliserte vektene til {groups:number0} "
        "interessentgrupper.",
        "The weights are the panel's combined weights: the mean of the normalised weights of {groups:number0} "
        "stakeholder groups.",
    ),
    "mcda.weights.panel-geomean": (
        "Vektene er panelets samlede vekter: det geometriske gjennomsnittet av de normaliserte vektene til "
        "{groups:number0} interessentgrupper, normalisert på nytt til sum 1.",
        "The weights are the panel's combined weights: the geometric mean of the normalised weights of "
        "{groups:number0} stakeholder groups, renormalised to sum 1.",
    ),
    "mcda.weights.ahp": (
        "Vektene kommer fra AHP-sammenligningene (hovedegenvektoren, Saaty), multiplisert nedover verditreet.",
        "The weights come from the AHP pairwise comparisons (principal eigenvector, Saaty), multiplied down the "
        "value tree.",
    ),
    "mcda.weights.explicit": (
        "Vektene er satt direkte i scenarioet og normalisert til sum 1.",
        "The weights are set in the scenario itself and normalised to sum 1.",
    ),
    # --- SMAA ---------------------------------------------------------------------------------------------------
    "smaa.method": (
        "Hver trekning rangeres med {label[nb]}.",
        "Each draw is ranked by {label[en]} ({method}).",
    ),
    "smaa.samples": (
        "{samples:number0} trekninger med frø {seed}; samme frø gir de samme tallene.",
        "{samples:number0} draws with seed {seed}; the same seed gives the same numbers.",
    ),
    "smaa.weights": (
        "Vektene varierer innenfor ±{spread:percent0} av vektene rangeringen bruker, og normaliseres så til sum 1.",
        "Weights vary within ±{spread:percent0} of the weights the ranking uses, then renormalised to sum 1.",
    ),
    "smaa.weights.bounds": (
        "Hver vekt trekkes jevnt innenfor sine egne grenser og normaliseres så til sum 1.",
        "Each weight is drawn uniformly within its own bounds, then renormalised to sum 1.",
    ),
    "smaa.weights.uniform": (
        "Vektene trekkes jevnt fordelt blant alle vektsett som summerer til 1 (ingen kunnskap om vektene).",
        "Weights are drawn uniformly from all weight sets that sum to 1 (no preference information).",
    ),
    "smaa.weights.order": (
        "Bare rekkefølgen av vektene er kjent: vektsett trekkes jevnt fordelt og sorteres etter den rekkefølgen.",
        "Only the order of the weights is known: weight sets are drawn uniformly and sorted to that order.",
    ),
    "smaa.weights.profiles": (
        "Hver trekning bruker vektene til én av {groups:number0} interessentgrupper, variert innenfor "
        "±{spread:percent0}.",
        "Each draw takes the weights of one of {groups:number0} stakeholder groups, varied within ±{spread:percent0}.",
    ),
    "smaa.weights.fixed": (
        "Vektene holdes faste; bare skårene varierer.",
        "The weights are held fixed; only the scores vary.",
    ),
    "smaa.scores": (
        "Hver skår trekkes fra en triangelfordeling mellom lav og høy verdi, med toppunkt i mest sannsynlige verdi.",
        "Each score is drawn from a triangular distribution between its low and high value, with its mode at the "
        "most likely value.",
    ),
    "smaa.scores.pert": (
        "Hver skår trekkes fra en PERT-fordeling (beta, λ = {lam:number0}) mellom lav og høy verdi, med toppunkt i "
        "mest sannsynlige verdi.",
        "Each score is drawn from a PERT distribution (beta, λ = {lam:number0}) between its low and high value, with "
        "its mode at the most likely value.",
    ),
    "smaa.scores.fixed": (
        "Skårene holdes på mest sannsynlige verdi; bare vektene varierer.",
        "Scores are held at their most likely value; only the weights vary.",
    ),
    # --- deterministic sensitivity ---------------------------------------------------------------------------------
    "sensitivity.method": (
        "Analysen bruker {label[nb]}.",
        "The analysis uses {label[en]} ({method}).",
    ),
    "sensitivity.rescale": (
        "Når én vekt endres, skaleres de andre vektene i forhold til hverandre slik at summen fortsatt er 1.",
        "When one weight changes, the others are rescaled in proportion so that they still sum to 1.",
    ),
    "sensitivity.exact": (
        "Grensene er eksakte: metodens skår er lineær i vektene.",
        "The limits are exact: the method's score is linear in the weights.",
    ),
    "sensitivity.grid": (
        "Grensene er lest av et rutenett på {points:number0} vektpunkter mellom 0 og 1.",
        "The limits are read off a grid of {points:number0} weight points from 0 to 1.",
    ),
    "sensitivity.search": (
        "Vektgrensene søkes på et rutenett av {points:number0} punkter og forfines ved {steps:number0} halveringer.",
        "Weight limits are searched on a grid of {points:number0} points and refined by {steps:number0} halvings.",
    ),
    "sensitivity.sweep": (
        "Hver vekt går fra 0 til 1 i {points:number0} punkter.",
        "Each weight runs from 0 to 1 in {points:number0} points.",
    ),
    "sensitivity.tornado": (
        "Hver skår settes til sin lave og sin høye verdi, én om gangen; alt annet står på mest sannsynlige verdi.",
        "Each score is set to its low and to its high value, one at a time; everything else stays at its most "
        "likely value.",
    ),
    "sensitivity.what_it_takes": (
        "For hvert alternativ som ikke vinner: den minste endringen av én vekt, eller av én av dets egne skårer "
        "(innenfor kriteriets skala), som gjør det likt med lederen.",
        "For each option that does not win: the smallest change of one weight, or of one of its own scores "
        "(within the criterion's scale), that draws it level with the leader.",
    ),
    # --- stakeholders ---------------------------------------------------------------------------------------------
    "stakeholders.groups": (
        "{groups:number0} interessentgrupper har egne vekter; hver gruppes vekter er normalisert til sum 1.",
        "{groups:number0} stakeholder groups have weights of their own; each group's weights are normalised to sum 1.",
    ),
    "stakeholders.panel": (
        "Panelets samlede vekter er gjennomsnittet og det geometriske gjennomsnittet av gruppenes vekter (det "
        "geometriske normalisert på nytt til sum 1).",
        "The panel's combined weights are the mean and the geometric mean of the groups' weights (the geometric "
        "mean renormalised to sum 1).",
    ),
    "stakeholders.agreement": (
        "Samsvar er Kendalls τ-b mellom rangeringene til hvert par av grupper og Kendalls W over alle gruppene, "
        "korrigert for delte plasser.",
        "Agreement is Kendall's τ-b between the rankings of every pair of groups and Kendall's W over all groups, "
        "corrected for shared ranks.",
    ),
    "stakeholders.leave_one_out": (
        "Panelets vinner beregnes på nytt uten hver gruppe, én om gangen.",
        "The panel's winner is found again without each group, one at a time.",
    ),
}
