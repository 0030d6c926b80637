"""Code lists of employment records (shared/domain.md "Code lists"; platform-defined ones marked design)."""

from django.db import models


class Channel(models.TextChoices):
    """就业渠道 as the monitoring system records it (values are the system's own words)."""

    LABOR_COOPERATION = "劳务协作输出", "劳务协作输出"  # organised output to a cooperating input region
    MIGRANT = "外出务工", "外出务工"  # found work away from home on their own or through brokers
    ASSIST_WORKSHOP = "帮扶车间", "帮扶车间"  # 就业帮扶车间 in the home county
    PUBLIC_WELFARE = "公益性岗位", "公益性岗位"  # 公益性岗位 in the home county
    SELF_EMPLOYED = "自主就业", "自主就业"
    BUSINESS = "创业", "创业"
    OTHER = "其他", "其他"


# Channels that exist only inside the home county: working elsewhere with them is a contradiction.
IN_COUNTY_CHANNELS = frozenset([Channel.ASSIST_WORKSHOP, Channel.PUBLIC_WELFARE])


class EndReason(models.TextChoices):
    """Why a job ended (design). The tracking work builds re-employment service on these."""

    CONTRACT_EXPIRED = "contract_expired", "合同期满"
    RESIGNED = "resigned", "本人辞职"
    DISMISSED = "dismissed", "单位辞退"
    ENTERPRISE_CLOSED = "enterprise_closed", "企业停产或关闭"
    HEALTH = "health", "伤病"
    FAMILY = "family", "家庭原因"
    SEASONAL = "seasonal", "季节性务工结束"
    RETIRED = "retired", "退休或年龄原因"
    OTHER = "other", "其他"


class Source(models.TextChoices):
    """Where a record came from (design)."""

    REFERRAL = "referral", "推荐录用"  # hired after a recommendation of the platform
    ENTERPRISE = "enterprise", "企业报送"  # reported by the enterprise
    OFFICER = "officer", "经办录入"  # typed in by an officer or broker
    IMPORT = "import", "导入"  # from an uploaded 已外出务工 sheet
    LINKAGE = "linkage", "数据比对"  # from comparison with another department's list


class ContractTerm(models.TextChoices):
    """Labour-contract terms of the Labour Contract Law, art. 12."""

    FIXED = "fixed", "固定期限"
    OPEN_ENDED = "open_ended", "无固定期限"
    TASK = "task", "以完成一定工作任务为期限"


class InsuranceType(models.TextChoices):
    """Social-insurance types of the county labor-resource forms."""

    EMPLOYEE_PENSION = "城镇职工养老", "城镇职工养老保险"
    RESIDENT_PENSION = "城乡居民养老", "城乡居民养老保险"
    EMPLOYEE_MEDICAL = "职工医疗", "职工医疗保险"
    RESIDENT_MEDICAL = "居民医疗", "居民医疗保险"
    UNEMPLOYMENT = "失业", "失业保险"
    WORK_INJURY = "工伤", "工伤保险"


class LineSource(models.TextChoices):
    """Where a wage or insurance month came from (design)."""

    ENTERPRISE = "enterprise", "企业报送"
    OFFICER = "officer", "经办录入"
    IMPORT = "import", "导入"
    LINKAGE = "linkage", "社保数据比对"


class TrackStatus(models.TextChoices):
    """The derived employment status of a laborer (design): kept current from the records by the services."""

    STABLE = "stable", "稳定就业"  # continuous employment >= N months with a contract and social insurance
    EMPLOYED = "employed", "在岗"  # an ongoing record, not (yet) stable
    UNEMPLOYED = "unemployed", "失业"  # worked before, no ongoing record, not back home
    RETURNED = "returned", "返乡"  # the last job was outside the home county and ended; back home, no work
    NEVER = "never", "无就业记录"  # no record at all
