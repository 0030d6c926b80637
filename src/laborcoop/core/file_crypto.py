"""Encryption at rest of stored uploads (import files, comparison lists): AES-256-GCM in chunks.

The key is `LABORCOOP_FILE_KEY` when set, else a subkey derived with HKDF-SHA256 from `LABORCOOP_ID_KEY`
(one secret fewer to keep). Files sealed before an ID key rotation still open with the subkeys of
LABORCOOP_ID_KEY_OLD; they are deleted after the retention anyway.

Format: MAGIC, a random 7-byte nonce prefix, then records of CHUNK plaintext bytes sealed with a 16-byte tag
(the last record shorter, possibly empty). Record i uses nonce = prefix || i (4 bytes) || last (1 byte), so a
record cannot be reordered, dropped or the file cut short without the tag check failing (the STREAM
construction). Memory stays at one chunk whatever the file size; readers get a decrypted temporary file
(python-calamine reads from a path), removed when they are done.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files import File
from django.core.signals import setting_changed
from django.dispatch import receiver

from laborcoop.core.crypto import decode_key, old_id_keys

MAGIC = b"LCENC1\n"
CHUNK = 1 << 20
_TAG = 16
_PREFIX = 7
_HKDF_INFO = b"laborcoop stored upload files v1"


class FileDecryptError(Exception):
    """The stored file is damaged, cut short or sealed under another key."""


def _derived(master: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(master))


@cache
def _aeads() -> tuple[AESGCM, ...]:
    """The sealing key first, then the keys files sealed before an ID key rotation may use (subkeys of
    LABORCOOP_ID_KEY_OLD; uploads live LABORCOOP_UPLOAD_RETENTION_DAYS, so keep an old key at least as long)."""
    dedicated = getattr(settings, "LABORCOOP_FILE_KEY", "")
    derived = [_derived(key) for key in old_id_keys()]
    if dedicated:
        current = AESGCM(decode_key(dedicated, "LABORCOOP_FILE_KEY"))
        derived.insert(0, _derived(decode_key(settings.LABORCOOP_ID_KEY, "LABORCOOP_ID_KEY")))
    else:
        current = _derived(decode_key(settings.LABORCOOP_ID_KEY, "LABORCOOP_ID_KEY"))
    return (current, *derived)


def _aead() -> AESGCM:
    return _aeads()[0]


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"LABORCOOP_FILE_KEY", "LABORCOOP_ID_KEY", "LABORCOOP_ID_KEY_OLD"}:
        _aeads.cache_clear()


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _read_exact(src: IO[bytes], size: int) -> bytes:
    parts, missing = [], size
    while missing:
        piece = src.read(missing)
        if not piece:
            break
        parts.append(piece)
        missing -= len(piece)
    return b"".join(parts)


def encrypt_stream(src: IO[bytes], dst: IO[bytes]) -> None:
    """Write `src` (read to its end) to `dst` encrypted."""
    aead = _aead()
    prefix = os.urandom(_PREFIX)
    dst.write(MAGIC + prefix)
    index = 0
    piece = _read_exact(src, CHUNK)
    while True:
        following = _read_exact(src, CHUNK) if len(piece) == CHUNK else b""
        last = not following
        dst.write(aead.encrypt(_nonce(prefix, index, last), piece, MAGIC))
        if last:
            return
        piece, index = following, index + 1


def decrypt_stream(src: IO[bytes], dst: IO[bytes]) -> None:
    """Write the plaintext of an encrypted `src` to `dst`. Raises FileDecryptError."""
    candidates = _aeads()
    head = _read_exact(src, len(MAGIC) + _PREFIX)
    if len(head) != len(MAGIC) + _PREFIX or not head.startswith(MAGIC):
        raise FileDecryptError("not an encrypted upload")
    prefix = head[len(MAGIC) :]
    index = 0
    record = _read_exact(src, CHUNK + _TAG)
    while True:
        following = _read_exact(src, CHUNK + _TAG) if len(record) == CHUNK + _TAG else b""
        last = not following
        aead, plain = _open_record(candidates, _nonce(prefix, index, last), record)
        dst.write(plain)
        candidates = (aead,)  # every record is sealed under the key that opened the first
        if last:
            return
        record, index = following, index + 1


def _open_record(candidates: tuple[AESGCM, ...], nonce: bytes, record: bytes) -> tuple[AESGCM, bytes]:
    for aead in candidates:
        try:
            return aead, aead.decrypt(nonce, record, MAGIC)
        except InvalidTag:
            continue
    raise FileDecryptError("damaged, cut short or another key")


def is_encrypted(src: IO[bytes]) -> bool:
    """Whether an open stored file starts with the format's magic (the position is restored)."""
    position = src.tell()
    head = src.read(len(MAGIC))
    src.seek(position)
    return head == MAGIC


def save_encrypted(field_file: Any, name: str, content: IO[bytes]) -> None:
    """Store `content` (an upload, read from its start) in the FileField `field_file` as `name`, encrypted.
    The ciphertext is spooled through an anonymous temporary file, one chunk in memory at a time; the
    model instance is not saved (the caller saves it with its other fields)."""
    content.seek(0)
    with tempfile.TemporaryFile() as sealed:
        encrypt_stream(content, sealed)
        sealed.seek(0)
        field_file.save(name, File(sealed, name=name), save=False)


@contextmanager
def open_decrypted(field_file: Any) -> Iterator[Path]:
    """The plaintext of a stored upload as a temporary file (private to the process user, removed on exit).
    A file stored before encryption (not yet converted by `manage.py encrypt_uploads`) is read as it is."""
    suffix = Path(field_file.name).suffix
    handle, name = tempfile.mkstemp(prefix="lc-upload-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as plain, field_file.storage.open(field_file.name, "rb") as stored:
            if is_encrypted(stored):
                decrypt_stream(stored, plain)
            else:
                shutil.copyfileobj(stored, plain, CHUNK)
        yield path
    finally:
        path.unlink(missing_ok=True)


def read_decrypted(field_file: Any) -> bytes:
    """The plaintext of a small stored upload as bytes."""
    with open_decrypted(field_file) as path:
        return path.read_bytes()
