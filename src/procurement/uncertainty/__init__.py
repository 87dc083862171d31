"""Uncertainty: SMAA-2 and sensitivity (weight sweeps, stability intervals, what would it take)."""
