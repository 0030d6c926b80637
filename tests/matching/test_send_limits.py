"""Automatic runs recommend; what they send is rationed by the province's limits (issue 13 item 8), and the
laborers and jobs of an import get recommendations like those entered by hand."""

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.employers.services import job_create
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services import (
    recommendation_transition,
    recommendations_for_job,
    recommendations_for_laborer,
    recommendations_for_laborers,
)
from laborcoop.matching.services.run import IMPORT_JOBS
from laborcoop.notifications.limits import Limits, send_limits_for, send_limits_set
from laborcoop.notifications.models import Notification
from laborcoop.registry.models import Laborer
from tests.employers.conftest import job_data
from tests.factories import EnterpriseFactory, JobPostingFactory
from tests.intake.helpers import HEADERS as PERSON_HEADERS
from tests.intake.helpers import person, run_file, write_xlsx
from tests.intake.test_import_jobs import HEADERS as JOB_HEADERS
from tests.intake.test_import_jobs import USCC_LUXI, posting
from tests.matching.test_recommendations_setup import make_laborer

pytestmark = pytest.mark.django_db

LUXI_VILLAGE = "433122108201"


def _jobs(n: int) -> list[Any]:
    enterprise = EnterpriseFactory(name="泸溪白沙制衣有限公司", region_id="433122107000")
    return [
        JobPostingFactory(enterprise=enterprise, title=f"缝纫普工{i}", occupation="普工", wage_min=3000 + 100 * i)
        for i in range(n)
    ]


def _laborers(n: int) -> list[Laborer]:
    return [make_laborer(LUXI_VILLAGE, name=f"张{i}福", phone=f"1381234{i:04d}") for i in range(n)]


def _notified(**filters: Any) -> int:
    return Recommendation.objects.filter(state=RecState.NOTIFIED, notified_at__isnull=False, **filters).count()


def test_one_laborer_is_told_about_the_best_three_jobs_of_the_week(users: dict[str, Any]) -> None:
    # Given 8 open jobs that fit one laborer
    _jobs(8)
    laborer = make_laborer(LUXI_VILLAGE, name="张三丰")
    # When matching runs for the laborer (as on registration)
    stored = recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)
    # Then every job is recommended, but only the best 3 are sent, in one SMS
    assert len(stored) == 8
    sent = Recommendation.objects.filter(laborer=laborer, state=RecState.NOTIFIED)
    assert sent.count() == 3
    best = sorted(stored, key=lambda r: (-r.score, r.pk))[:3]
    assert set(sent.values_list("pk", flat=True)) == {r.pk for r in best}
    assert Recommendation.objects.filter(laborer=laborer, state=RecState.RECOMMENDED).count() == 5
    sms = Notification.objects.get(template="job_recommended")
    assert "3个新岗位" in sms.body
    # And a second run in the same week sends nothing more
    recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)
    assert _notified(laborer=laborer) == 3
    assert Notification.objects.filter(template="job_recommended").count() == 1


def test_registering_a_laborer_sends_at_most_the_weekly_limit(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from laborcoop.registry.signals import laborer_registered

    _jobs(6)
    laborer = make_laborer(LUXI_VILLAGE, name="李四光")
    with django_capture_on_commit_callbacks(execute=True):
        laborer_registered.send(sender=Laborer, laborer=laborer, acting_user=users["county_officer"])
    assert Recommendation.objects.filter(laborer=laborer).count() == 6
    assert _notified(laborer=laborer) == 3


def test_the_province_sets_the_weekly_limit(users: dict[str, Any]) -> None:
    send_limits_set(
        acting_user=users["province_admin"],
        province_code="430000000000",
        values={"laborer_jobs_per_week": "1"},
        expected_version=0,
    )
    assert send_limits_for(region_code=LUXI_VILLAGE) == Limits(laborer_jobs_per_week=1, candidates_per_opening=2)
    _jobs(4)
    laborer = make_laborer(LUXI_VILLAGE, name="王五福")
    recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)
    assert _notified(laborer=laborer) == 1


