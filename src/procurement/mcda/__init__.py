"""Multi-criteria decision analysis: the method registry, PROMETHEE II, weights, AHP, value functions,
screening, ranking, method comparison and stakeholder panels."""
