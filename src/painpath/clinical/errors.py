"""Domain errors of the pure clinical core.

Messages carry identifiers (instrument codes, link ids, drug codes), never patient names or other PHI.
"""

from __future__ import annotations


class DomainError(Exception):
    """A clinical rule refused the input; the message says which rule and why."""


class InvalidAnswer(DomainError):
    """An answer is outside the response options of its item."""


class IncompleteResponse(DomainError):
    """Not enough answers to compute a score under the instrument's missing-item rule."""


class UnknownCode(DomainError):
    """A code (instrument, drug, exercise, rule) is not in the shipped tables."""


class DoseAboveCeiling(DomainError):
    """A dose would exceed the label maximum or the renal maximum."""


class StepNotPermitted(DomainError):
    """A progression or pathway step is not allowed from the current state."""
