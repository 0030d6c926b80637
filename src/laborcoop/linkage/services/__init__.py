"""Writes of the comparison feature (数据比对): upload and mapping, the run, the review, the feedback file."""

from laborcoop.linkage.services.feedback import comparison_feedback_export
from laborcoop.linkage.services.review import (
    comparison_change_accept,
    comparison_change_reject,
    comparison_changes_accept_high,
)
from laborcoop.linkage.services.run import comparison_run
from laborcoop.linkage.services.upload import comparison_create, comparison_mapping_confirm

__all__ = [
    "comparison_change_accept",
    "comparison_change_reject",
    "comparison_changes_accept_high",
    "comparison_create",
    "comparison_feedback_export",
    "comparison_mapping_confirm",
    "comparison_run",
]
