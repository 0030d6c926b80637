"""Personal links in messages: the outbox keeps a reference (the laborer id), the SMS carries a freshly signed
link, and tokens never reach the logs (Django's handlers, runserver's request log, gunicorn's access log)."""

import io
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from laborcoop.core.logging import LINK_REDACTED
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services.notify import notify_laborer_of_jobs
from laborcoop.matching.tokens import laborer_id_from_token, personal_link_token
from laborcoop.notifications.dispatch import notification_dispatch
from laborcoop.notifications.links import LINK_SHOWN
from laborcoop.notifications.models import Notification
from tests.factories import JobPostingFactory, LaborerFactory
from tests.notifications.conftest import Gateway

_TOKEN_IN = re.compile(r"/r/([^/\s]+)/")


def _table_text(model: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")
        return "\n".join(str(v) for row in cursor.fetchall() for v in row)


@pytest.mark.django_db
def test_outbox_stores_no_token_and_the_sms_gets_a_working_link(people: Any, gateway: Gateway) -> None:
    laborer = LaborerFactory(phone="13698765432")
    job = JobPostingFactory(enterprise__region_id="433122000000")
    rec = Recommendation.objects.create(job=job, laborer=laborer, region_id=laborer.region_id, score=80)

    assert notify_laborer_of_jobs(laborer=laborer, recommendations=[rec])
    row = Notification.objects.get()
    stored = _table_text(Notification)
    notification_dispatch(notification_id=row.pk)

    assert "/r/" not in stored
    assert personal_link_token(laborer_id=laborer.pk).split(":")[0] + ":" not in row.body
    assert LINK_SHOWN in row.body
    assert row.context["link"] == {"signed_link": "matching.personal", "id": laborer.pk}
    [request] = gateway.requests
    token = _TOKEN_IN.search(request["body"]["content"])
    assert token is not None
    assert laborer_id_from_token(token.group(1)) == laborer.pk


def test_runserver_request_log_is_redacted() -> None:
    token = personal_link_token(laborer_id=4217)
    logger = logging.getLogger("django.server")
    stream = io.StringIO()
    handlers = logger.handlers or logging.getLogger("django").handlers
    assert handlers
    previous = [h.setStream(stream) for h in handlers if isinstance(h, logging.StreamHandler)]  # type: ignore[func-returns-value]
    try:
        logger.info('"%s" %s %s', f"GET /r/{token}/ HTTP/1.1", 200, 1234)
    finally:
        for h, old in zip([h for h in handlers if isinstance(h, logging.StreamHandler)], previous, strict=True):
            h.setStream(old)
    text = stream.getvalue()
    assert token not in text
    assert f"/r/{LINK_REDACTED}/" in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_gunicorn_access_log_is_redacted(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    port = _free_port()
    token = personal_link_token(laborer_id=4217)
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(gunicorn),
                "-c",
                "src/config/gunicorn.conf.py",
                "config.wsgi:application",
                "--chdir",
                "src",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120  # a loaded 2-core machine: the worker boots slowly
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/r/{token}/", timeout=90)
                    break
                except urllib.error.HTTPError:
                    break  # an answer (404/500 on this empty database): the request line is logged
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
            time.sleep(0.5)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    text = log.read_text()
    assert f"/r/{LINK_REDACTED}/" in text
    assert token not in text
