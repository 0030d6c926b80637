"""Forms of the warning pages: the list filters, the row actions, the rule settings, the export."""

from typing import Any

from django import forms

from laborcoop.earlywarning.choices import Severity, WarningStatus
from laborcoop.earlywarning.config import RuleConfig
from laborcoop.earlywarning.rules import RULE_CHOICES, RULES
from laborcoop.earlywarning.selectors import SORT_NEWEST, SORT_OLDEST, STATUS_ALL, STATUS_LIVE, WarningFilters
from laborcoop.earlywarning.services.actions import TEXT_MAX
from laborcoop.earlywarning.services.export import FORMATS
from laborcoop.tracking.settings.defaults import TRACKING_DEFAULTS

VERSION_MISSING = "缺少版本号，请刷新页面后重试。"
AGE_CHOICES = [("", "不限预警天数"), ("7", "7天以上"), ("30", "30天以上"), ("90", "90天以上"), ("180", "180天以上")]
STATUS_CHOICES = [(STATUS_LIVE, "未消除（全部）"), *WarningStatus.choices, (STATUS_ALL, "全部（含已消除）")]


class WarningFilterForm(forms.Form):
    rule = forms.ChoiceField(label="预警规则", choices=[("", "全部规则"), *RULE_CHOICES], required=False)
    severity = forms.ChoiceField(label="严重程度", choices=[("", "全部程度"), *Severity.choices], required=False)
    status = forms.ChoiceField(label="状态", choices=STATUS_CHOICES, required=False)
    age = forms.ChoiceField(label="预警天数", choices=AGE_CHOICES, required=False)
    overdue = forms.BooleanField(label="只看逾期未处理", required=False)
    sort = forms.ChoiceField(
        label="排序",
        choices=[(SORT_OLDEST, "预警时间最久的在前"), (SORT_NEWEST, "最新的在前")],
        required=False,
    )
    region = forms.RegexField(regex=r"^\d{12}$", required=False, widget=forms.HiddenInput)

    def filters(self) -> WarningFilters:
        if not self.is_valid():
            return WarningFilters()
        d = self.cleaned_data
        return WarningFilters(
            rule=d["rule"],
            severity=d["severity"],
            status=d["status"] or STATUS_LIVE,
            region=d["region"] or "",
            min_age=int(d["age"]) if d["age"] else None,
            overdue=bool(d["overdue"]),
            sort=d["sort"] or SORT_OLDEST,
        )


class _VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, error_messages={"required": VERSION_MISSING, "invalid": VERSION_MISSING})


class HandleForm(_VersionForm):
    note = forms.CharField(label="处理说明", required=False, max_length=TEXT_MAX)


class DismissForm(_VersionForm):
    # The service checks the reason (ERR_REASON_REQUIRED); the form only keeps it a string.
    reason = forms.CharField(label="忽略原因", required=False, max_length=TEXT_MAX)


class AssignForm(_VersionForm):
    owner = forms.IntegerField(label="负责人", required=False, min_value=1)


class ExportForm(forms.Form):
    format = forms.ChoiceField(label="文件格式", choices=[(f, f.upper()) for f in FORMATS])


class RuleSettingsForm(forms.Form):
    """One enabled checkbox, one severity select and one number input per threshold for every rule.
    Field names are "<rule>__enabled", "<rule>__severity", "<rule>__<param>"."""

    version = forms.IntegerField(label="版本", min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, configs: dict[str, RuleConfig], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.configs = configs
        for rule in RULES:
            self.fields[f"{rule.code}__enabled"] = forms.BooleanField(label="启用", required=False)
            self.fields[f"{rule.code}__severity"] = forms.ChoiceField(label="严重程度", choices=Severity.choices)
            for p in rule.params:
                self.fields[f"{rule.code}__{p.name}"] = forms.CharField(
                    label=p.label, max_length=10, help_text=f"默认 {p.default}，范围 {p.minimum}-{p.maximum}"
                )

    @classmethod
    def initial_for(cls, configs: dict[str, RuleConfig], version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": version}
        for rule in RULES:
            config = configs[rule.code]
            initial[f"{rule.code}__enabled"] = config.enabled
            initial[f"{rule.code}__severity"] = config.severity
            params = config.param_dict()
            for p in rule.params:
                initial[f"{rule.code}__{p.name}"] = params[p.name]
        return initial

    def settings_values(self) -> dict[str, dict[str, Any]]:
        """{rule: {"enabled", "severity", <param>: text}}: the service validates the numbers."""
        values: dict[str, dict[str, Any]] = {}
        for rule in RULES:
            entry: dict[str, Any] = {
                "enabled": bool(self.cleaned_data.get(f"{rule.code}__enabled")),
                "severity": self.cleaned_data.get(f"{rule.code}__severity"),
            }
            for p in rule.params:
                entry[p.name] = self.cleaned_data.get(f"{rule.code}__{p.name}", "")
            values[rule.code] = entry
        return values

    def rows(self) -> list[dict[str, Any]]:
        """What the template draws per rule: its title, description, fields and the tracking thresholds it
        uses (read-only here: they are the tracking settings)."""
        return [
            {
                "rule": rule,
                "enabled": self[f"{rule.code}__enabled"],
                "severity": self[f"{rule.code}__severity"],
                "params": [self[f"{rule.code}__{p.name}"] for p in rule.params],
                "tracking": [
                    (TRACKING_DEFAULTS[name][3], self.configs[rule.code].param_dict()[name])
                    for name in rule.tracking_params
                ],
            }
            for rule in RULES
        ]
