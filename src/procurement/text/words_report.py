"""Words and sentences of the report face (report/: the data check, the summary's key findings), in bokmål and English.

``LABELS``: key -> (bokmål, English) word or header, merged into :data:`procurement.text.labels.LABELS`.
``SENTENCES``: key -> (bokmål, English) template with ``{name:kind}`` fields, merged into
:data:`procurement.text.sentences.SENTENCES` (see that module for the kinds). Keys are prefixed with the part
they belong to (``report.``); a key defined twice anywhere is an error at import.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # the data check of report 01: what was read and checked
    "check_files": ("filer lest og kontrollert", "files read and checked"),
    "check_options": ("alternativer", "options"),
    "check_criteria": ("kriterier", "criteria"),
    "check_scores": ("trepunktsskårer (lav ≤ mest sannsynlig ≤ høy, på skalaen, med begrunnelse og kilde)",
                     "three-point scores (low ≤ likely ≤ high, on scale, with rationale and source)"),
    "check_profiles": ("vektprofiler for interessenter", "stakeholder weight profiles"),
    "check_cashflows": ("kontantstrømrader for denne beslutningen", "cash-flow rows for this decision"),
    "check_passing": ("alternativer som oppfyller minstekravene", "options passing the must-pass rules"),
    "check_excluded": ("alternativer utelatt av minstekravene", "options excluded by must-pass rules"),
    "check_none_pass": ("ingen", "none pass"),
    # the first sheet of the workbook: about the run
    "about_scenario": ("Scenario", "Scenario"),
    "about_description": ("Beskrivelse", "Description"),
    "about_case": ("Sak (mappe)", "Case (folder)"),
    "about_scenario_file": ("Scenariofil", "Scenario file"),
    "about_started": ("Startet", "Started"),
    "about_parameter": ("Parameter", "Parameter"),
    # the links between the report's pages
    "nav_index": ("Innhold", "Contents"),
    "nav_previous": ("Forrige", "Previous"),
    "nav_next": ("Neste", "Next"),
    "nav_contents": ("Innhold", "Contents"),
    "nav_workbook": ("Tabellene i Excel", "The tables in Excel"),
    "nav_pdf": ("Hele rapporten som PDF", "The whole report as PDF"),
    "nav_summary_first": ("Sammendraget først, deretter hver del av analysen.",
                          "The summary first, then each part of the analysis."),
    "nav_report": ("Rapport", "Report"),
    "nav_answer": ("Svaret i korte trekk", "The answer in brief"),
    "nav_run_date": ("Kjørt", "Run"),
}

SENTENCES: dict[str, tuple[str, str]] = {
    # the summary's key findings (07): names from the case files come escaped for Markdown
    "report.leader_agree": ("**{name:text}** rangeres først med {method:method} og alle valgte metoder er enige.",
                            "**{name:text}** ranks first by {method:method}, and every chosen method agrees."),
    "report.leader_disagree": ("**{name:text}** rangeres først med {method:method}; de valgte metodene er ikke enige "
                               "om førsteplassen.",
                               "**{name:text}** ranks first by {method:method}; the chosen methods disagree about "
                               "first place."),
    "report.excluded": ("Utelatt av et absolutt krav: {names:text}.", "Removed by a hard requirement: {names:text}."),
    "report.smaa_first": ("Med usikre vekter og skårer (SMAA) kommer {name:text} først i {share:percent0} av trekkene.",
                          "With uncertain weights and scores (SMAA), {name:text} comes first in {share:percent0} of the "
                          "draws."),
    "report.smaa_first_others": ("Med usikre vekter og skårer (SMAA) kommer {name:text} først i {share:percent0} av "
                                 "trekkene; også {others:text} kan komme først.",
                                 "With uncertain weights and scores (SMAA), {name:text} comes first in {share:percent0} "
                                 "of the draws; {others:text} can also come first."),
    "report.npv_best": ("Høyest netto nåverdi blant de rangerte alternativene: **{name:text}** ({npv:money0}; "
                        "P50 {p50:number0}).",
                        "Highest net present value among the ranked options: **{name:text}** ({npv:money0}; "
                        "P50 {p50:number0})."),
    "report.route_line_past": (
        "{name:text} bruker {procedure_lower:text} etter {part:text}; tidligste kontraktssignering etter tidslinjen var "
        "{when:date}, før kjøringsdatoen {today:date}, så tidslinjen må oppdateres.",
        "{name:text} uses {procedure_initial_lower:text} under {part:text}; the earliest contract signature in the "
        "timeline was {when:date}, before the run date {today:date}, so the timeline needs updating.",
    ),
    "report.npv_leader": ("{name:text}: netto nåverdi {npv:money0}.", "{name:text}: net present value {npv:money0}."),
    "report.stakeholders_first": ("{firsts:number0} av {groups:number0} vektsett setter {name:text} først.",
                                  "{firsts:number0} of {groups:number0} weight sets put {name:text} first."),
    # the ranking of the summary (values: methods)
    "report.methods": ("Rangert med {methods:methods}; plass 1 er best.",
                       "Ranked by {methods:methods}; rank 1 is best."),
}
