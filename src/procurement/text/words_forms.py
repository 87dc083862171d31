"""Words of the Excel forms (stakeholder weighting forms and tender evaluator forms) and of the commands that write
and collect them (``procurement forms``, ``collect``, ``tender forms``, ``tender collect``), in bokmål and English.

``LABELS``: key -> (bokmål, English) word, header or instruction, merged into :data:`procurement.text.labels.LABELS`.
``SENTENCES``: key -> (bokmål, English) template, merged into :data:`procurement.text.sentences.SENTENCES`. Keys
are prefixed ``form.`` (weighting forms), ``tform.`` (tender evaluator forms) and ``forms.`` (the commands' lines).
Criterion names come from the case files (``label: {nb: …, en: …}``), never from here.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # weighting forms (procurement forms)
    "form.sheet": ("Skjema", "Form"),
    "form.title": ("Vektskjema: {decision}", "Weighting form: {decision}"),
    "form.case": ("Sak", "Case"),
    "form.group": ("Interessentgruppe", "Stakeholder group"),
    "form.respondent": ("Ditt navn", "Your name"),
    "form.date": ("Dato (dd.mm.åååå)", "Date (dd.mm.yyyy)"),
    "form.id": ("kriterie-id", "criterion id"),
    "form.criterion": ("kriterium", "criterion"),
    "form.description": ("beskrivelse", "description"),
    "form.description_en": ("beskrivelse (på engelsk)", "description"),  # a description the case gives in English only
    "form.range": ("fra dårligst til best", "from worst to best"),
    "form.sum": ("sum", "sum"),
    "form.rubric": ("Rubrikk", "Rubric"),
    "form.level": ("nivå", "level"),
    "form.points": ("poeng (0–100)", "points (0-100)"),
    "form.rank": ("rangering (1 = viktigst)", "rank (1 = most important)"),
    "form.swing": ("svingvekt (0–100)", "swing weight (0-100)"),
    "form.how.points": ("Fordel 100 poeng på kriteriene: flere poeng til det som betyr mer. Summen må bli 100.",
                        "Distribute 100 points over the criteria: more points for what matters more. The sum must be 100."),
    "form.how.rank": ("Ranger kriteriene: 1 for det viktigste, 2 for det neste, og så videre, hvert tall én gang.",
                      "Rank the criteria: 1 for the most important, 2 for the next, and so on, each number once."),
    "form.how.swing": ("Tenk deg hvert kriterium på sitt dårligste. Hvilken endring fra dårligst til best ville du valgt "
                       "først? Gi den 100. Gi hver av de andre endringene 0–100: hvor mye den er verdt sammenlignet med den.",
                       "Imagine every criterion at its worst. Which change from worst to best would you choose first? "
                       "Give it 100. Give every other change 0-100: how much it is worth compared with that one."),
    "form.how.all": ("Fyll bare inn de hvite cellene og send filen tilbake. Navn og dato lagres sammen med vektene.",
                     "Fill in the white cells only and return the file. Your name and the date are recorded with the weights."),
    "form.higher": ("høyere er bedre", "higher is better"),
    "form.lower": ("lavere er bedre", "lower is better"),
    "form.method.points": ("poeng", "points"),
    "form.method.rank": ("rangering", "rank"),
    "form.method.swing": ("svingvekt", "swing"),
    # tender evaluator forms (procurement tender forms)
    "tform.scores": ("Poeng", "Scores"),
    "tform.rubric": ("Rubrikk", "Rubric"),
    "tform.about": ("Om skjemaet", "About"),
    "tform.tenderer": ("tilbyder", "tenderer"),
    "tform.tenderer_name": ("tilbydernavn", "tenderer name"),
    "tform.criterion": ("kriterium", "criterion"),
    "tform.criterion_label": ("kriterienavn", "criterion label"),
    "tform.scale": ("skala", "scale"),
    "tform.score": ("poeng", "score"),
    "tform.justification": ("begrunnelse", "justification"),
    "tform.label": ("navn", "label"),
    "tform.weight": ("vekt", "weight"),
    "tform.level": ("nivå", "level"),
    "tform.meaning": ("betydning", "meaning"),
    "tform.meaning_en": ("betydning (på engelsk)", "meaning"),  # the rubric texts of model.yaml are in English
    "tform.competition": ("konkurranse", "competition"),
    "tform.evaluator": ("evaluator", "evaluator"),
    "tform.model_sha256": ("modellens sha256", "model_sha256"),
    "tform.instructions": ("veiledning", "instructions"),
    "tform.how": ("Fyll inn poeng og begrunnelse på hver rad; de andre cellene er låst.",
                  "Fill in score and justification for every row; other cells are locked."),
    "tform.outside": ("poeng utenfor skalaen", "score outside the scale"),
}

SENTENCES: dict[str, tuple[str, str]] = {
    "forms.wrote": ("skrev {path}", "wrote {path}"),
    "forms.written": ("skrevet: {path}", "written: {path}"),
    "forms.skipped": ("{n} skjema hoppet over", "{n} forms skipped"),
    "forms.skipped_one": ("1 skjema hoppet over", "1 form skipped"),
    "forms.ok": ("{path}: OK — beslutning {decision}, gruppe {group}, {n} kriterier, {method}{total}, {respondent}, {date}",
                 "{path}: OK — decision {decision}, group {group}, {n} criteria, {method}{total}, {respondent}, {date}"),
    "forms.sum": (", sum {sum:numberg}", ", sum {sum:numberg}"),
}
