"""A laborer's SMS: the registry keeps the mobile number encrypted, the gateway still gets the clear number
(decrypted when the message is enqueued and sent), and the outbox row keeps it only encrypted and masked."""

from typing import Any

import pytest

from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services.notify import notify_laborer_of_result
from laborcoop.notifications.dispatch import notification_dispatch
from laborcoop.notifications.models import Notification
from tests.dbscan import clear_personal_values
from tests.factories import JobPostingFactory, LaborerFactory
from tests.notifications.conftest import Gateway

pytestmark = pytest.mark.django_db

LABORER_PHONE = "13698765432"


def test_sms_to_a_laborer_gets_the_clear_number(people: Any, gateway: Gateway) -> None:
    laborer = LaborerFactory(phone=LABORER_PHONE)
    job = JobPostingFactory(enterprise__region_id="433122000000")
    rec = Recommendation.objects.create(
        job=job, laborer=laborer, region_id=laborer.region_id, score=80, state=RecState.HIRED
    )

    assert notify_laborer_of_result(recommendation=rec)
    row = Notification.objects.get()
    sent = notification_dispatch(notification_id=row.pk)

    assert sent is not None
    assert sent.status == "sent"
    [request] = gateway.requests
    assert request["body"]["to"] == LABORER_PHONE
    assert row.address_masked == "136****5432"
    assert clear_personal_values() == []
