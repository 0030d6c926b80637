"""Encryption at rest and keyed hashing of identity numbers.

AES-256-GCM with a random 96-bit nonce; the stored text is urlsafe base64 of nonce || ciphertext+tag.
The keyed hash (HMAC-SHA256 of the normalised value) gives exact lookup and uniqueness without decrypting.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_NONCE_BYTES = 12


def _decode_key(value: str, name: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(value.encode())
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{name} must be urlsafe base64.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes.")
    return key


@cache
def _aead() -> AESGCM:
    return AESGCM(_decode_key(settings.LABORCOOP_ID_KEY, "LABORCOOP_ID_KEY"))


@cache
def _hash_key() -> bytes:
    return _decode_key(settings.LABORCOOP_HASH_KEY, "LABORCOOP_HASH_KEY")


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _aead().encrypt(nonce, plaintext.encode(), None)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    raw = base64.urlsafe_b64decode(token.encode())
    return _aead().decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()


def keyed_hash(value: str) -> str:
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()
