"""Synthetic tracking data for the warning benchmark (PostgreSQL only), written server-side in bulk.

On top of the seed's laborers (demo.generator), deterministic SQL (a multiplicative hash of the laborer id,
no randomness) writes:
- ongoing employment records for ~99% of the seed's 已就业 working-age laborers, and ended records for ~12%
  of them (an earlier job) and for a share of the 未就业 / 务农 ones, sized so the total is `records`;
  县内 / 省内县外 / 省外 4:3:3, channels, wages (a few under 400), insurance types on half, a few 公益性岗位
  outside the county;
- wage months for the last four complete months (10% of jobs none, 3% not the last two), insurance months for
  the insured and a third of the others, the derived status (EmploymentState) of every laborer with records,
  follow-ups after 60% of the endings, a few unreachable people, shared phones and second 户主.
`tracking_data_reset` empties those tables (TRUNCATE ... CASCADE): use a dedicated database.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from laborcoop.registry import choices as rc

HASH = "((l.id * 2654435761) %% 4294967296)"
TRACKING_TABLES = (
    "earlywarning_earlywarning",
    "earlywarning_warningrun",
    "tracking_followup",
    "tracking_followuptask",
    "tracking_destinationnotice",
    "employment_employmentstate",
    "employment_wagemonth",
    "employment_insurancemonth",
    "employment_employmentrecord",
)
RECORD_COLUMNS = (
    "created_at, updated_at, employer_name, start_date, end_date, end_reason, work_area, industry, monthly_wage, "
    "contract_signed, contract_term, insurance_types, insured_from, channel, point_to_point, transport_subsidy, "
    "source, warnings, version, enterprise_id, job_id, laborer_id, region_code, work_region_code"
)


@dataclass
class BuildReport:
    ongoing: int = 0
    ended: int = 0
    wage_months: int = 0
    insurance_months: int = 0
    states: int = 0
    followups: int = 0
    seconds: float = 0.0


def tracking_data_reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TRACKING_TABLES)} CASCADE")
        cursor.execute("UPDATE registry_laborer SET unreachable = false, unreachable_since = NULL WHERE unreachable")


def _exec(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _pool_sizes() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FILTER (WHERE st = 'employed'), COUNT(*) FILTER (WHERE st IN ('unemployed', 'farming')) "
            "FROM bench_l"
        )
        employed, others = cursor.fetchone()
    return int(employed), int(others)


def tracking_data_build(*, records: int, today: date) -> BuildReport:
    """Write the data set (see the module docstring) in the current database; returns the row counts."""
    report = BuildReport()
    labor = ", ".join(f"'{v}'" for v in sorted(rc.HAS_LABOR))
    _exec("DROP TABLE IF EXISTS bench_l", [])
    _exec(
        "CREATE TEMPORARY TABLE bench_l AS "  # noqa: S608 (constants only)
        f"SELECT l.id, l.region_code, l.birth_date, l.employment_status AS st, {HASH} AS h "
        f"FROM registry_laborer l WHERE l.vital_status = 'normal' AND l.labor_skill IN ({labor}) "
        "AND l.student_status = ''",
        [],
    )
    employed, others = _pool_sizes()
    # Ongoing: a_thr per mille of the employed; ended: 12% of those (an earlier job) + p per mille of the others.
    a_thr = min(990, records * 1000 // max(employed, 1))
    ongoing_n = employed * a_thr // 1000
    earlier_n = ongoing_n * 120 // 1000
    p_thr = max(0, min(1000, (records - ongoing_n - earlier_n) * 1000 // max(others, 1)))
    area = "CASE WHEN (h / 7) %% 10 < 4 THEN '01' WHEN (h / 7) %% 10 < 7 THEN '02' ELSE '03' END"
    picked = (
        "SELECT id, region_code, birth_date, h, "  # noqa: S608 (integers computed here)
        f"(st = 'employed' AND h %% 1000 < {a_thr}) AS has_a, "
        f"((st = 'employed' AND h %% 1000 < {a_thr} AND (h / 1000) %% 1000 < 120) "
        f"OR (st IN ('unemployed', 'farming') AND (h / 1000) %% 1000 < {p_thr})) AS has_b, "
        f"{area} AS area FROM bench_l"
    )
    work_region = (
        "CASE area WHEN '01' THEN left(region_code, 6) || '000000' "
        "WHEN '02' THEN CASE WHEN left(region_code, 6) = '430102' THEN '430103000000' ELSE '430102000000' END "
        "ELSE '440306000000' END"
    )
    channel = (
        "CASE WHEN area = '01' THEN (CASE (h / 70) %% 10 WHEN 0 THEN '公益性岗位' WHEN 1 THEN '帮扶车间' "
        "WHEN 2 THEN '自主就业' ELSE '其他' END) WHEN h %% 997 = 0 THEN '公益性岗位' "
        "WHEN (h / 70) %% 10 < 8 THEN '外出务工' ELSE '劳务协作输出' END"
    )
    wage = "CASE WHEN h %% 211 = 0 THEN 300 ELSE 1800 + (h / 11) %% 5000 END"
    insurance = "CASE WHEN (h / 13) %% 10 < 5 THEN '[\"城镇职工养老\", \"工伤\"]'::jsonb ELSE '[]'::jsonb END"
    # An earlier job of an employed person ends 20-720 days ago, the current one starts right after; the
    # others' jobs end 1-700 days ago.
    b_end = "(%s::date - (CASE WHEN has_a THEN 20 ELSE 1 END + ((h / 17) %% 700)::int))"
    a_start = (
        f"CASE WHEN has_b THEN {b_end} + 1 + (h %% 20)::int "
        "ELSE GREATEST(%s::date - (60 + ((h / 17) %% 1400)::int), (birth_date + interval '16 years')::date + 1) END"
    )
    common = (
        f"'C', {wage}, (h / 13) %% 10 < 6, '', {insurance}, NULL, {channel}, false, NULL, 'import', '{{}}'::jsonb, 1"
    )
    report.ongoing = _exec(
        f"INSERT INTO employment_employmentrecord ({RECORD_COLUMNS}) "  # noqa: S608 (constants only)
        f"SELECT now(), now(), '基准企业' || (h %% 2500), {a_start}, NULL, '', area, {common}, "
        f"NULL, NULL, id, region_code, {work_region} FROM ({picked}) x WHERE has_a",
        [today, today],
    )
    report.ended = _exec(
        f"INSERT INTO employment_employmentrecord ({RECORD_COLUMNS}) "  # noqa: S608 (constants only)
        f"SELECT now(), now(), '基准企业' || ((h / 3) %% 2500), {b_end} - (90 + (h / 19) %% 900)::int, {b_end}, "
        "CASE (h / 23) %% 3 WHEN 0 THEN 'resigned' WHEN 1 THEN 'contract_expired' ELSE 'seasonal' END, "
        f"area, {common}, NULL, NULL, id, region_code, {work_region} FROM ({picked}) x WHERE has_b",
        [today, today],
    )
    month0 = "date_trunc('month', %s::date)"
    report.wage_months = _exec(
        "INSERT INTO employment_wagemonth (created_at, updated_at, month, amount, paid_on, source, laborer_id, "  # noqa: S608
        "record_id, region_code) SELECT now(), now(), m.month, "
        "CASE WHEN r.id %% 199 = 0 THEN 350 ELSE r.monthly_wage END, NULL, 'enterprise', r.laborer_id, r.id, "
        f"r.region_code FROM employment_employmentrecord r CROSS JOIN LATERAL (SELECT ({month0} - "
        "make_interval(months => k))::date AS month FROM generate_series(1, 4) k) m "
        "WHERE r.end_date IS NULL AND r.id %% 10 <> 0 AND r.channel NOT IN ('自主就业', '创业') "
        "AND m.month >= date_trunc('month', r.start_date)::date "
        f"AND NOT (r.id %% 31 = 0 AND m.month >= ({month0} - interval '2 months')::date)",
        [today, today],
    )
    report.insurance_months = _exec(
        "INSERT INTO employment_insurancemonth (created_at, updated_at, month, insurance_type, source, laborer_id, "  # noqa: S608
        "record_id, region_code) SELECT now(), now(), m.month, '工伤', 'enterprise', r.laborer_id, r.id, "
        f"r.region_code FROM employment_employmentrecord r CROSS JOIN LATERAL (SELECT ({month0} - "
        "make_interval(months => k))::date AS month FROM generate_series(0, 2) k) m "
        "WHERE r.end_date IS NULL AND (r.insurance_types <> '[]'::jsonb OR r.id %% 3 = 0) "
        "AND m.month >= date_trunc('month', r.start_date)::date",
        [today],
    )
    report.states = _exec(
        "INSERT INTO employment_employmentstate (laborer_id, status, since, stable_months, last_end_date, "
        "last_end_reason, last_work_area, computed_at, region_code) "
        "SELECT l.id, CASE WHEN a.id IS NOT NULL THEN 'employed' WHEN b.work_area <> '01' THEN 'returned' "
        "ELSE 'unemployed' END, COALESCE(a.start_date, b.end_date), 0, b.end_date, COALESCE(b.end_reason, ''), "
        "COALESCE(b.work_area, ''), now(), l.region_code FROM registry_laborer l "
        "LEFT JOIN employment_employmentrecord a ON a.laborer_id = l.id AND a.end_date IS NULL "
        "LEFT JOIN employment_employmentrecord b ON b.laborer_id = l.id AND b.end_date IS NOT NULL "
        "WHERE a.id IS NOT NULL OR b.id IS NOT NULL",
        [],
    )
    report.followups = _exec(
        "INSERT INTO tracking_followup (created_at, updated_at, contacted_on, method, outcome, note, failed_streak, "
        "created_by_id, laborer_id, region_code, task_id) SELECT now(), now(), "
        "LEAST(r.end_date + 1 + (r.id %% 5)::int, %s::date), 'phone', 'not_working', '', 0, NULL, r.laborer_id, "
        "r.region_code, NULL FROM employment_employmentrecord r WHERE r.end_date IS NOT NULL AND r.id %% 10 < 6",
        [today],
    )
    _exec(
        "UPDATE registry_laborer SET unreachable = true, unreachable_since = %s::date - 40 WHERE id IN "
        "(SELECT laborer_id FROM employment_employmentrecord WHERE end_date IS NOT NULL AND id %% 300 = 0)",
        [today],
    )
    # A few data-quality problems of the registry: a phone shared by two households, a second 户主.
    _exec(
        "UPDATE registry_household h SET phone_enc = n.phone_enc, phone_hash = n.phone_hash, "
        "phone_masked = n.phone_masked, phone_last4 = n.phone_last4 FROM registry_household n "
        "WHERE n.id = h.id + 1 AND h.id %% 500 = 0 AND n.phone_hash <> ''",
        [],
    )
    _exec("UPDATE registry_laborer SET relation = '户主' WHERE relation = '配偶' AND id %% 1000 = 0", [])
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_l")
    return report


def analyze_tracking_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE registry_laborer, registry_household, employment_employmentrecord, employment_wagemonth, "
            "employment_insurancemonth, employment_employmentstate, tracking_followup, earlywarning_earlywarning"
        )


def small_change(*, today: date, jobs: int = 1000) -> int:
    """The day-to-day change before the second run: `jobs` ongoing jobs (a deterministic spread) end ten days
    ago, with the derived status and the laborer's status following, so some warnings resolve, some appear,
    most stay."""
    ended = _exec(
        "CREATE TEMPORARY TABLE bench_ended AS SELECT id, laborer_id FROM employment_employmentrecord "
        "WHERE end_date IS NULL AND start_date <= %s::date - 10 ORDER BY (id * 7919) %% 10007, id LIMIT %s",
        [today, jobs],
    )
    _exec(
        "UPDATE employment_employmentrecord SET end_date = %s::date - 10, end_reason = 'resigned' "
        "WHERE id IN (SELECT id FROM bench_ended)",
        [today],
    )
    _exec(
        "UPDATE employment_employmentstate SET status = 'unemployed', since = %s::date - 10, "
        "last_end_date = %s::date - 10 WHERE laborer_id IN (SELECT laborer_id FROM bench_ended)",
        [today, today],
    )
    _exec(
        "UPDATE registry_laborer SET employment_status = 'unemployed' WHERE id IN (SELECT laborer_id FROM bench_ended)",
        [],
    )
    _exec("DROP TABLE bench_ended", [])
    return ended
