"""Backup refusals that need no database."""

from pathlib import Path
from typing import Any

import pytest

from laborcoop.core.crypto import generate_key, key_fingerprints
from laborcoop.ops import backup as ops_backup
from laborcoop.ops.backup import BackupError
from tests.factories import LaborerFactory


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(BackupError) as refused:
        ops_backup.backup_create(out_dir=tmp_path / "old")
    assert str(refused.value) == ops_backup.OUT_NOT_EMPTY.format(path=tmp_path / "old")
    assert (tmp_path / "old" / "manifest.json").read_text() == "{}"


@pytest.mark.django_db
def test_backup_refuses_when_the_running_keys_cannot_read_the_data(regions: Any, tmp_path: Path, settings: Any) -> None:
    """Otherwise the manifest would name keys that do not open this database."""
    LaborerFactory()
    settings.LABORCOOP_ID_KEY = generate_key()
    with pytest.raises(BackupError) as refused:
        ops_backup.backup_create(out_dir=tmp_path / "new")
    prefix = ops_backup.KEYS_CANNOT_READ.split("（")[0]
    assert str(refused.value).startswith(prefix)
    assert "registry.Laborer.id_number_enc" in str(refused.value)
    assert not (tmp_path / "new").exists()


def test_a_dedicated_file_key_must_be_the_same(settings: Any) -> None:
    settings.LABORCOOP_FILE_KEY = generate_key()
    manifest = {"keys": key_fingerprints()}
    assert manifest["keys"]["LABORCOOP_FILE_KEY"]
    assert settings.LABORCOOP_FILE_KEY not in str(manifest)
    ops_backup.keys_check(manifest)
    settings.LABORCOOP_FILE_KEY = generate_key()
    with pytest.raises(BackupError) as refused:
        ops_backup.keys_check(manifest)
    assert str(refused.value) == ops_backup.KEY_MISMATCH.format(names="LABORCOOP_FILE_KEY")
    # A backup whose uploads are sealed under subkeys of the ID key restores with or without a dedicated key.
    settings.LABORCOOP_FILE_KEY = ""
    ops_backup.keys_check({"keys": key_fingerprints()})
