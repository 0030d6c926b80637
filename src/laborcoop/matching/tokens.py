"""The laborer's personal link: a signed, expiring token that carries only the laborer id."""

from datetime import timedelta

from django.core import signing

LINK_SALT = "laborcoop.matching.personal-link"
LINK_VALID_DAYS = 14
LINK_MAX_AGE = timedelta(days=LINK_VALID_DAYS)

LINK_EXPIRED = "该链接已过期（有效期14天）。请联系村劳务经纪人或拨打12333获取新的链接。"
LINK_INVALID = "链接无效，请确认链接完整，或联系村劳务经纪人。"


class LinkExpired(Exception):
    message = LINK_EXPIRED


class LinkInvalid(Exception):
    message = LINK_INVALID


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=LINK_SALT)


def personal_link_token(*, laborer_id: int) -> str:
    return _signer().sign(str(laborer_id))


def laborer_id_from_token(token: str, *, max_age: timedelta = LINK_MAX_AGE) -> int:
    """The laborer id carried by `token`; LinkExpired after `max_age`, LinkInvalid when tampered."""
    try:
        value = _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    if not value.isdigit():
        raise LinkInvalid
    return int(value)
