"""Errors and warnings collected per field by the validation functions.

Errors block a save; warnings are stored with the row (`warnings` JSON column) and shown as early warnings.
Field names are model field names ("id_number", "phone", "education", ...), so forms can attach them.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError


@dataclass
class Issues:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def error(self, field_name: str, msg: str) -> None:
        messages = self.errors.setdefault(field_name, [])
        if msg not in messages:
            messages.append(msg)

    def warn(self, field_name: str, msg: str) -> None:
        messages = self.warnings.setdefault(field_name, [])
        if msg not in messages:
            messages.append(msg)

    def merge(self, other: "Issues") -> "Issues":
        """Add the other's errors and warnings to this one (duplicates dropped); returns self."""
        for name, messages in other.errors.items():
            for msg in messages:
                self.error(name, msg)
        for name, messages in other.warnings.items():
            for msg in messages:
                self.warn(name, msg)
        return self

    @property
    def has_errors(self) -> bool:
        return any(self.errors.values())

    @property
    def has_warnings(self) -> bool:
        return any(self.warnings.values())

    def as_validation_error(self) -> ValidationError:
        """The errors as Django's ValidationError({field: [messages]}); warnings are not included."""
        return ValidationError({name: list(messages) for name, messages in self.errors.items() if messages})

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise self.as_validation_error()
