"""Test settings: SQLite by default, PostgreSQL when DATABASE_URL points at it."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-laborcoop")
os.environ.setdefault("LABORCOOP_ID_KEY", "dGVzdC1vbmx5LWlkLWtleS0zMi1ieXRlcy1sb25nISE=")
os.environ.setdefault("LABORCOOP_HASH_KEY", "dGVzdC1vbmx5LWhhc2gta2V5LTMyLWJ5dGVzLWxuZyE=")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ["DJANGO_DEBUG"] = "false"

from .base import *  # noqa: F403
from .base import DATABASES, STATIC_ROOT

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and DATABASES["default"]["NAME"] == ":memory:":
    DATABASES["default"]["OPTIONS"] = {}

# WhiteNoise scans STATIC_ROOT at start-up and warns when it does not exist yet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
