"""Report sections: what one report notebook shows, built from the engine's results (``import procurement``) with
words from :mod:`procurement.text`; one module per notebook part (``tender`` for 08-tender-evaluation)."""
