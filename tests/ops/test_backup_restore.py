"""Backup and restore (issue 11, item 16): a realistic small dataset goes through `manage.py backup` and
`manage.py restore` into a new, empty database (a new SQLite file, or a second PostgreSQL database), and a
separate process opened on the restored database finds the same rows, the same decrypted ID number and the
same media bytes. The refusals (wrong keys, a target with data, a damaged file) leave the target untouched."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from laborcoop.core.crypto import generate_key
from laborcoop.intake.columns import ImportKind
from laborcoop.intake.models import ImportJob
from laborcoop.ops import backup as ops_backup
from laborcoop.ops.backup import BackupError, backup_restore
from laborcoop.registry.models import Laborer
from tests.factories import EnterpriseFactory, HouseholdFactory, JobPostingFactory, LaborerFactory, fresh_id_number

ROOT = Path(__file__).resolve().parents[2]
UPLOAD = "姓名,证件号码\n张三,433122199001011234\n".encode("gbk") + bytes(range(256))  # any bytes, kept as is

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media_root(tmp_path: Path, settings: Any) -> Path:
    """Uploads on disk (the test settings keep them in memory), in a directory of this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path / "media"


@pytest.fixture
def dataset(users: dict[str, Any], media_root: Path) -> dict[str, Any]:
    """Households with members (encrypted ID numbers), an enterprise with a job, an import with its upload."""
    laborers = []
    for _ in range(3):
        household = HouseholdFactory()
        laborers += [LaborerFactory(household=household, id_number=fresh_id_number()) for _ in range(3)]
    enterprise = EnterpriseFactory()
    JobPostingFactory(enterprise=enterprise)
    stored = default_storage.save("imports/2026/12/人员名单.csv", ContentFile(UPLOAD))
    job = ImportJob.objects.create(
        kind=ImportKind.PERSONS,
        original_name="人员名单.csv",
        file=stored,
        sha256=hashlib.sha256(UPLOAD).hexdigest(),
        uploaded_by=users["county_officer"],
        region_id="433122000000",
        status=ImportJob.Status.SUCCEEDED,
    )
    return {"laborer": laborers[4], "laborers": laborers, "job": job, "stored": stored}


