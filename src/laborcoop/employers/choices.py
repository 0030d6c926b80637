from django.db import models


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"


class EnterpriseSize(models.TextChoices):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class SexRequirement(models.TextChoices):
    ANY = "", "不限"
    MALE = "1", "男"
    FEMALE = "2", "女"


class JobStatus(models.TextChoices):
    OPEN = "open", "招聘中"  # visible to matching while valid
    PAUSED = "paused", "暂停"  # kept, not offered
    CLOSED = "closed", "已结束"  # filled or withdrawn
    EXPIRED = "expired", "已过期"  # past its end date (有效期止): set by the nightly expiry, shown so at once


# What a person may set by hand (EXPIRED follows the end date only).
SETTABLE_JOB_STATUSES = (JobStatus.OPEN, JobStatus.PAUSED, JobStatus.CLOSED)
# Statuses that the end date turns into EXPIRED.
EXPIRING_JOB_STATUSES = (JobStatus.OPEN, JobStatus.PAUSED)