def test_a_job_tells_at_most_openings_times_the_provinces_number(users: dict[str, Any]) -> None:
    # Given 9 fitting laborers and a job with 2 openings (default: 2 candidates told per opening)
    laborers = _laborers(9)
    (job,) = _jobs(1)
    job.openings = 2
    job.save(update_fields=["openings"])
    # When matching runs for the job
    stored = recommendations_for_job(acting_user=users["county_officer"], job=job)
    # Then all 9 are recommended, 4 told (the best ones), 5 wait for a person
    assert len(stored) == 9
    assert _notified(job=job) == 4
    assert Recommendation.objects.filter(job=job, state=RecState.RECOMMENDED).count() == 5
    told = set(Recommendation.objects.filter(job=job, state=RecState.NOTIFIED).values_list("laborer_id", flat=True))
    best = {r.laborer_id for r in sorted(stored, key=lambda r: (-r.score, r.pk))[:4]}
    assert told == best
    assert told <= {lab.pk for lab in laborers}
    assert Notification.objects.filter(template="job_recommended").count() == 4
    # And re-running does not top it up past the cap
    recommendations_for_job(acting_user=users["county_officer"], job=job)
    assert _notified(job=job) == 4


def test_posting_a_job_with_k_openings_sends_at_most_k_times_m(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    send_limits_set(
        acting_user=users["province_admin"],
        province_code="430000000000",
        values={"candidates_per_opening": "1"},
        expected_version=0,
    )
    _laborers(6)
    enterprise = EnterpriseFactory(region_id="433122107000")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(
            acting_user=users["county_officer"],
            enterprise=enterprise,
            data=job_data(work_region_code="433122000000", openings=3),
        )
    assert Recommendation.objects.filter(job=job).count() == 6
    assert _notified(job=job) == 3


def test_a_laborer_told_enough_this_week_is_skipped_by_a_job(users: dict[str, Any]) -> None:
    laborer = make_laborer(LUXI_VILLAGE, name="赵六顺")
    _jobs(3)
    recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)  # 3 of 3 this week
    (job,) = _jobs(1)
    recommendations_for_job(acting_user=users["county_officer"], job=job)
    rec = Recommendation.objects.get(job=job, laborer=laborer)
    assert rec.state == RecState.RECOMMENDED
    assert rec.notified_at is None


def test_a_person_may_send_what_the_limit_held_back(users: dict[str, Any]) -> None:
    _jobs(5)
    laborer = make_laborer(LUXI_VILLAGE, name="钱七宝")
    recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)
    held = Recommendation.objects.filter(laborer=laborer, state=RecState.RECOMMENDED).first()
    assert held is not None
    # When the officer marks a held-back recommendation 已通知
    recommendation_transition(
        acting_user=users["county_officer"],
        recommendation=held,
        to_state=RecState.NOTIFIED,
        expected_version=held.version,
    )
    held.refresh_from_db()
    # Then it is sent (the limit binds automatic runs only)
    assert held.state == RecState.NOTIFIED
    assert held.notified_at is not None
    assert _notified(laborer=laborer) == 4
    assert Notification.objects.filter(template="job_recommended").count() == 2


def test_limits_are_validated_and_only_the_province_admin_sets_them(users: dict[str, Any]) -> None:
    from laborcoop.core.errors import PermissionDeniedError

    with pytest.raises(ValidationError) as excinfo:
        send_limits_set(
            acting_user=users["province_admin"],
            province_code="430000000000",
            values={"laborer_jobs_per_week": "三", "candidates_per_opening": "99"},
            expected_version=0,
        )
    assert excinfo.value.message_dict == {
        "laborer_jobs_per_week": ["请输入整数。"],
        "candidates_per_opening": ["请输入0到10之间的整数。"],
    }
    with pytest.raises(PermissionDeniedError):
        send_limits_set(
            acting_user=users["county_officer"],
            province_code="430000000000",
            values={"laborer_jobs_per_week": "5"},
            expected_version=0,
        )
    assert send_limits_for(region_code="430000000000") == Limits()


# --- imports -------------------------------------------------------------------------------------------------