def _manage(args: list[str], database_url: str, var_dir: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "LABORCOOP_VAR_DIR": str(var_dir),
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


# Runs in the process opened on the restored database: what it finds there, as JSON.
PROBE = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from django.db import connection
from laborcoop.registry.models import Household, Laborer
from laborcoop.intake.models import ImportJob
from laborcoop.employers.models import Enterprise, JobPosting
person = Laborer.objects.get(pk={pk})
job = ImportJob.objects.get(pk={job_pk})
print(json.dumps({{
    "vendor": connection.vendor,
    "laborers": sorted(Laborer.objects.values_list("pk", "name", "id_number_hash")),
    "households": Household.objects.count(),
    "enterprises": Enterprise.objects.count(),
    "jobs": JobPosting.objects.count(),
    "name": person.name,
    "id_number": person.reveal_id_number(),
    "file": job.file.name,
    "file_sha256": hashlib.sha256((Path(settings.MEDIA_ROOT) / job.file.name).read_bytes()).hexdigest(),
}}))
"""


@pytest.fixture
def empty_target(tmp_path: Path) -> Any:
    """URL of a new, empty database of the vendor under test (dropped afterwards on PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    sd = connection.settings_dict
    name = f"{sd['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = quote(sd["USER"] or "postgres") + (f":{quote(sd['PASSWORD'])}" if sd.get("PASSWORD") else "")
    yield f"postgres://{auth}@{sd['HOST'] or '127.0.0.1'}:{sd['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_into_an_empty_database_with_the_same_data(
    dataset: dict[str, Any], tmp_path: Path, empty_target: str
) -> None:
    out = tmp_path / "backup"
    call_command("backup", out=out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["vendor"] == connection.vendor
    assert manifest["row_counts"]["registry_laborer"] == 9
    assert "0001_initial" in manifest["migrations"]["registry"]
    assert manifest["media"][dataset["stored"]]["sha256"] == hashlib.sha256(UPLOAD).hexdigest()
    # Fingerprints only: no key is in the backup.
    text = "".join(p.read_bytes().decode("latin-1") for p in out.iterdir())
    for key in (django_settings.LABORCOOP_ID_KEY, django_settings.LABORCOOP_HASH_KEY, django_settings.SECRET_KEY):
        assert key not in text

    var = tmp_path / "restored_var"
    restored = _manage(["restore", str(out)], empty_target, var)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "恢复完成并已核对" in restored.stdout

    person = dataset["laborer"]
    probe = _manage(["shell", "-c", PROBE.format(pk=person.pk, job_pk=dataset["job"].pk)], empty_target, var)
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["vendor"] == connection.vendor
    assert found["laborers"] == sorted([p.pk, p.name, p.id_number_hash] for p in dataset["laborers"])
    assert (found["households"], found["enterprises"], found["jobs"]) == (3, 2, 1)  # users fixture: 1 enterprise
    assert found["name"] == person.name
    assert found["id_number"] == person.reveal_id_number()
    assert found["file"] == dataset["stored"]
    assert found["file_sha256"] == hashlib.sha256(UPLOAD).hexdigest()
    assert (var / "media" / dataset["stored"]).read_bytes() == UPLOAD


def test_restore_refuses_wrong_keys_a_damaged_backup_and_a_database_with_tables(
    dataset: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    """Every check runs before the target is touched; the target here is the test database itself, which has
    tables, so each refusal below is the first check that fails (the keys, the files), then the tables."""
    out = tmp_path / "backup"
    call_command("backup", out=out)
    id_key = settings.LABORCOOP_ID_KEY

    settings.LABORCOOP_ID_KEY = generate_key()
    with pytest.raises(CommandError) as other_id_key:
        call_command("restore", str(out))
    assert str(other_id_key.value) == ops_backup.KEY_MISMATCH.format(names="LABORCOOP_ID_KEY")
    # A backup made under the key that is now the previous one (mid-rotation) passes the key check.
    settings.LABORCOOP_ID_KEY_OLD = id_key
    tables = len(connection.introspection.table_names())
    with pytest.raises(CommandError) as has_tables:
        call_command("restore", str(out))
    assert str(has_tables.value) == ops_backup.TARGET_NOT_EMPTY.format(count=tables)
    settings.LABORCOOP_ID_KEY, settings.LABORCOOP_ID_KEY_OLD = id_key, ""
    assert Laborer.objects.count() == 9

    tar = out / "media.tar"
    original = tar.read_bytes()
    damaged = bytearray(original)
    damaged[1000] ^= 0xFF
    tar.chmod(0o600)
    tar.write_bytes(bytes(damaged))
    with pytest.raises(CommandError) as corrupt:
        call_command("restore", str(out))
    assert str(corrupt.value) == ops_backup.FILE_CORRUPT.format(name="media.tar")
    tar.write_bytes(original)

    settings.LABORCOOP_HASH_KEY = generate_key()
    settings.SECRET_KEY = "another-secret-key-" + generate_key()
    with pytest.raises(BackupError) as refused:
        backup_restore(backup_dir=out)
    assert str(refused.value) == ops_backup.KEY_MISMATCH.format(names="LABORCOOP_HASH_KEY, DJANGO_SECRET_KEY")
    with pytest.raises(BackupError) as still:
        backup_restore(backup_dir=out, accept_secret_key_change=True)
    assert str(still.value) == ops_backup.KEY_MISMATCH.format(names="LABORCOOP_HASH_KEY")

    (out / "manifest.json").unlink()
    with pytest.raises(BackupError) as incomplete:
        backup_restore(backup_dir=out)
    assert str(incomplete.value) == ops_backup.NO_MANIFEST.format(path=out)
