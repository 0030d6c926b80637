"""Demo / development settings: safe defaults so that `make demo` needs no configuration.

The keys below are public demo keys. Never use them with real personal data: production.py refuses to start
without keys from the environment.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "demo-only-insecure-secret-key-laborcoop-2026-do-not-deploy")
os.environ.setdefault("LABORCOOP_ID_KEY", "ZGVtby1vbmx5LWlkLWtleS0zMi1ieXRlcy1sb25nISE=")
os.environ.setdefault("LABORCOOP_HASH_KEY", "ZGVtby1vbmx5LWhhc2gta2V5LTMyLWJ5dGVzLWxuZyE=")

from .base import *  # noqa: F403
from .base import VAR_DIR

VAR_DIR.mkdir(parents=True, exist_ok=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo runs with DEBUG off (plain error pages, as in production); WhiteNoise serves static files straight
# from the app directories so no collectstatic is needed. DJANGO_DEBUG=true turns the debug pages back on.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
