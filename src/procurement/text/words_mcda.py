"""Words and sentences of ranking, weights, stakeholders and uncertainty (mcda/, uncertainty/), in bokmål and English.

``LABELS``: key -> (bokmål, English) word or header, merged into :data:`procurement.text.labels.LABELS`.
``SENTENCES``: key -> (bokmål, English) template with ``{name:kind}`` fields, merged into
:data:`procurement.text.sentences.SENTENCES` (see that module for the kinds). Keys are prefixed with the part
they belong to (``mcda.``); a key defined twice anywhere is an error at import.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {}

SENTENCES: dict[str, tuple[str, str]] = {
    # SMAA-2: what a result assumed (values: method; samples, seed; spread; the score model picks its key)
    "smaa.method": ("SMAA rangerer med {method:method}, den første av scenarioets metoder.",
                    "SMAA ranks with {method:method}, the first of the scenario's methods."),
    "smaa.samples": ("Andelene bygger på {samples:number0} trekk av vekter og skårer (frø {seed:text}; samme frø gir "
                     "samme tall).",
                     "The shares rest on {samples:number0} draws of weights and scores (seed {seed:text}; the same seed "
                     "gives the same numbers)."),
    "smaa.weights": ("Vektene varierer innenfor ±{spread:percent0} av scenarioets vekter.",
                     "The weights vary within ±{spread:percent0} of the scenario's weights."),
    "smaa.weights_uniform": ("Vektene trekkes fritt, uten noe om hvilke kriterier som betyr mest.",
                             "The weights are drawn freely, with nothing said about which criteria matter most."),
    "smaa.weights_order": ("Vektene trekkes slik at kriterienes rekkefølge etter viktighet holder.",
                           "The weights are drawn keeping the criteria's order of importance."),
    "smaa.weights_profiles": ("Vektene trekkes fra interessentgruppenes vektprofiler, hver variert innenfor "
                              "±{spread:percent0}.",
                              "The weights are drawn from the stakeholder groups' weight profiles, each varied within "
                              "±{spread:percent0}."),
    "smaa.weights_fixed": ("Vektene holdes faste.", "The weights are held fixed."),
    "smaa.scores": ("Skårene trekkes fra en triangelfordeling over lav, mest sannsynlig og høy verdi.",
                    "The scores are drawn from a triangular distribution over their low, likely and high values."),
    "smaa.scores_pert": ("Skårene trekkes fra en PERT-fordeling over lav, mest sannsynlig og høy verdi.",
                         "The scores are drawn from a PERT distribution over their low, likely and high values."),
    "smaa.scores_fixed": ("Skårene holdes på sin mest sannsynlige verdi.", "The scores are held at their likely values."),
}