def test_imported_unemployed_laborers_get_recommendations(
    users: dict[str, Any], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    _jobs(2)
    rows = [
        person(
            "4331221080010001",
            name="张建国",
            village="黄家桥村",
            **{"就业状态": "未就业", "成员联系电话": "13812340001"},
        ),
        person("4331221080010002", name="李建军", village="黄家桥村", **{"就业状态": "已就业"}),
    ]
    headers = [*PERSON_HEADERS, "就业状态"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = run_file(users["county_officer"], write_xlsx(tmp_path / "人员.xlsx", rows, headers))
    assert job.rows_created == 2, job.error
    assert sum("match_laborers" in repr(callback) for callback in callbacks) == 1
    out_of_work = Laborer.objects.get(name="张建国")
    working = Laborer.objects.get(name="李建军")
    assert Recommendation.objects.filter(laborer=out_of_work).count() == 2
    assert not Recommendation.objects.filter(laborer=working).exists()
    assert _notified(laborer=out_of_work) == 2  # both within the weekly limit of 3


def test_imported_jobs_get_candidates(
    users: dict[str, Any], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    laborers = _laborers(3)
    for lab in laborers:
        lab.intended_occupations = ["手工编织"]
        lab.save(update_fields=["intended_occupations"])
    EnterpriseFactory(uscc=USCC_LUXI, region_id="433122000000", name="泸溪县竹编工艺有限公司")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = run_file(
            users["county_officer"],
            write_xlsx(tmp_path / "岗位.xlsx", [posting(**{"招聘人数": "1"})], JOB_HEADERS),
            "jobs",
        )
    assert job.rows_created == 1, job.error
    assert sum("match_job" in repr(callback) for callback in callbacks) == 1
    recs = Recommendation.objects.filter(job__title="竹编工")
    assert recs.count() == 3
    assert recs.filter(state=RecState.NOTIFIED).count() == 2  # 1 opening x 2


def test_the_pipelines_say_how_many_were_recommended_and_told(users: dict[str, Any]) -> None:
    from tests.matching.test_recommendations_setup import page_client

    _laborers(7)
    (job,) = _jobs(1)
    job.openings = 2
    job.save(update_fields=["openings"])
    recommendations_for_job(acting_user=users["county_officer"], job=job)
    page = page_client(users["county_officer"]).get(f"/matching/jobs/{job.pk}/").content.decode()
    assert "已推荐 7 人，已通知 4 人。自动匹配最多通知 4 人（招聘人数 × 2" in page

    laborer = make_laborer(LUXI_VILLAGE, name="孙八斗")
    _jobs(5)
    recommendations_for_laborer(acting_user=users["county_officer"], laborer=laborer)
    page = page_client(users["county_officer"]).get(f"/matching/laborers/{laborer.pk}/").content.decode()
    assert "已推荐 6 个岗位，本周已通知 3 个。自动匹配每周最多通知 3 个" in page


def test_an_import_chunk_is_matched_in_one_pass_like_one_by_one(users: dict[str, Any]) -> None:
    """recommendations_for_laborers (the import's task) scores as mode 2 does, rations the SMS the same way
    (3 a week each) and skips people the importer may not edit."""
    # Given 6 open jobs, three laborers of 泸溪县 and one of 凤凰县
    _jobs(6)
    batch = _laborers(3)
    stranger = make_laborer("433123109201", name="凤凰人")
    officer = users["county_officer"]
    # (what one-by-one matching gives the first laborer on this market, then forgotten)
    recommendations_for_laborer(acting_user=officer, laborer=batch[0], limit=IMPORT_JOBS)
    one_by_one = dict(Recommendation.objects.filter(laborer=batch[0]).values_list("job_id", "score"))
    Recommendation.objects.all().delete()
    Notification.objects.all().delete()
    # When the import's task matches them together
    stored = recommendations_for_laborers(acting_user=officer, laborer_ids=[*(x.pk for x in batch), stranger.pk])
    # Then each laborer of the officer's county has the best IMPORT_JOBS (5) of the 6 jobs, the best 3 sent
    assert stored == 3 * IMPORT_JOBS
    for laborer in batch:
        assert Recommendation.objects.filter(laborer=laborer).count() == IMPORT_JOBS
        assert _notified(laborer=laborer) == 3
    assert not Recommendation.objects.filter(laborer=stranger).exists()
    # And the scores are those of one-by-one matching
    assert dict(Recommendation.objects.filter(laborer=batch[0]).values_list("job_id", "score")) == one_by_one
