from datetime import date

from django.db import models

from laborcoop.core.crypto import decrypt
from laborcoop.core.models import BaseModel
from laborcoop.registry import choices as c
from laborcoop.registry.identity import PHONE_COLUMN_NAMES, phone_columns


class EncryptedPhone:
    """The mobile number of a household or a person, stored like an ID number: `phone_enc` (AES-GCM),
    `phone_hash` (keyed hash: lookup by number, shared-number checks), `phone_masked` (what screens show) and
    `phone_last4` (tail search). `phone` reads the clear number (decrypts: only where a person must see or
    use it: SMS at send time, the broker's call link, an edit form, an unmasked export) and setting it fills
    all four columns, so they cannot disagree. Querysets filter on `phone_hash` / `phone_last4`."""

    phone_enc: str
    phone_hash: str
    phone_masked: str
    phone_last4: str

    @property
    def phone(self) -> str:
        return decrypt(self.phone_enc) if self.phone_enc else ""

    @phone.setter
    def phone(self, value: str) -> None:
        cols = phone_columns(value or "")
        for name in PHONE_COLUMN_NAMES:
            setattr(self, name, getattr(cols, name))


class VitalStatus(models.TextChoices):
    """What other departments' lists (公安 户籍) say about a person. Never a reason to delete a row."""

    NORMAL = "normal", "正常"  # alive and registered here (the default)
    DECEASED = "deceased", "已死亡"  # reported deceased; the row stays, shown with a badge
    MOVED = "moved", "已迁出"  # household registration moved away; the row stays, shown with a badge


