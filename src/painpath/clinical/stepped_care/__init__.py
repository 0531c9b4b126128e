"""Stepped care: the pathway steps and data-driven routing rules."""

from painpath.clinical.stepped_care.pathway import (
    PATHWAY,
    STEP_ORDER,
    PathwayStep,
    Step,
    higher_step,
)
from painpath.clinical.stepped_care.routing import (
    FiredRule,
    InvalidRoutingRule,
    Op,
    Predicate,
    RoutingDecision,
    RoutingRule,
    facts_from,
    load_routing_rules,
    merge_routing_rules,
    route,
)

__all__ = [
    "PATHWAY",
    "STEP_ORDER",
    "FiredRule",
    "InvalidRoutingRule",
    "Op",
    "PathwayStep",
    "Predicate",
    "RoutingDecision",
    "RoutingRule",
    "Step",
    "facts_from",
    "higher_step",
    "load_routing_rules",
    "merge_routing_rules",
    "route",
]
