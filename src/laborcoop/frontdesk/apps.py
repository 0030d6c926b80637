from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    name = "laborcoop.frontdesk"
    label = "frontdesk"
    verbose_name = "窗口服务与查重"

    def ready(self) -> None:
        from laborcoop.frontdesk.models import DuplicatePair, MergeRecord, ServiceContact
        from laborcoop.registry.merge import connect_merge_relation, declare_merge_handled
        from laborcoop.registry.models import Laborer

        connect_merge_relation(ServiceContact, "matched_laborer", target=Laborer)
        connect_merge_relation(MergeRecord, "kept", target=Laborer)  # a chain of merges ends at the last kept
        for field in ("laborer_a", "laborer_b"):  # the duplicate review itself parks and restores these pairs
            declare_merge_handled(DuplicatePair, field, target=Laborer)

        from laborcoop.frontdesk.panels import laborer_contacts_panel, laborer_duplicates_panel
        from laborcoop.registry.panels import LABORER_NOTICES, LABORER_PANELS

        LABORER_NOTICES.register("frontdesk.duplicates", laborer_duplicates_panel, order=10)  # 可能重复
        LABORER_PANELS.register("frontdesk.contacts", laborer_contacts_panel, order=50)  # 服务记录 (call notes)
