"""Production settings pass Django's deployment checklist when the environment provides the secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_passes_with_production_settings() -> None:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process for Playwright; no deployment has it.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x7#kLq92-vPz!r4Tq8wYb3nM0cJ6hD1fG5sA-2eR9uIoPlKjHgFdSaZxCvBnM",
        "LABORCOOP_ID_KEY": "cHJvZC1jaGVjay1pZC1rZXktMzItYnl0ZXMtbG9uZyE=",
        "LABORCOOP_HASH_KEY": "cHJvZC1jaGVjay1oYXNoLWtleS0zMi1ieXRlcy1sbmc=",
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_ALLOWED_HOSTS": "laowu.example.gov.cn",
        "LABORCOOP_PUBLIC_URL": "https://laowu.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_keys() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABORCOOP_", "DJANGO_SECRET"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr or "LABORCOOP_" in result.stderr
