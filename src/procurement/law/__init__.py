"""Procurement law as cited data: FOA regimes and procedures, timelines, contract headroom, standard contracts, risks."""
