from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "laborcoop.tracking"
    label = "tracking"
    verbose_name = "跟踪服务"

    def ready(self) -> None:
        # Receivers of employment_changed (follow-up tasks on leaving and re-employment, destination notices) and
        # of the registry's laborers_moved (notices and open tasks follow the home); the derived employment status
        # follows employment_changed, employment_states_stale and merges (tracking.status.receivers).
        from laborcoop.registry.merge import connect_merge_relation
        from laborcoop.registry.models import Laborer
        from laborcoop.tracking import registry_receivers  # noqa: F401
        from laborcoop.tracking.followups import receivers as followup_receivers  # noqa: F401
        from laborcoop.tracking.followups import unreachable
        from laborcoop.tracking.models import DestinationNotice, FollowUp, FollowUpTask
        from laborcoop.tracking.notices import receivers as notice_receivers  # noqa: F401
        from laborcoop.tracking.status import receivers as status_receivers  # noqa: F401

        unreachable.register_export_kind()  # a long unreachable list is exported as a background job

        for model in (FollowUpTask, FollowUp, DestinationNotice):  # they follow a merged laborer
            connect_merge_relation(model, "laborer", target=Laborer)

        from laborcoop.registry.panels import LABORER_PANELS
        from laborcoop.tracking.panels import laborer_followups_panel, laborer_trajectory_panel

        # the laborer page's 就业轨迹 and 跟踪寻访, after employment's 就业记录
        LABORER_PANELS.register("tracking.trajectory", laborer_trajectory_panel, order=20)
        LABORER_PANELS.register("tracking.followups", laborer_followups_panel, order=30)
