"""The tracking thresholds in force for a region: its province's TrackingSettings row over the defaults.

Readers (derived status, follow-up plans, tasks, warnings) call `tracking_settings_for(region_code)`; writing
the settings is the settings page's service."""

from laborcoop.employment.models import TrackingSettings
from laborcoop.regions.scope import province_code_of
from laborcoop.tracking.settings.defaults import TRACKING_DEFAULTS


def default_tracking_settings() -> dict[str, int]:
    return {name: spec[0] for name, spec in TRACKING_DEFAULTS.items()}


def tracking_settings_for(region_code: str | None) -> dict[str, int]:
    """Every threshold by name for the province of `region_code` (any level); defaults where unset or out of
    range. One indexed query."""
    values = default_tracking_settings()
    if not region_code:
        return values
    stored = (
        TrackingSettings.objects.filter(province_id=province_code_of(region_code))
        .values_list("values", flat=True)
        .first()
    )
    for name, value in (stored or {}).items():
        spec = TRACKING_DEFAULTS.get(name)
        if spec is not None and isinstance(value, int) and spec[1] <= value <= spec[2]:
            values[name] = value
    return values
