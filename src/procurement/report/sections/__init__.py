"""Report sections: what each part of the report shows, rendered from the engine's results (tables with labels,
Markdown sentences). One module per part (``cba`` for 04-cost-benefit and the summary, ``tender`` for
08-tender-evaluation); each imports only the public API (``procurement``), ``procurement.text``,
``procurement.plots`` and the report's own modules."""
