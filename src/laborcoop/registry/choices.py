"""Code lists of the poverty-monitoring and labor-resource systems (see shared/domain.md)."""

from django.db import models

# The national code lists (sex, education) are shared with other apps and live in core.codes.
from laborcoop.core.codes import EDUCATION_RANK, Education, Sex  # noqa: F401


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    DISABILITY_CERT = "disability_cert", "残疾人证"


class Relation(models.TextChoices):
    HEAD = "户主", "户主"
    SPOUSE = "配偶", "配偶"
    SON = "之子", "之子"
    DAUGHTER = "之女", "之女"
    DAUGHTER_IN_LAW = "之儿媳", "之儿媳"
    SON_IN_LAW = "之女婿", "之女婿"
    GRANDSON = "之孙子", "之孙子"
    GRANDDAUGHTER = "之孙女", "之孙女"
    DAUGHTERS_SON = "之外孙子", "之外孙子"
    DAUGHTERS_DAUGHTER = "之外孙女", "之外孙女"
    FATHER = "之父", "之父"
    MOTHER = "之母", "之母"
    WIFES_FATHER = "之岳父", "之岳父"
    WIFES_MOTHER = "之岳母", "之岳母"
    HUSBANDS_FATHER = "之公公", "之公公"
    HUSBANDS_MOTHER = "之婆婆", "之婆婆"
    GRANDFATHER = "之祖父", "之祖父"
    GRANDMOTHER = "之祖母", "之祖母"
    MATERNAL_GRANDFATHER = "之外祖父", "之外祖父"
    MATERNAL_GRANDMOTHER = "之外祖母", "之外祖母"
    SIBLING = "之兄弟姐妹", "之兄弟姐妹"
    GREAT_GRANDSON = "之曾孙子", "之曾孙子"
    GREAT_GRANDDAUGHTER = "之曾孙女", "之曾孙女"
    NEPHEW = "之侄儿", "之侄儿"
    NIECE = "之侄女", "之侄女"
    SISTER_IN_LAW = "之兄弟媳妇", "之兄弟媳妇"
    UNCLE = "之叔伯", "之叔伯"
    OTHER = "其他", "其他"


class StudentStatus(models.TextChoices):
    PRESCHOOL_CHILD = "学龄前儿童", "学龄前儿童"
    PRESCHOOL = "学前教育", "学前教育"
    PRIMARY = "小学", "小学"
    JUNIOR_1 = "七年级", "七年级"
    JUNIOR_2 = "八年级", "八年级"
    JUNIOR_3 = "九年级", "九年级"
    SENIOR_1 = "普通高中一年级", "普通高中一年级"
    SENIOR_2 = "普通高中二年级", "普通高中二年级"
    SENIOR_3 = "普通高中三年级", "普通高中三年级"
    VOCATIONAL_1 = "中职一年级", "中职一年级"
    VOCATIONAL_2 = "中职二年级", "中职二年级"
    VOCATIONAL_3 = "中职三年级", "中职三年级"
    HIGHER_VOC_1 = "高职高专一年级", "高职高专一年级"
    HIGHER_VOC_2 = "高职高专二年级", "高职高专二年级"
    HIGHER_VOC_3 = "高职高专三年级", "高职高专三年级"
    TECHNICIAN_1 = "技师学院一年级", "技师学院一年级"
    TECHNICIAN_2 = "技师学院二年级", "技师学院二年级"
    TECHNICIAN_3 = "技师学院三年级", "技师学院三年级"
    TECHNICIAN_4 = "技师学院四年级", "技师学院四年级"
    UNDERGRAD_1 = "本科一年级", "本科一年级"
    UNDERGRAD_2 = "本科二年级", "本科二年级"
    UNDERGRAD_3 = "本科三年级", "本科三年级"
    UNDERGRAD_4 = "本科四年级", "本科四年级"
    UNDERGRAD_5 = "本科五年级", "本科五年级"
    GRADUATE = "硕士研究生及以上", "硕士研究生及以上"


JUNIOR_SCHOOL = {StudentStatus.JUNIOR_1, StudentStatus.JUNIOR_2, StudentStatus.JUNIOR_3}
SENIOR_SCHOOL = {
    StudentStatus.SENIOR_1,
    StudentStatus.SENIOR_2,
    StudentStatus.SENIOR_3,
    StudentStatus.VOCATIONAL_1,
    StudentStatus.VOCATIONAL_2,
    StudentStatus.VOCATIONAL_3,
}


class Health(models.TextChoices):
    HEALTHY = "健康", "健康"
    CHRONIC = "长期慢性病", "长期慢性病"
    SERIOUS = "患有大病", "患有大病"
    DISABLED = "残疾", "残疾"


