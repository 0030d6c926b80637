"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

18 characters from the 31-symbol alphabet (0-9 and A-Y without I O Z S V): 1 registering authority,
1 organisation category, 6 administrative division of the registering office, 9 organisation code, 1 check.
Letter-prefixed codes (A 军队, N 农业, Y 其他) are valid; python-stdnum wrongly rejects them (not used).
"""

from laborcoop.core.validation.checksums import USCC_ALPHABET, uscc_check_char
from laborcoop.core.validation.idcard import clean_code_text
from laborcoop.core.validation.issues import Issues

FIELD = "uscc"

USCC_REQUIRED = "请填写统一社会信用代码"
USCC_BAD_LENGTH = "统一社会信用代码应为 18 位，当前为 {length} 位"
USCC_BAD_CHARS = "统一社会信用代码只能由数字和大写字母组成，且不含 I、O、Z、S、V"
USCC_BAD_AUTHORITY = "统一社会信用代码第 1 位 {char} 不是有效的登记管理部门代码"
USCC_BAD_CHECKSUM = "统一社会信用代码校验码错误，请逐位核对"
USCC_UNKNOWN_CATEGORY = "统一社会信用代码第 2 位 {char} 不是登记管理部门 {authority} 的已知机构类别，请核对"
USCC_ODD_REGION = "统一社会信用代码第 3 至 8 位应为登记管理机关的行政区划代码（6 位数字），请核对"

# Registering authority (1st character) -> organisation categories (2nd character), GB 32100-2015 appendix A.
# Authorities have added categories since, so an unlisted category is only a warning.
AUTHORITY_CATEGORIES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 编办直管群众团体, 其他
    "2": "19",  # 外交
    "3": "123459",  # 司法行政: 律师事务所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}

_ALPHABET = frozenset(USCC_ALPHABET)


def normalize_uscc(raw: object) -> str:
    """Half-width, upper case, without spaces and spreadsheet wrappers (`="…"`, leading apostrophe)."""
    return clean_code_text(raw).upper()


def validate_uscc(raw: object, *, field: str = FIELD, required: bool = True) -> tuple[str, Issues]:
    """Check a credit code; returns (normalized code or "" when there are errors, issues on `field`)."""
    issues = Issues()
    code = normalize_uscc(raw)
    if not code:
        if required:
            issues.error(field, USCC_REQUIRED)
        return "", issues
    if len(code) != 18:
        issues.error(field, USCC_BAD_LENGTH.format(length=len(code)))
        return "", issues
    if not set(code) <= _ALPHABET:
        issues.error(field, USCC_BAD_CHARS)
        return "", issues
    authority, category = code[0], code[1]
    if authority not in AUTHORITY_CATEGORIES:
        issues.error(field, USCC_BAD_AUTHORITY.format(char=authority))
    if uscc_check_char(code[:17]) != code[17]:
        issues.error(field, USCC_BAD_CHECKSUM)
    if issues.has_errors:
        return "", issues
    if category not in AUTHORITY_CATEGORIES[authority]:
        issues.warn(field, USCC_UNKNOWN_CATEGORY.format(char=category, authority=authority))
    if not code[2:8].isdigit():
        issues.warn(field, USCC_ODD_REGION)
    return code, issues
