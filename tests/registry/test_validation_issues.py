import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.validation.issues import Issues


def test_collects_errors_and_warnings_per_field_without_duplicates() -> None:
    issues = Issues()
    assert not issues.has_errors
    assert not issues.has_warnings
    issues.error("id_number", "坏")
    issues.error("id_number", "坏")
    issues.warn("phone", "注意")
    assert issues.errors == {"id_number": ["坏"]}
    assert issues.warnings == {"phone": ["注意"]}
    assert issues.has_errors
    assert issues.has_warnings


def test_merge_adds_the_other_and_returns_self() -> None:
    a = Issues()
    a.error("id_number", "一")
    b = Issues()
    b.error("id_number", "一")
    b.error("id_number", "二")
    b.warn("education", "三")
    assert a.merge(b) is a
    assert a.errors == {"id_number": ["一", "二"]}
    assert a.warnings == {"education": ["三"]}


def test_as_validation_error_carries_only_errors() -> None:
    issues = Issues()
    issues.error("id_number", "一")
    issues.error("phone", "二")
    issues.warn("education", "三")
    err = issues.as_validation_error()
    assert isinstance(err, ValidationError)
    assert err.message_dict == {"id_number": ["一"], "phone": ["二"]}


def test_raise_if_errors() -> None:
    issues = Issues()
    issues.warn("education", "只是提示")
    issues.raise_if_errors()  # warnings never raise
    issues.error("phone", "错误")
    with pytest.raises(ValidationError) as exc_info:
        issues.raise_if_errors()
    assert exc_info.value.message_dict == {"phone": ["错误"]}
