"""The stored columns of an ID number and of a mobile number: ciphertext, keyed hash, masked form and tail.

Services and bulk loaders (seed, import) both build rows through `identity_columns` / `phone_columns`, so
every path stores the same shapes. The input must already be normalised and validated (registry.validation).
"""

from dataclasses import dataclass

from laborcoop.core.crypto import encrypt, keyed_hash
from laborcoop.core.masking import mask_id_number, mask_phone


@dataclass(frozen=True)
class IdentityColumns:
    id_number_enc: str
    id_number_hash: str
    id_masked: str
    id_last4: str


def id_number_hash(id_number: str) -> str:
    return keyed_hash(id_number.strip().upper())


def identity_columns(id_number: str) -> IdentityColumns:
    value = id_number.strip().upper()
    return IdentityColumns(
        id_number_enc=encrypt(value),
        id_number_hash=keyed_hash(value),
        id_masked=mask_id_number(value),
        id_last4=value[-4:],
    )


@dataclass(frozen=True)
class PhoneColumns:
    """The stored columns of a mobile number: ciphertext, keyed hash (exact lookup, shared-number checks),
    masked form (`138****5678`, what screens show) and the last four digits (tail search; the masked form
    shows them anyway)."""

    phone_enc: str
    phone_hash: str
    phone_masked: str
    phone_last4: str


# Prefixed so that a phone digest can never equal the digest of some other kind of value (an ID number).
_PHONE_HASH_PREFIX = "phone:"
EMPTY_PHONE = PhoneColumns(phone_enc="", phone_hash="", phone_masked="", phone_last4="")
PHONE_COLUMN_NAMES = ("phone_enc", "phone_hash", "phone_masked", "phone_last4")


def phone_hash(phone: str) -> str:
    """The keyed hash of a normalised mobile number (registry.validation.phone); "" for no number."""
    return keyed_hash(_PHONE_HASH_PREFIX + phone) if phone else ""


def phone_columns(phone: str) -> PhoneColumns:
    """The stored columns of a normalised mobile number, or all empty for no number."""
    if not phone:
        return EMPTY_PHONE
    return PhoneColumns(
        phone_enc=encrypt(phone),
        phone_hash=phone_hash(phone),
        phone_masked=mask_phone(phone),
        phone_last4=phone[-4:],
    )
