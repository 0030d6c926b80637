"""Default tracking thresholds (a province's admin overrides them in TrackingSettings.values).

Each entry: name -> (default, minimum, maximum, Chinese label). Services read the effective values through
tracking.settings.selectors.tracking_settings_for(region_code)."""

TRACKING_DEFAULTS: dict[str, tuple[int, int, int, str]] = {
    "stable_months": (3, 1, 24, "稳定就业所需连续月数（需签合同并参保）"),
    "followup_days_out_of_province": (30, 7, 365, "省外务工人员寻访间隔（天）"),
    "followup_days_in_province": (60, 7, 365, "省内县外务工人员寻访间隔（天）"),
    "followup_days_in_county": (90, 7, 365, "县内务工人员寻访间隔（天）"),
    "followup_days_unemployed": (30, 7, 365, "未就业人员寻访间隔（天）"),
    "leave_contact_days": (7, 1, 60, "离岗后联系时限（天）"),
    "failed_contacts_unreachable": (3, 1, 10, "连续联系失败几次标记为无法联系"),
}
