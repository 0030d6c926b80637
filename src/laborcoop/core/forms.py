from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def attach_validation_errors(form: forms.Form, exc: ValidationError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's field errors next to the form's fields (`aliases` maps model to form field names); an
    error without fields, or for a field the form does not have, goes to the form as a whole."""
    if not hasattr(exc, "error_dict"):
        for msg in exc.messages:
            form.add_error(None, msg)
        return
    for field, messages in exc.message_dict.items():
        name = (aliases or {}).get(field, field)
        target = name if name in form.fields else None
        for msg in messages:
            form.add_error(target, msg)
