"""Migration 0010: 意向地区 typed as text become region codes where the name is unambiguous; the rest go."""

import importlib
from typing import Any

import pytest
from django.apps import apps

from laborcoop.registry.models import Laborer
from tests.factories import LaborerFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("laborcoop.registry.migrations.0010_intended_regions_as_codes")


def test_text_intentions_become_codes_and_unresolved_ones_are_dropped(
    regions: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    typed = LaborerFactory(intended_regions=["济南", "深圳市", "泸溪", "火星"], ethnicity="苗")
    coded = LaborerFactory(intended_regions=["433100000000"], ethnicity="汉族")
    nothing = LaborerFactory(intended_regions=[])
    migration.forwards(apps, None)
    typed.refresh_from_db()
    assert typed.intended_regions == ["370100000000", "440300000000", "433122000000"]
    assert typed.ethnicity == "苗族"
    assert Laborer.objects.get(pk=coded.pk).intended_regions == ["433100000000"]
    assert Laborer.objects.get(pk=nothing.pk).intended_regions == []
    assert "1 laborers rewritten as region codes, 1 unresolved entries dropped" in capsys.readouterr().out
    migration.forwards(apps, None)  # idempotent: codes stay codes
    typed.refresh_from_db()
    assert typed.intended_regions == ["370100000000", "440300000000", "433122000000"]
