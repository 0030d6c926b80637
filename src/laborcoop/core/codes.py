"""National code lists that several apps share (the registry, job postings, ID-number parsing)."""

from django.db import models


class Sex(models.TextChoices):
    MALE = "1", "男"
    FEMALE = "2", "女"


class Education(models.TextChoices):
    """文化程度 as the poverty system records it; blank while the person is in school."""

    ILLITERATE = "文盲或半文盲", "文盲或半文盲"
    PRIMARY = "小学", "小学"
    JUNIOR = "初中", "初中"
    SENIOR = "高中", "高中"
    COLLEGE = "大专", "大专"
    BACHELOR = "本科及以上", "本科及以上"


# Ordered for "minimum education" comparisons (job requirements).
EDUCATION_RANK = {value: rank for rank, value in enumerate(Education.values)}
