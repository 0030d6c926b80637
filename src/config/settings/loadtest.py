"""Production settings served over plain HTTP on the loopback interface: for scripts/loadtest.sh only.

Everything else is production.py (DEBUG off, manifest static files, the database job queue, the same
middleware), so the load test measures what production runs. Cookies cannot be marked Secure here because the
load generator talks plain HTTP to 127.0.0.1 (there is no TLS proxy in front of it).
"""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1"]
