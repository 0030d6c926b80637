"""gunicorn settings: `gunicorn -c src/config/gunicorn.conf.py config.wsgi:application --chdir src ...`.

Its access log (one line per request, `GET /r/<token>/ ...` for a laborer's personal link) and error log go
through the same redaction as Django's logs (laborcoop.core.logging.RedactPersonalDataFilter): no link tokens,
ID numbers or mobile numbers in the logs.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # src/: the filter class is imported by name

accesslog = "-"
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_pii": {"()": "laborcoop.core.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_pii"], "formatter": "plain"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
