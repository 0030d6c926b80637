"""Forms parse and present; the rules (scope, roles, passwords) live in accounts.services."""

from typing import Any

from django import forms

from laborcoop.accounts.roles import Role
from laborcoop.regions.fields import RegionField

PASSWORDS_DIFFER = "两次输入的密码不一致。"
OWN_ACCOUNT_HELP = "不能修改自己的角色或停用自己的账号。"


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "账号或姓名"}),
    )
    region = RegionField(label="地区", required=False, placeholder="地区名称，如：泸溪县")

    def __init__(self, *args: Any, region_scope: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].set_scope(region_scope)  # type: ignore[attr-defined]


class _PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，不能全是数字，不能是常见密码。",
    )
    password2 = forms.CharField(
        label="再次输入密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", PASSWORDS_DIFFER)
        return data


class UserProfileForm(forms.Form):
    """The fields an admin sets on an account (create and edit)."""

    full_name = forms.CharField(label="姓名", required=False, max_length=150)
    phone = forms.CharField(label="手机号", required=False, max_length=20)
    roles = forms.MultipleChoiceField(
        label="角色", required=False, choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    home_region_code = RegionField(
        label="所属区划",
        required=False,
        check_codes=False,  # the service checks level and scope of a code
        help_text="输入地名搜索并选择，如：泸溪县；只能是您管辖范围内的地区。企业用户可留空。",
    )
    enterprise_uscc = forms.CharField(
        label="所属企业（统一社会信用代码）",
        required=False,
        max_length=18,
        help_text="仅企业用户填写；企业须在您的管辖范围内。",
    )
    can_unmask_id = forms.BooleanField(label="可查看完整证件号", required=False)

    def __init__(self, *args: Any, region_scope: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_region_code"].set_scope(region_scope)  # type: ignore[attr-defined]


class UserCreateForm(UserProfileForm, _PasswordPairMixin):
    username = forms.CharField(label="账号", max_length=150)
    field_order = [
        "username",
        "full_name",
        "phone",
        "roles",
        "home_region_code",
        "enterprise_uscc",
        "can_unmask_id",
        "password1",
        "password2",
    ]


class UserEditForm(UserProfileForm):
    is_active = forms.BooleanField(label="启用", required=False)

    def __init__(self, *args: Any, editing_self: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # region_scope passes through to UserProfileForm
        if editing_self:
            # Disabled fields keep their initial value whatever is posted.
            for name in ("roles", "is_active"):
                self.fields[name].disabled = True
                self.fields[name].help_text = OWN_ACCOUNT_HELP


class PasswordResetForm(_PasswordPairMixin):
    pass


class ActiveForm(forms.Form):
    is_active = forms.BooleanField(required=False)


class OwnPasswordForm(_PasswordPairMixin):
    """A signed-in user changes their own password (the current one is asked first)."""

    old_password = forms.CharField(
        label="当前密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "password1", "password2"]
