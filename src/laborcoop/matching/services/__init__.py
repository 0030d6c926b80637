"""Matching services: runs of the engine that store recommendations (run.py) and their state changes
(transitions.py)."""

from laborcoop.matching.services.run import recommendations_for_job, recommendations_for_laborer
from laborcoop.matching.services.transitions import (
    recommendation_respond_by_link,
    recommendation_transition,
)

__all__ = [
    "recommendation_respond_by_link",
    "recommendation_transition",
    "recommendations_for_job",
    "recommendations_for_laborer",
]
