"""One access layer: every role and scope decision comes from laborcoop.accounts (access, navigation,
recipients, ...). A view, module or template outside accounts that reads a user's roles, superuser flag, scope
prefix or enterprise binding itself is deciding a role by itself, and this test names it (file:line).

Ask instead: `accounts.access.is_enterprise_user` / `enterprise_of` / `user_can` / `is_admin` / `can_unmask` /
`region_prefix` / `scope_q` / `input_side_q` / ...; `accounts.recipients` for "which users hold the role";
templates: `nav_groups` and `can.<CAP>` from accounts.context_processors, or flags computed in views.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "laborcoop"

# Packages that may read roles: the access layer itself, the demo data and benchmarks (they create accounts
# with roles; creating is not deciding). Migrations are frozen history.
EXCLUDED_DIRS = {"accounts", "demo", "bench"}

# Attributes of a user that only the access layer reads.
USER_ATTRIBUTES = {"roles", "is_superuser", "scope_prefix", "has_cap", "caps"}
# `<user>.enterprise_id`: the enterprise binding (other objects' enterprise_id, e.g. a job's, are data).
USER_NAME = re.compile(r"(^|_)user$|^u$")

# (path relative to src/laborcoop, exact source line stripped) -> why it is allowed. Keep this short.
ALLOWED: dict[tuple[str, str], str] = {}

TEMPLATE_PATTERNS = {
    re.compile(r"\buser\.enterprise_id\b"): "the enterprise binding (use a flag from accounts.access.enterprise_of)",
    re.compile(r"\buser\.roles\b"): "roles (use nav_groups / can.<CAP> / a flag from the access layer)",
    re.compile(r"\buser\.is_superuser\b"): "the superuser flag (ask accounts.access)",
    re.compile(r"\buser_caps\b"): "the raw capability set (use can.<CAP> or nav_groups)",
    re.compile(r"\.has_cap\b"): "a capability check (use can.<CAP>)",
}


def _python_files() -> Iterator[Path]:
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] in EXCLUDED_DIRS or "migrations" in rel.parts:
            continue
        yield path


def _is_user_expr(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return bool(USER_NAME.search(node.id))
    if isinstance(node, ast.Attribute):
        return node.attr == "user"  # request.user
    return False


def _decisions(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "Role":
                yield node.lineno, f"Role.{node.attr}"
            elif node.attr in USER_ATTRIBUTES:
                yield node.lineno, f".{node.attr}"
            elif node.attr == "enterprise_id" and _is_user_expr(node.value):
                yield node.lineno, f"{ast.unparse(node.value)}.enterprise_id"
        elif isinstance(node, ast.ImportFrom) and node.module == "laborcoop.accounts.roles":
            for alias in node.names:
                if alias.name == "Role":
                    yield node.lineno, "imports Role"


def test_no_module_outside_accounts_decides_a_role_itself() -> None:
    found: list[str] = []
    for path in _python_files():
        rel = path.relative_to(SRC).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno, what in sorted(set(_decisions(ast.parse("\n".join(lines), filename=str(path))))):
            if (rel, lines[lineno - 1].strip()) in ALLOWED:
                continue
            found.append(f"src/laborcoop/{rel}:{lineno}: {what}: {lines[lineno - 1].strip()}")
    assert not found, (
        "Role and scope decisions belong to laborcoop.accounts.access (or accounts.navigation / "
        "accounts.recipients); these modules decide by themselves:\n" + "\n".join(found)
    )


def test_no_template_decides_a_role_itself() -> None:
    found: list[str] = []
    for path in sorted(SRC.rglob("templates/**/*.html")):
        rel = path.relative_to(SRC).as_posix()
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for pattern, what in TEMPLATE_PATTERNS.items():
                if pattern.search(line):
                    found.append(f"src/laborcoop/{rel}:{lineno}: {what}: {line.strip()[:120]}")
    assert not found, (
        "Templates render what the access layer decided (nav_groups, can.<CAP>, view flags); these decide by "
        "themselves:\n" + "\n".join(found)
    )


def test_allow_list_is_not_stale() -> None:
    """Every allowed line still exists: a fixed or moved use must leave the allow-list too."""
    stale = []
    for rel, line in ALLOWED:
        path = SRC / rel
        if not path.exists() or line not in {text.strip() for text in path.read_text(encoding="utf-8").splitlines()}:
            stale.append(f"{rel}: {line}")
    assert not stale, "Allow-list entries that no longer match a line:\n" + "\n".join(stale)
