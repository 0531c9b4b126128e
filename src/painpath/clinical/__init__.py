"""Pure clinical domain logic: stdlib only, no I/O, no clock, no randomness.

Every clinical constant cites its source; rules are versioned data a clinic can review and localise.
"""
