"""Backup refusals that need no database."""

from pathlib import Path

import pytest

from laborcoop.ops import backup as ops_backup
from laborcoop.ops.backup import BackupError


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "manifest.json").write_text("{}")
    with pytest.raises(BackupError) as refused:
        ops_backup.backup_create(out_dir=tmp_path / "old")
    assert str(refused.value) == ops_backup.OUT_NOT_EMPTY.format(path=tmp_path / "old")
    assert (tmp_path / "old" / "manifest.json").read_text() == "{}"
