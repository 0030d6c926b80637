"""How personal values look on screen, in exports, in audit rows and in logs."""


def mask_id_number(value: str) -> str:
    """`433122199001011234` -> `4331**********1234`; keeps the region prefix and the tail for recognition."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """`13812345678` -> `138****5678`."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
