"""The machine a benchmark ran on (CPU, memory, Python, PostgreSQL, laborer table size, load), for its report."""

import os
import platform
from typing import Any

from django.db import connection

from laborcoop.registry.models import Laborer


def machine_info() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kb = int(next(line.split()[1] for line in fh if line.startswith("MemTotal")))
            memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [Laborer._meta.db_table])
        size = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": version,
        "laborer_table_size": size,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
