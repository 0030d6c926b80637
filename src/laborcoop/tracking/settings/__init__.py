"""The tracking thresholds of a province (跟踪参数): stable months, follow-up intervals, days to contact someone
who left a job, failed contacts before a person is unreachable. Defaults and ranges (defaults), the values in
force (selectors: tracking_settings_for), writing them (services) and the admin's page (views, at
/employment/settings/). Every reader is tracking or above. The rows are the model `TrackingSettings`, which
stays in employment.models (moving a model would need migrations)."""
