"""Recipient addresses (mobile numbers, e-mail addresses): normalised, validated, masked for display."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from laborcoop.core.masking import mask_phone
from laborcoop.notifications.choices import Channel

INVALID_PHONE = "手机号格式不正确。"
INVALID_EMAIL = "邮箱地址格式不正确。"
MISSING_ADDRESS = "%(channel)s消息需要接收地址（手机号或邮箱），接收账号也没有登记。"

_MOBILE_RE = re.compile(r"1[3-9]\d{9}")


def normalize_phone(value: str) -> str:
    digits = re.sub(r"[\s\-()（）]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE_RE.fullmatch(digits):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return digits


def normalize_email(value: str) -> str:
    address = value.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(INVALID_EMAIL, code="invalid_email") from None
    return address


def mask_email(value: str) -> str:
    """`zhangsan@example.com` -> `zh***@example.com`."""
    local, _, domain = value.partition("@")
    return f"{local[:2]}***@{domain}"


def normalize_address(channel: str, value: str) -> str:
    if channel == Channel.SMS:
        return normalize_phone(value)
    return normalize_email(value)


def mask_address(channel: str, value: str) -> str:
    if channel == Channel.SMS:
        return mask_phone(value)
    return mask_email(value)
