from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "laborcoop.matching"
    label = "matching"
    verbose_name = "人岗匹配"

    def ready(self) -> None:
        from laborcoop.matching import jobs, receivers  # noqa: F401  (receivers: connects the signal receivers)

        jobs.register()  # recovery of crashed batch runs (core.jobs)
        from laborcoop.matching.services.notify import PERSONAL_LINK, personal_link
        from laborcoop.notifications.links import register_signed_link

        register_signed_link(PERSONAL_LINK, lambda laborer_id: personal_link(laborer_id=laborer_id))
        from laborcoop.matching.models import Recommendation
        from laborcoop.registry.merge import connect_merge_relation
        from laborcoop.registry.models import Laborer

        connect_merge_relation(Recommendation, "laborer", target=Laborer)  # the pipeline follows a merged laborer

        from laborcoop.employers.panels import JOB_ACTIONS, MARKET_ACTIONS
        from laborcoop.matching.panels import (
            job_link_panel,
            laborer_link_panel,
            laborer_personal_link_panel,
            market_put_forward_panel,
        )
        from laborcoop.registry.panels import LABORER_ACTIONS

        LABORER_ACTIONS.register("matching.pipeline", laborer_link_panel, order=10)  # 推荐岗位
        LABORER_ACTIONS.register("matching.personal_link", laborer_personal_link_panel, order=11)  # 个人链接
        JOB_ACTIONS.register("matching.pipeline", job_link_panel, order=10)  # 推荐人选
        MARKET_ACTIONS.register("matching.put_forward", market_put_forward_panel, order=10)  # 推荐本辖区人员
