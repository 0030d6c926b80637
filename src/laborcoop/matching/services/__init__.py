"""Matching services: runs of the engine that store recommendations (run.py) and their state changes
(transitions.py), and the per-province factor weights (weights.py)."""

from laborcoop.matching.services.batch import (
    access_matching_run,
    can_start_matching_run,
    matching_run_create,
    matching_run_execute,
    matching_run_retry,
    matching_runs_for,
)
from laborcoop.matching.services.run import (
    recommendations_for_job,
    recommendations_for_laborer,
    recommendations_for_laborers,
)
from laborcoop.matching.services.transitions import (
    Interview,
    recommendation_respond_by_link,
    recommendation_transition,
)
from laborcoop.matching.services.weights import matching_weights_for, matching_weights_set

__all__ = [
    "Interview",
    "access_matching_run",
    "can_start_matching_run",
    "matching_run_create",
    "matching_run_execute",
    "matching_run_retry",
    "matching_runs_for",
    "matching_weights_for",
    "matching_weights_set",
    "recommendation_respond_by_link",
    "recommendation_transition",
    "recommendations_for_job",
    "recommendations_for_laborer",
    "recommendations_for_laborers",
]
