"""Fixtures for the outbox: users per role and region, and a real local HTTP server standing in for the SMS
gateway (a real HTTP call over a socket; only the far end is ours)."""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from laborcoop.accounts.models import User
from laborcoop.notifications.models import Notification
from laborcoop.notifications.services import notification_enqueue
from tests.conftest import make_user

LUXI_VILLAGE = "433122107201"  # 黑塘村, 泸溪县
FENGHUANG_VILLAGE = "433123109201"  # 棉寨村, 凤凰县
PHONE = "13812345678"


@pytest.fixture
def people(regions: dict[str, Any]) -> dict[str, User]:
    return {
        "luxi_admin": make_user("luxi_admin", "433122000000", ["admin"]),
        "fenghuang_admin": make_user("fenghuang_admin", "433123000000", ["admin"]),
        "luxi_officer": make_user("luxi_officer", "433122000000", ["officer"]),
        "alice": make_user("alice", "433122000000", ["officer"], phone=PHONE, email="alice@example.com"),
        "bob": make_user("bob", "433122000000", ["officer"]),
    }


def recommended_context(**extra: Any) -> dict[str, Any]:
    return {"name": "张三", "job_count": 3, "link": "https://laowu.example/r/abc", "valid_days": 7, **extra}


def enqueue(
    dedupe_key: str,
    *,
    channel: str = "sms",
    address: str = PHONE,
    region_code: str = LUXI_VILLAGE,
    recipient_user: Any = None,
    template: str = "job_recommended",
    context: dict[str, Any] | None = None,
) -> Notification:
    return notification_enqueue(
        channel=channel,
        recipient_user=recipient_user,
        address=address,
        template=template,
        context=recommended_context() if context is None else context,
        dedupe_key=dedupe_key,
        region_code=region_code,
    )


@dataclass
class Gateway:
    """Answers each POST with the next scripted behaviour ("ok", an HTTP status such as 500, or "slow")."""

    url: str = ""
    script: list[Any] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    slow_seconds: float = 1.0

    def next_behaviour(self) -> Any:
        return self.script.pop(0) if self.script else "ok"


def _handler_for(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode())
            gateway.requests.append({"body": body, "authorization": self.headers.get("Authorization")})
            behaviour = gateway.next_behaviour()
            if behaviour == "slow":
                time.sleep(gateway.slow_seconds)
                behaviour = "ok"
            status = 200 if behaviour == "ok" else int(behaviour)
            reply = {"id": f"gw-{len(gateway.requests)}"} if status == 200 else {"error": "内部错误"}
            payload = json.dumps(reply).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    gw = Gateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(gw))
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gw.url = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "SMS_GATEWAY_URL": gw.url,
        "SMS_TOKEN": "gw-token",
        "SMS_TIMEOUT_SECONDS": 0.3,
    }
    yield gw
    server.shutdown()
    server.server_close()


@pytest.fixture
def no_gateway(settings: Any) -> None:
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_GATEWAY_URL": "", "SMS_TOKEN": ""}
