"""Words and sentences of procurement law, routes, timelines and risks (law/), in bokmål and English.

``LABELS``: key -> (bokmål, English) word or header, merged into :data:`procurement.text.labels.LABELS`.
``SENTENCES``: key -> (bokmål, English) template with ``{name:kind}`` fields, merged into
:data:`procurement.text.sentences.SENTENCES` (see that module for the kinds). Keys are prefixed with the part
they belong to (``law.``); a key defined twice anywhere is an error at import.

A template may use a field in one language only: the reasons name a ground by its id in English (``{ids}``)
and by its bokmål text in bokmål (``{names}``), and English route answers write dates as ISO text (``{date}``)
where bokmål writes them as dates (``{date:date}``).
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # a screen that is not a criterion, named in the screened-out table (mcda/screening.py, screening.yaml)
    "screen.who-may-use": ("Hvem kan bruke kontrakten", "Who may use the contract"),
    # the parts of FOA when the rules folder names none (thresholds.yaml `parts` names them otherwise)
    "law.part.outside": ("Utenfor anskaffelsesregelverket", "Outside the procurement rules"),
    "law.part.I": ("FOA del I (alminnelige regler)", "FOA Part I (general rules)"),
    "law.part.II": ("FOA del II (nasjonal prosedyre)", "FOA Part II (national procedure)"),
    "law.part.III": ("FOA del III (EØS-prosedyre)", "FOA Part III (EEA procedure)"),
    # the bounds a reason names
    "law.bound.zero": ("0", "0"),
    "law.bound.floor": ("den nedre grensen i anskaffelsesloven § 2", "the lower limit of anskaffelsesloven § 2"),
    "law.bound.national": ("den nasjonale terskelverdien", "the national threshold"),
    "law.bound.eea": ("EØS-terskelverdien", "the EEA threshold"),
    # access to a procedure
    "law.access.outside": ("utenfor regelverket", "outside the rules"),
    # who may use the contract
    "law.screen.all_met": ("Alle krav er oppfylt", "Every requirement is met"),
    # periods of a threshold row
    "law.period.always": ("alltid", "always"),
    # the route answer as text (procurement route)
    "law.cli.regulation": ("Regelverk", "Regulation"),
    "law.cli.part": ("Del", "Part"),
    "law.cli.reason": ("Begrunnelse", "Reason"),
    "law.cli.row": ("Terskelverdirad brukt", "Threshold row used"),
    "law.cli.national": ("Nasjonal terskelverdi", "National threshold"),
    "law.cli.floor": ("Nedre grense (anskaffelsesloven § 2)", "Lower limit (anskaffelsesloven § 2)"),
    "law.cli.boundary": ("Grense: en verdi lik en terskelverdi regnes som lik eller over den.",
                         "Boundary: a value at a threshold counts as at or above it."),
    "law.cli.grounds": ("Grunnlag oppgitt", "Grounds given"),
    "law.cli.allowed": ("Tillatte prosedyrer", "Allowed procedures"),
    "law.cli.not_allowed": ("Ikke tillatt", "Not allowed"),
    "law.cli.notes": ("Merknader", "Notes"),
    "law.cli.notice": ("Kunngjøring", "Notice"),
    "law.cli.verified": ("verifisert", "verified"),
    "law.cli.unverified": ("IKKE VERIFISERT", "UNVERIFIED"),
    "law.cli.no": ("NEI (sjekk kilden)", "NO (check the source)"),
    "law.cli.assumptions": ("Forutsetninger", "Assumptions"),
}

SENTENCES: dict[str, tuple[str, str]] = {
    # amounts and reasons (procurement.law.thresholds)
    "law.nok": ("{value:number0} kr", "NOK {value:number0}"),
    "law.band.at_or_above": ("{value} er lik eller over {lo}{ref}", "{value} is at or above {lo}{ref}"),
    "law.band.below": ("{value} er under {hi}{ref}", "{value} is below {hi}{ref}"),
    "law.band.between": ("{value} er lik eller over {lo} og under {hi}{ref}", "{value} is at or above {lo} and below {hi}{ref}"),
    "law.note.regime_unverified": ("regimet «{regime}» ({regulation}) er ikke verifisert; se kilden i thresholds.yaml",
                                   "the regime '{regime}' ({regulation}) is unverified: {source}"),
    "law.note.floor_unverified": ("den nedre grensen {value:number0} kr (rad {row}) er ikke bekreftet i en primærkilde: "
                                  "{source}",
                                  "the lower limit NOK {value:number0} (row {row}) is not confirmed in a primary source: "
                                  "{source}"),
    "law.note.row_unverified": ("terskelverdiraden {row} er ikke verifisert; se kilden i thresholds.yaml",
                                "threshold row {row} is unverified: {source}"),
    "law.note.stale": ("raden {row} har vært i kraft siden {valid_from:date}; terskelverdiene endres hvert annet år, "
                       "så sjekk at den fortsatt gjelder",
                       "row {row} has been in force since {valid_from}; the thresholds are revised every two years, so "
                       "check that it is still current on {date} and add the new row to thresholds.yaml if not"),
    # access to a procedure (procurement.law.procedures)
    "law.access.in_part": ("i del {part}", "in Part {part}"),
    "law.access.always": ("alltid tillatt {where}", "always allowed {where}"),
    "law.access.ground": ("grunnlag: {text}", "ground '{ground}': {text}"),
    "law.access.needs_one": ("krever ett av grunnlagene i {citation}: {names}",
                             "needs one of the {citation} grounds: {ids} (give --grounds)"),
    "law.access.needs_all": ("krever alle vilkårene i {citation}; mangler: {names}",
                             "needs all of the {citation} conditions; missing: {ids} (give --grounds)"),
    "law.access.all_hold": ("alle vilkårene er oppfylt: {names}", "all conditions hold: {names}"),
    "law.access.no_rule": ("{file} har ingen tilgangsregel for del {part}", "{file} gives no access rule for part {part}"),
    # who may use the contract (procurement.law.whomayuse)
    "law.screen.passes_if": ("bestått dersom: {conditions}", "passes if: {conditions}"),
    "law.screen.not_a_fix": ("«{condition}» oppfyller ikke kravet: {why}.", "'{condition}' does not meet it: {why}."),
    "law.screen.not_met": ("krav ikke oppfylt: {requirements}", "requirement not met: {requirements}"),
    # a decision without a timeline (procurement.law.case_route)
    "law.no_timeline.other": ("{path} gjelder beslutningen «{other}»", "{path} holds the decision '{other}'"),
    "law.no_timeline.none": ("saken har ingen {path}", "the case has no {path}"),
    "law.no_timeline.waits": ("Denne beslutningen har ingen tidslinje ({why}), så ledetidene for vilkårene (†) flytter "
                              "ingen kontraktsdato; de står i screeningtabellen nedenfor.",
                              "This decision has no timeline ({why}), so the lead times of its conditions (†) move no "
                              "contract date; they are in the screening table below."),
    "law.no_timeline.no_date": ("Denne beslutningen har ingen tidslinje ({why}), så den har ingen kontraktsdato å vise.",
                                "This decision has no timeline ({why}), so there is no contract date to show."),
    # a date in the route table: bokmål as a date, English as ISO text
    "law.table.date": ("{date:date}", "{date}"),
    # the route answer as text (procurement route)
    "law.cli.query": ("Verdi {value} ekskl. mva., oppdragsgiver {authority}, type {kind} ({category}), dato {date:date}",
                      "Value {value} excl. VAT, authority {authority}, kind {kind} ({category}), date {date}"),
    "law.cli.standstill": ("Karensperiode {days} dager ({citation}); unntak:",
                           "Standstill {days} days ({citation}); exceptions:"),
    "law.period.between": ("{start:date}–{end:date}", "{start} to {end}"),
    "law.period.from": ("fra {start:date}", "from {start}"),
    "law.period.until": ("til {end:date}", "until {end}"),
    # the route line of the summary (report 07)
    "law.route_line": ("{name} bruker {procedure_lower} etter {part}; tidligste kontraktssignering {when:date}, "
                       "om {months:number0} måneder.",
                       "{name} uses {procedure_initial_lower} under {part}; earliest contract signature {when:date}, "
                       "in {months:number0} months."),
    "law.route_line_needs": ("Merk: prosedyren er ikke tillatt på grunnlagene som er registrert i saken ({needs}).",
                             "Note: the procedure is not allowed on the grounds recorded in the case ({needs})."),
    # what an answer assumed (result.assumptions -> describe())
    "law.assume.date": ("Terskelverdiene er de som gjelder {date:date}.", "The thresholds are those in force on {date:date}."),
    "law.assume.regime": ("Regelverk: {regulation_nb} (regime «{regime}», {citation}).",
                          "Regulation: {regulation_en} (regime '{regime}', {citation})."),
    "law.assume.regime_unverified": ("Regimet «{regime}» er ikke kontrollert i primærkilden; se kilden i thresholds.yaml.",
                                     "The regime '{regime}' is not verified in the primary source: {source}."),
    "law.assume.eea_from": ("EØS-terskelverdien er {value:number0} kr (rad {row}, i kraft fra {valid_from:date}; {citation}).",
                            "The EEA threshold is NOK {value:number0} (row {row}, in force from {valid_from:date}; "
                            "{citation})."),
    "law.assume.eea_between": ("EØS-terskelverdien er {value:number0} kr (rad {row}, i kraft {valid_from:date}–"
                               "{valid_to:date}; {citation}).",
                               "The EEA threshold is NOK {value:number0} (row {row}, in force from {valid_from:date} to "
                               "{valid_to:date}; {citation})."),
    "law.assume.national_from": ("Den nasjonale terskelverdien er {value:number0} kr (rad {row}, i kraft fra "
                                 "{valid_from:date}; {citation}).",
                                 "The national threshold is NOK {value:number0} (row {row}, in force from {valid_from:date}; "
                                 "{citation})."),
    "law.assume.national_between": ("Den nasjonale terskelverdien er {value:number0} kr (rad {row}, i kraft "
                                    "{valid_from:date}–{valid_to:date}; {citation}).",
                                    "The national threshold is NOK {value:number0} (row {row}, in force from "
                                    "{valid_from:date} to {valid_to:date}; {citation})."),
    "law.assume.floor_from": ("Den nedre grensen for regelverket er {value:number0} kr (rad {row}, i kraft fra "
                              "{valid_from:date}; {citation}).",
                              "The lower limit of the rules is NOK {value:number0} (row {row}, in force from "
                              "{valid_from:date}; {citation})."),
    "law.assume.floor_between": ("Den nedre grensen for regelverket er {value:number0} kr (rad {row}, i kraft "
                                 "{valid_from:date}–{valid_to:date}; {citation}).",
                                 "The lower limit of the rules is NOK {value:number0} (row {row}, in force from "
                                 "{valid_from:date} to {valid_to:date}; {citation})."),
    "law.assume.verified": ("Raden {row} er kontrollert i primærkilden.", "Row {row} is verified in the primary source."),
    "law.assume.unverified": ("Raden {row} er ikke kontrollert i primærkilden; se kilden i thresholds.yaml.",
                              "Row {row} is not verified in the primary source: {source}."),
    "law.assume.boundary": ("En verdi lik en terskelverdi regnes som lik eller over den.",
                            "A value at a threshold counts as at or above it."),
    "law.assume.grounds": ("Grunnlag som oppgis å foreligge: {grounds}.", "Grounds said to hold: {grounds}."),
    "law.assume.headroom_percent": ("Grensen for endringer er den minste av EØS-terskelverdien og {share:percent0} av "
                                    "den opprinnelige kontraktsverdien ({citation}).",
                                    "The limit for changes is the smaller of the EEA threshold and {share:percent0} of the "
                                    "original contract value ({citation})."),
    "law.assume.used": ("Endringer som allerede er gjort, teller med: {count:number0}, til sammen {total:number0} kr.",
                        "Changes already made count towards it: {count:number0}, NOK {total:number0} in total."),
    "law.assume.timeline_file": ("Fasene og varighetene kommer fra {file}; ingen fase er kortere enn den lovbestemte "
                                 "minstefristen.",
                                 "The phases and durations come from {file}; no phase is shorter than its statutory "
                                 "minimum time limit."),
    "law.assume.start": ("Anskaffelsene starter {start:date}.", "The procurements start on {start:date}."),
    "law.assume.part": ("Alternativene følger {label_nb} når tidslinjefilen ikke sier noe annet for et alternativ.",
                        "The options follow {label_en} unless the timeline file says otherwise for an option."),
    "law.assume.standstill": ("Karensperioden på {days:number0} dager kommer til slutt, før kontrakten signeres "
                              "({citation}).",
                              "The standstill period of {days:number0} days comes last, before the contract is signed "
                              "({citation})."),
    "law.assume.lead_times": ("Et alternativ som består dersom et vilkår er oppfylt (†), venter på vilkåret før "
                              "anskaffelsen starter; det gjelder {options:number0} av alternativene.",
                              "An option that passes if a condition holds (†) waits for the condition before its "
                              "procurement starts; this applies to {options:number0} of the options."),
    "law.assume.enforcement_delay": ("Kontraktsdatoen P85 legger til forsinkelsen ved P85 av klage, midlertidig forføyning "
                                     "og kontrakt uten virkning ({file}).",
                                     "The P85 contract date adds the P85 delay of complaints, injunctions and "
                                     "ineffectiveness ({file})."),
    "law.assume.months": ("Måneder er kalenderdager delt på {days_per_year:number2} / 12.",
                          "Months are calendar days divided by {days_per_year:number2} / 12."),
    "law.assume.illustrative": ("Tidslinjen er illustrativ.", "The timeline is illustrative."),
    "law.assume.risk_mean": ("Forventet risikoskår er gjennomsnittet av sannsynlighet × konsekvens over alternativets "
                             "risikoer (1–25; lavere er bedre), fra {file}.",
                             "The expected risk score is the mean of probability × consequence over the option's risks "
                             "(1–25; lower is better), from {file}."),
    "law.assume.risk_sum": ("Forventet risikoskår er summen av sannsynlighet × konsekvens over alternativets risikoer "
                            "(lavere er bedre), fra {file}.",
                            "The expected risk score is the sum of probability × consequence over the option's risks "
                            "(lower is better), from {file}."),
    "law.assume.enforcement": ("Kostnad og forsinkelse ved klage, forføyning, gebyr og uten virkning kommer fra {file}; "
                               "hendelsene regnes som uavhengige.",
                               "The cost and delay of complaints, injunctions, fines and ineffectiveness come from {file}; "
                               "the events are taken as independent."),
}