class LaborSkill(models.TextChoices):
    ORDINARY = "普通劳动力", "普通劳动力"
    SKILLED = "技能劳动力", "技能劳动力"
    WEAK = "弱劳动力或半劳动力", "弱劳动力或半劳动力"
    LOST = "丧失劳动力", "丧失劳动力"
    NONE = "无劳动力", "无劳动力"


HAS_LABOR = {LaborSkill.ORDINARY, LaborSkill.SKILLED, LaborSkill.WEAK}


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "中共党员", "中共党员"
    CPC_PROBATIONARY = "中共预备党员", "中共预备党员"
    LEAGUE_MEMBER = "共青团员", "共青团员"
    DEMOCRATIC_PARTY = "民主党派", "民主党派"
    MASSES = "群众", "群众"


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", "已就业"  # working for wages (务工) or self-employed
    UNEMPLOYED = "unemployed", "未就业"  # has labor ability, wants work, no job now
    FARMING = "farming", "务农"  # working the family land
    NOT_IN_LABOR_FORCE = "not_applicable", "无就业需求"  # students, no labor ability, retired


class WorkArea(models.TextChoices):
    """务工地域 (01/02/03/99 in the poverty system); also used for work-region willingness."""

    IN_COUNTY = "01", "县内"
    IN_PROVINCE = "02", "省内县外"
    OUT_OF_PROVINCE = "03", "省外"
    OTHER = "99", "其他"


WILLINGNESS_CHOICES = [c for c in WorkArea.choices if c[0] != WorkArea.OTHER]


class Qualification(models.TextChoices):
    JUNIOR = "初级技工", "初级技工"
    MIDDLE = "中级技工", "中级技工"
    SENIOR = "高级技工", "高级技工"
    TECHNICIAN = "技师", "技师"
    SENIOR_TECHNICIAN = "高级技师", "高级技师"


class MaritalStatus(models.TextChoices):
    SINGLE = "未婚", "未婚"
    MARRIED = "已婚", "已婚"
    DIVORCED = "离婚", "离婚"
    WIDOWED = "丧偶", "丧偶"


class HouseholdType(models.TextChoices):
    LIFTED = "脱贫户", "脱贫户"
    ORDINARY = "一般农户", "一般农户"


class PovertyAttribute(models.TextChoices):
    GENERAL = "一般脱贫户", "一般脱贫户"
    SUBSISTENCE = "低保脱贫户", "低保脱贫户"
    DESTITUTE = "特困供养脱贫户", "特困供养脱贫户"


class MonitorCategory(models.TextChoices):
    UNSTABLE = "脱贫不稳定户", "脱贫不稳定户"
    MARGINAL = "边缘易致贫户", "边缘易致贫户"
    SUDDEN_HARDSHIP = "突发严重困难户", "突发严重困难户"


class PovertyCause(models.TextChoices):
    ILLNESS = "因病", "因病"
    DISABILITY = "因残", "因残"
    SCHOOLING = "因学", "因学"
    DISASTER = "因灾", "因灾"
    MARRIAGE = "因婚", "因婚"
    FUNERAL = "因丧", "因丧"
    NO_LAND = "缺土地", "缺土地"
    NO_SKILL = "缺技术", "缺技术"
    NO_LABOR = "缺劳力", "缺劳力"
    POOR_TRANSPORT = "交通条件落后", "交通条件落后"
    LOW_MOTIVATION = "自身发展动力不足", "自身发展动力不足"


class TrainingNeed(models.TextChoices):
    """培训意向: common course families in county training catalogues (design)."""

    ELECTRICIAN = "电工", "电工"
    WELDER = "焊工", "焊工"
    COOK = "中式烹调", "中式烹调"
    DOMESTIC = "家政服务", "家政服务"
    ELDER_CARE = "养老护理", "养老护理"
    DRIVER = "驾驶", "驾驶"
    ECOMMERCE = "电子商务", "电子商务"
    CONSTRUCTION = "建筑施工", "建筑施工"
    GARMENT = "缝纫", "缝纫"
    FARMING = "种养殖技术", "种养殖技术"
    BEAUTY = "美容美发", "美容美发"
    EXCAVATOR = "挖掘机操作", "挖掘机操作"


# 民族: the 56 names of GB/T 3304-1991 in the standard's code order (01-56), then its 97 其他 and
# 98 外国血统中国籍人士.
ETHNICITIES: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "其他", "外国血统中国籍人士",
)  # fmt: skip
ETHNICITY_CHOICES: list[tuple[str, str]] = [(name, name) for name in ETHNICITIES]


def normalize_ethnicity(text: str) -> str | None:
    """The list's name for `text` ("苗" and "苗族" both give 苗族), None if it names none."""
    text = (text or "").strip()
    if text in ETHNICITIES:
        return text
    if text + "族" in ETHNICITIES:
        return text + "族"
    if text in ("外国血统", "外国血统中国籍"):
        return "外国血统中国籍人士"
    return None
