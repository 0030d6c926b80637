"""The stored columns of an ID number: ciphertext, keyed hash, masked form and tail.

Services and bulk loaders (seed, import) both build rows through `identity_columns`, so every path stores
the same shapes. The input must already be normalised and validated (registry.validation.idcard).
"""

from dataclasses import dataclass

from laborcoop.core.crypto import encrypt, keyed_hash
from laborcoop.core.masking import mask_id_number


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
