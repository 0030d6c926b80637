from django.db import models

# Length of the significant prefix of a code at each level: 43 / 4331 / 433122 / 433122101 / 433122101201.
PREFIX_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省"
    PREFECTURE = 2, "市州"
    COUNTY = 3, "县市区"
    TOWNSHIP = 4, "乡镇街道"
    VILLAGE = 5, "村社区"


def level_of_code(code: str) -> int:
    """The level of a 12-digit NBS code, read from which digit groups are non-zero."""
    if code[2:] == "0" * 10:
        return RegionLevel.PROVINCE
    if code[4:] == "0" * 8:
        return RegionLevel.PREFECTURE
    if code[6:] == "0" * 6:
        return RegionLevel.COUNTY
    if code[9:] == "000":
        return RegionLevel.TOWNSHIP
    return RegionLevel.VILLAGE


def prefix_of_code(code: str) -> str:
    return code[: PREFIX_LENGTH[level_of_code(code)]]


class Region(models.Model):
    """A node of the administrative tree, keyed by its 12-digit NBS statistical code.

    Scoped tables reference it through a foreign key whose column holds the code itself (`region_code`), so a
    subtree is a range on an indexed column: `region_code BETWEEN '433100000000' AND '433199999999'`.
    Abolished or renamed codes are kept (valid_to set, successor pointing at the new code) because old ID
    numbers and old records still carry them.
    """

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    prefix = models.CharField("有效前缀", max_length=12, unique=True)
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_to = models.DateField("停用日期", null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name="继承区划", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="region_parent_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    @property
    def gb_code(self) -> str:
        """The 6-digit GB/T 2260 code of a province, prefecture or county."""
        return self.code[:6]
