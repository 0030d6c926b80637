"""Comparison lists at rest: stored encrypted, read back for the run, deleted after the retention (the results
kept), the retention on the page, and a purged comparison not re-runnable."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laborcoop.core.errors import ConflictError
from laborcoop.core.file_crypto import MAGIC, read_decrypted
from laborcoop.core.uploads import UPLOAD_PURGED, purged_cannot_run_message
from laborcoop.linkage.jobs import comparison_retry
from laborcoop.linkage.models import Comparison, ComparisonEntry
from laborcoop.linkage.services import comparison_run
from tests.linkage.conftest import Person, row_of
from tests.linkage.helpers import HOUSEHOLD_HEADERS, run_comparison, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_comparison_list_is_encrypted_purged_and_not_rerun(users: dict[str, Any], registry: list[Person]) -> None:
    rows = [row_of(p) for p in registry[:5]]
    data = xlsx_bytes(
        HOUSEHOLD_HEADERS, [[i + 1] + [r.get(h, "") for h in HOUSEHOLD_HEADERS[1:]] for i, r in enumerate(rows)]
    )
    comparison = run_comparison(users["county_officer"], "户籍.xlsx", data, "household_reg")
    assert comparison.status == Comparison.Status.SUCCEEDED, comparison.error
    with comparison.file.storage.open(comparison.file.name, "rb") as f:
        stored = f.read()
    assert stored.startswith(MAGIC)
    assert not any(str(r["公民身份号码"]).encode() in stored for r in rows)
    assert read_decrypted(comparison.file) == data
    matched = ComparisonEntry.objects.filter(comparison=comparison).count()

    client = Client()
    client.force_login(users["county_officer"])
    page_before = client.get(reverse("linkage:detail", args=[comparison.pk])).content.decode()
    Comparison.objects.filter(pk=comparison.pk).update(created_at=timezone.now() - timedelta(days=31))
    call_command("purge_uploads", stdout=io.StringIO())
    comparison.refresh_from_db()
    page_after = client.get(reverse("linkage:detail", args=[comparison.pk])).content.decode()

    assert "按保留期限（30天）删除" in page_before
    assert UPLOAD_PURGED.format(days=30) in page_after
    assert comparison.file_purged
    assert comparison.status == Comparison.Status.SUCCEEDED
    assert ComparisonEntry.objects.filter(comparison=comparison).count() == matched

    Comparison.objects.filter(pk=comparison.pk).update(status=Comparison.Status.FAILED)
    with pytest.raises(ConflictError) as refused:
        comparison_retry(acting_user=users["county_officer"], comparison_id=comparison.pk)
    Comparison.objects.filter(pk=comparison.pk).update(status=Comparison.Status.QUEUED)
    ran = comparison_run(comparison_id=comparison.pk)
    assert refused.value.message == purged_cannot_run_message()
    assert (ran.status, ran.error) == (Comparison.Status.FAILED, purged_cannot_run_message())
