"""Start and exchange a case without code: a scaffold (:mod:`.scaffold`), one Excel workbook for the whole case
(:mod:`.workbook`) and weight forms for stakeholders (:mod:`.forms`)."""
