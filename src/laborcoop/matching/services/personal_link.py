"""Staff see and copy a laborer's current personal link, e.g. to send it by WeChat (issue 13 item 9).

The link gives whoever holds it the laborer's recommendations for 14 days, so showing it is audited like an
export (who, when, whose link, why); the link itself is never stored, in the audit row or anywhere else.
"""

from typing import Any

from django.db import transaction

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record
from laborcoop.core.models import AuditEntry
from laborcoop.matching.services.notify import personal_link
from laborcoop.registry.access import access_laborer

REVEAL_REASON = "查看个人推荐链接（由工作人员通过微信等方式转交本人）"


def personal_link_reveal(*, acting_user: Any, laborer_id: int) -> str:
    """The laborer's personal link as sent by SMS (absolute when the public address is configured), for a
    staff member who may edit the laborer; audited."""
    laborer = access_laborer(user=acting_user, laborer_id=laborer_id, cap=Cap.REGISTRY_EDIT)
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.PERSONAL_LINK,
            instance=laborer,
            region_code=laborer.region_id,
            changes={"personal_link": ["", "已查看"]},
            reason=REVEAL_REASON,
        )
    return personal_link(laborer_id=laborer.pk)
