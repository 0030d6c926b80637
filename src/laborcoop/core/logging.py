"""A logging filter that removes ID numbers and mobile numbers from every log record."""

import logging
import re

# 15- or 18-character resident IDs (optionally followed by a disability-certificate suffix) and mainland mobiles.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx](?:\d{2,4})?|\d{15})(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")


def redact(text: str) -> str:
    text = _ID_RE.sub("[证件号已隐藏]", text)
    return _PHONE_RE.sub("[手机号已隐藏]", text)


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            # Format the traceback now so the formatter reuses the redacted text instead of the raw one.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
