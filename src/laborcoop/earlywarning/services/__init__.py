"""Writes of the earlywarning app: actions on warnings, the province's rule settings, exports."""

from laborcoop.earlywarning.services.actions import warning_assign, warning_dismiss, warning_handle
from laborcoop.earlywarning.services.export import WarningExport, warning_export
from laborcoop.earlywarning.services.settings import warning_settings_set

__all__ = [
    "WarningExport",
    "warning_assign",
    "warning_dismiss",
    "warning_export",
    "warning_handle",
    "warning_settings_set",
]
