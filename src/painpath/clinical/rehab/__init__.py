"""Rehabilitation clinical core: exercise library, programme builder, pacing, graded exposure,
desensitisation and sensory retraining, graded motor imagery, adherence.

Pure functions over frozen values; thresholds and the exercise library are versioned data shipped in
`data/` and loaded with importlib.resources. Sources: shared/clinical-reference.md section 5.
"""
