"""A logging filter that removes ID numbers, mobile numbers and personal-link tokens from every log record.

It is on every handler of Django's LOGGING (the runserver request log `django.server` included) and on
gunicorn's access and error logs (src/config/gunicorn.conf.py): a request line of a laborer's link
(`GET /r/<token>/`) would otherwise put a working link into the log."""

import logging
import re

# 15- or 18-character resident IDs (optionally followed by a disability-certificate suffix) and mainland mobiles.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx](?:\d{2,4})?|\d{15})(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")


# The laborer's personal link /r/<token>/ (matching.tokens: a signed "id:timestamp:signature"), and such a
# token anywhere else (a django.core.signing TimestampSigner value).
_LINK_RE = re.compile(r"(/r/)[^/\s\"'?]+")
_SIGNED_RE = re.compile(r"(?<![0-9A-Za-z])\d+:[0-9A-Za-z]{4,}:[0-9A-Za-z_-]{20,}")
LINK_REDACTED = "[链接已隐藏]"


def redact(text: str) -> str:
    text = _LINK_RE.sub(r"\1" + LINK_REDACTED, text)
    text = _SIGNED_RE.sub(LINK_REDACTED, text)
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
