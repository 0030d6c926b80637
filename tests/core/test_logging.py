"""Logs never carry ID or mobile numbers: RedactPersonalDataFilter on messages, arguments and tracebacks."""

import io
import logging
from collections.abc import Iterator

import pytest

from laborcoop.core.logging import RedactPersonalDataFilter, redact

ID18 = "433122199001011234"
ID18_X = "43312219900101123X"
ID15 = "433122900101123"
MOBILE = "13812345678"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger with one handler that formats like production (message plus traceback)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactPersonalDataFilter())
    logger = logging.getLogger("laborcoop.tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize("number", [ID18, ID18_X, ID18_X.lower(), ID15])
def test_id_numbers_are_removed_from_messages(captured: tuple[logging.Logger, io.StringIO], number: str) -> None:
    logger, stream = captured

    logger.info("登记失败：证件号 %s 已存在", number)

    output = stream.getvalue()
    assert number not in output
    assert "证件号 [证件号已隐藏] 已存在" in output


def test_mobile_numbers_are_removed(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured

    logger.warning("sms to %s failed; fallback %s", MOBILE, f"+86 {MOBILE}")

    output = stream.getvalue()
    assert MOBILE not in output
    assert output.count("[手机号已隐藏]") == 2


def test_mobile_with_country_prefix_is_removed(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured

    logger.warning("sms to +86%s failed", MOBILE)

    assert MOBILE not in stream.getvalue()


def test_id_and_phone_in_one_message(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured

    logger.info("laborer id=%s phone=%s household=%d", ID18, MOBILE, 42)

    assert stream.getvalue().strip() == (
        "INFO laborcoop.tests.redaction laborer id=[证件号已隐藏] phone=[手机号已隐藏] household=42"
    )


def test_traceback_is_redacted(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured

    def parse(value: str) -> None:
        raise ValueError(f"bad checksum in {value} (contact {MOBILE})")

    try:
        parse(ID18_X)
    except ValueError:
        logger.exception("import row %s failed", 7)

    output = stream.getvalue()
    assert "Traceback (most recent call last)" in output
    assert "ValueError: bad checksum in [证件号已隐藏] (contact [手机号已隐藏])" in output
    assert ID18_X not in output
    assert MOBILE not in output


def test_caplog_with_the_filter(caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(RedactPersonalDataFilter())
    logger = logging.getLogger("laborcoop.tests.caplog")

    with caplog.at_level(logging.INFO, logger="laborcoop.tests.caplog"):
        try:
            raise RuntimeError(ID15)
        except RuntimeError:
            logger.exception("lookup %s", ID18)

    assert ID15 not in caplog.text
    assert ID18 not in caplog.text
    assert caplog.records[0].getMessage() == "lookup [证件号已隐藏]"


def test_other_numbers_are_kept() -> None:
    text = "household 4331221072010001 has 3 members; order 20240101123456; code 433122107201"

    assert redact(text) == text


def test_every_configured_handler_redacts() -> None:
    from django.conf import settings

    handlers = settings.LOGGING["handlers"]
    assert handlers
    for name, config in handlers.items():
        assert "redact_pii" in config.get("filters", []), name
    assert settings.LOGGING["filters"]["redact_pii"]["()"] == "laborcoop.core.logging.RedactPersonalDataFilter"