class Household(EncryptedPhone, BaseModel):
    """A registered household (户), identified by its 户编号 and living in one village."""

    household_no = models.CharField("户编号", max_length=30, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所在村",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by the (region_code, ...) index below
    )
    household_type = models.CharField("户类型", max_length=10, choices=c.HouseholdType.choices)
    poverty_attribute = models.CharField("脱贫属性", max_length=10, choices=c.PovertyAttribute.choices, blank=True)
    monitor_category = models.CharField("监测对象类别", max_length=10, choices=c.MonitorCategory.choices, blank=True)
    identified_on = models.DateField("识别监测时间", null=True, blank=True)
    risk_eliminated = models.BooleanField("风险是否已消除", null=True, blank=True)
    poverty_causes: models.JSONField[list[str]] = models.JSONField("致贫/返贫风险", default=list, blank=True)
    phone_enc = models.TextField("户联系电话（密文）", blank=True, editable=False)
    phone_hash = models.CharField("户联系电话（检索摘要）", max_length=64, blank=True, editable=False)
    phone_masked = models.CharField("户联系电话（脱敏）", max_length=11, blank=True, editable=False)
    phone_last4 = models.CharField("户联系电话后四位", max_length=4, blank=True, editable=False)
    address = models.CharField("住址", max_length=200, blank=True)
    warnings: models.JSONField[dict[str, list[str]]] = models.JSONField("校验提示", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "家庭"
        verbose_name_plural = "家庭"
        ordering = ["region_id", "household_no"]
        indexes = [
            models.Index(fields=["region", "household_no"], name="household_region_idx"),
            # Lookup by full number and the shared-number rule; most households have a number.
            models.Index(fields=["phone_hash"], name="household_phone_hash_idx"),
        ]

    def __str__(self) -> str:
        return self.household_no


class Laborer(EncryptedPhone, BaseModel):
    """A registered household member (人员). Those with labor ability are the laborers (劳动力) served.

    The ID number is never stored in clear: `id_number_enc` holds it encrypted, `id_number_hash` is the
    keyed hash used for exact lookup and uniqueness, `id_masked` is what screens show.
    `region` is the household's village, copied so that scope filters need no join.
    """

    household = models.ForeignKey(Household, verbose_name="家庭", on_delete=models.PROTECT, related_name="members")
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所在村",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by the (region_code, ...) index below
    )
    person_no = models.CharField("人口编号", max_length=30, blank=True)
    name = models.CharField("姓名", max_length=50)
    id_type = models.CharField("证件类型", max_length=20, choices=c.IdType.choices, default=c.IdType.RESIDENT_ID)
    id_number_enc = models.TextField("证件号码（密文）", editable=False)
    id_number_hash = models.CharField("证件号码（检索摘要）", max_length=64, editable=False)
    id_masked = models.CharField("证件号码（脱敏）", max_length=22, editable=False)
    id_last4 = models.CharField("证件号后四位", max_length=4, editable=False)
    disability_cert_suffix = models.CharField("残疾人证后缀", max_length=4, blank=True)
    sex = models.CharField("性别", max_length=1, choices=c.Sex.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, blank=True, default="汉族")
    relation = models.CharField("与户主关系", max_length=10, choices=c.Relation.choices)
    education = models.CharField("文化程度", max_length=10, choices=c.Education.choices, blank=True)
    student_status = models.CharField("在校生状况", max_length=10, choices=c.StudentStatus.choices, blank=True)
    health: models.JSONField[list[str]] = models.JSONField("健康状况", default=list)
    disability_category = models.CharField("残疾类别", max_length=20, blank=True)
    labor_skill = models.CharField("劳动技能", max_length=10, choices=c.LaborSkill.choices)
    political_status = models.CharField(
        "政治面貌", max_length=10, choices=c.PoliticalStatus.choices, default=c.PoliticalStatus.MASSES
    )
    marital_status = models.CharField("婚姻状况", max_length=4, choices=c.MaritalStatus.choices, blank=True)
    phone_enc = models.TextField("联系电话（密文）", blank=True, editable=False)
    phone_hash = models.CharField("联系电话（检索摘要）", max_length=64, blank=True, editable=False)
    phone_masked = models.CharField("联系电话（脱敏）", max_length=11, blank=True, editable=False)
    phone_last4 = models.CharField("电话后四位", max_length=4, blank=True, editable=False)
    qualification = models.CharField("职业资格", max_length=10, choices=c.Qualification.choices, blank=True)
    skills = models.CharField("工种/技能", max_length=200, blank=True)
    employment_status = models.CharField(
        "就业状态", max_length=16, choices=c.EmploymentStatus.choices, default=c.EmploymentStatus.UNEMPLOYED
    )
    employer_name = models.CharField("务工单位", max_length=100, blank=True)
    work_area = models.CharField("务工地域", max_length=2, choices=c.WorkArea.choices, blank=True)
    work_region_willingness: models.JSONField[list[str]] = models.JSONField("就业区域意愿", default=list, blank=True)
    intended_occupations: models.JSONField[list[str]] = models.JSONField("意向工种", default=list, blank=True)
    intended_regions: models.JSONField[list[str]] = models.JSONField("意向地区", default=list, blank=True)
    expected_wage = models.PositiveIntegerField("期望月收入（元）", null=True, blank=True)
    training_needs: models.JSONField[list[str]] = models.JSONField("培训需求", default=list, blank=True)
    unreachable = models.BooleanField("无法联系", default=False)
    unreachable_since = models.DateField("无法联系起始日期", null=True, blank=True)
    vital_status = models.CharField(
        "户籍状态", max_length=10, choices=VitalStatus.choices, default=VitalStatus.NORMAL, db_default="normal"
    )
    vital_status_date = models.DateField("死亡/迁出日期", null=True, blank=True)
    vital_status_source = models.CharField("户籍状态来源", max_length=200, blank=True, db_default="")
    warnings: models.JSONField[dict[str, list[str]]] = models.JSONField("校验提示", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["region_id", "id"]
        indexes = [
            # Scoped list pages: a code range on region, then id order, served by one index.
            models.Index(fields=["region", "id"], name="laborer_region_idx"),
            models.Index(fields=["name", "region"], name="laborer_name_idx"),
            # The list sorted by birth date (core.sorting): a province's first page without sorting 2M rows.
            models.Index(fields=["birth_date", "id"], name="laborer_birth_idx"),
            # Name prefix search (LIKE '张%') on PostgreSQL; ignored on SQLite, whose LIKE uses the index above.
            models.Index(fields=["name"], opclasses=["varchar_pattern_ops"], name="laborer_name_prefix_idx"),
            models.Index(fields=["id_last4", "region"], name="laborer_idtail_idx"),
            models.Index(fields=["phone_last4", "region"], name="laborer_phonetail_idx"),
            models.Index(fields=["phone_hash"], name="laborer_phone_hash_idx"),
            models.Index(fields=["region", "labor_skill", "employment_status"], name="laborer_stats_idx"),
            # The unreachable list (tracking): a few people among millions, by region then id.
            models.Index(fields=["region", "id"], condition=models.Q(unreachable=True), name="laborer_unreachable_idx"),
            # What changed since a time: the warm matching index of every process reads it on each use.
            models.Index(fields=["updated_at"], name="laborer_updated_idx"),
        ]
        constraints = [
            # A constraint rather than unique=True: PostgreSQL would add a useless LIKE index to a unique field.
            models.UniqueConstraint(fields=["id_number_hash"], name="laborer_id_number_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"

    def reveal_id_number(self) -> str:
        """The clear ID number. Call only through registry.services.laborer_reveal_id (audited)."""
        return decrypt(self.id_number_enc)

    def age_on(self, day: date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def is_flagged(self) -> bool:
        """Reported deceased or moved away: shown with a badge everywhere, never hidden or deleted."""
        return self.vital_status != VitalStatus.NORMAL

    @property
    def has_labor(self) -> bool:
        return self.labor_skill in c.HAS_LABOR
