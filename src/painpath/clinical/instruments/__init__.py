"""Questionnaire engine: instruments declared as data, scored by one pure function each.

Entry points: `registry.score(code, answers)`, `registry.INSTRUMENTS`, `change.compare(...)`,
`bundles.BUNDLES`. Model types live in `spec`, band codes in `bands`.
"""
