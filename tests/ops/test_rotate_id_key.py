"""Rotation of the ID encryption key (issue 11, item 16): `manage.py rotate_id_key` re-encrypts every stored
ciphertext under the new key, in chunks, idempotently and resumably; afterwards the old key is not needed."""

from io import StringIO
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from django.core.management import CommandError, call_command

from laborcoop.core.crypto import decrypt, encrypt, generate_key, is_current
from laborcoop.exports.choices import ExportFormat, ExportKind
from laborcoop.exports.filters import open_filters, seal_filters
from laborcoop.exports.models import ExportJob
from laborcoop.ops.backup import encrypted_fields
from laborcoop.ops.rotation import NO_OLD_KEY, SEALED_KEY
from laborcoop.registry.models import Laborer
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number

SEARCH = "433122199001011234"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("rotate_id_key", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data(users: dict[str, Any]) -> dict[str, Any]:
    """Seven laborers and an export job whose search text is sealed, all under the current (old) key."""
    household = HouseholdFactory()
    numbers = {LaborerFactory(household=household, id_number=n).pk: n for n in [fresh_id_number() for _ in range(7)]}
    export = ExportJob.objects.create(
        kind=ExportKind.LABORERS,
        format=ExportFormat.CSV,
        filters=seal_filters({"q": SEARCH, "region": "433122000000"}),
        requested_by=users["county_officer"],
    )
    return {"numbers": numbers, "export": export}


def _rotate_to_new_key(settings: Any) -> str:
    old = settings.LABORCOOP_ID_KEY
    settings.LABORCOOP_ID_KEY, settings.LABORCOOP_ID_KEY_OLD = generate_key(), old
    return old


def test_every_encrypted_column_is_found() -> None:
    found = {f"{model._meta.label}.{name}" for model, name in encrypted_fields()}
    assert {"registry.Laborer.id_number_enc", "notifications.Notification.address_enc"} <= found


def test_rotation_reencrypts_everything_and_the_old_key_can_go(data: dict[str, Any], settings: Any) -> None:
    old = _rotate_to_new_key(settings)
    # During the rotation both keys read.
    laborer = Laborer.objects.get(pk=next(iter(data["numbers"])))
    assert laborer.reveal_id_number() == data["numbers"][laborer.pk]
    assert not is_current(laborer.id_number_enc)
    assert "registry.Laborer.id_number_enc: 检查 7，已是新密钥 0，重新加密 0，待轮换 7" in _run("--check")

    report = _run("--chunk", "3")
    assert "registry.Laborer.id_number_enc: 检查 7，已是新密钥 0，重新加密 7" in report
    assert f"exports.ExportJob.filters[{SEALED_KEY}]: 检查 1，已是新密钥 0，重新加密 1" in report

    # The old key is gone: everything still decrypts, under the new key only.
    settings.LABORCOOP_ID_KEY_OLD = ""
    for laborer in Laborer.objects.all():
        assert is_current(laborer.id_number_enc)
        assert laborer.reveal_id_number() == data["numbers"][laborer.pk]
    export = ExportJob.objects.get(pk=data["export"].pk)
    assert open_filters(export.filters) == {"q": SEARCH, "region": "433122000000"}
    # ... and the old key alone no longer opens them.
    settings.LABORCOOP_ID_KEY = old
    with pytest.raises(InvalidTag):
        Laborer.objects.get(pk=laborer.pk).reveal_id_number()


def test_rotation_is_idempotent_and_resumes_where_it_stopped(data: dict[str, Any], settings: Any) -> None:
    _rotate_to_new_key(settings)
    # A run that stopped after its first chunk: the first three laborers are under the new key already.
    first = list(Laborer.objects.order_by("pk")[:3])
    for laborer in first:
        laborer.id_number_enc = encrypt(decrypt(laborer.id_number_enc))
    Laborer.objects.bulk_update(first, ["id_number_enc"])
    untouched = {pk: Laborer.objects.get(pk=pk).id_number_enc for pk in [p.pk for p in first]}

    assert "registry.Laborer.id_number_enc: 检查 7，已是新密钥 3，重新加密 4" in _run("--chunk", "2")
    assert {p.pk: p.id_number_enc for p in Laborer.objects.filter(pk__in=untouched)} == untouched
    # A second run changes nothing.
    before = dict(Laborer.objects.values_list("pk", "id_number_enc"))
    again = _run()
    assert "registry.Laborer.id_number_enc: 检查 7，已是新密钥 7，重新加密 0" in again
    assert dict(Laborer.objects.values_list("pk", "id_number_enc")) == before
    assert "全部已用新密钥加密。" in _run("--check")


def test_a_value_no_key_opens_is_reported_and_left_alone(data: dict[str, Any], settings: Any) -> None:
    stranger = generate_key()
    current = settings.LABORCOOP_ID_KEY
    settings.LABORCOOP_ID_KEY = stranger
    foreign = encrypt("433122199001011234")
    settings.LABORCOOP_ID_KEY = current
    odd = LaborerFactory(id_number=fresh_id_number())
    Laborer.objects.filter(pk=odd.pk).update(id_number_enc=foreign)

    _rotate_to_new_key(settings)
    with pytest.raises(CommandError) as failed:
        _run()
    assert "无法用当前或旧密钥解密" in str(failed.value)
    assert Laborer.objects.get(pk=odd.pk).id_number_enc == foreign
    # The others were rotated all the same.
    assert all(is_current(Laborer.objects.get(pk=pk).id_number_enc) for pk in data["numbers"])


@pytest.mark.django_db
def test_rotation_needs_the_old_key() -> None:
    with pytest.raises(CommandError) as refused:
        _run()
    assert str(refused.value) == NO_OLD_KEY
