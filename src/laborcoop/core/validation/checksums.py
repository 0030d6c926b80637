"""Check characters of GB 11643-1999 resident IDs and GB 32100-2015 unified social credit codes."""

from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, Z, S, V
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def make_id_number(address_code: str, birth: date, sequence: int) -> str:
    """Build a valid 18-digit ID: 6-digit address code, birth date, 3-digit sequence (odd = male)."""
    first17 = f"{address_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def upgrade_15_to_18(old: str) -> str:
    """Old 15-digit IDs: insert the century '19' after the address code and add the check character."""
    first17 = old[:6] + "19" + old[6:15]
    return first17 + id_check_char(first17)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)
