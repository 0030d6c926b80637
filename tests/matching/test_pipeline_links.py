"""Names on the recommendation lists link to their pages only when the viewer may open them (issue 13 item 17):
a candidate's name to the laborer's page, a job's title to the job's page; every link opens (no 403/404)."""

import re
from typing import Any

import pytest

from laborcoop.matching.models import Recommendation
from laborcoop.matching.services import recommendations_for_job, recommendations_for_laborer
from tests.matching.test_recommendations_setup import Market, build_market, page_client

pytestmark = pytest.mark.django_db

LABORER_LINK = re.compile(r'<a href="/registry/laborers/(\d+)/" class="laborer-link">')
JOB_LINK = re.compile(r'<a href="/employers/jobs/(\d+)/" class="job-link">')


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    build = build_market(users)
    recommendations_for_job(acting_user=users["province_admin"], job=build.luxi_job)
    recommendations_for_job(acting_user=users["enterprise"], job=build.jinan_job)
    recommendations_for_laborer(acting_user=users["province_admin"], laborer=build.luxi[0])
    return build


def test_staff_see_candidate_names_as_links_to_the_laborers_pages(users: dict[str, Any], market: Market) -> None:
    client = page_client(users["county_officer"])
    html = client.get(f"/matching/jobs/{market.luxi_job.pk}/").content.decode()
    linked = {int(pk) for pk in LABORER_LINK.findall(html)}
    shown = set(
        Recommendation.objects.filter(job=market.luxi_job, laborer__region__code__startswith="433122").values_list(
            "laborer_id", flat=True
        )
    )
    assert shown  # the county officer's candidates are on the list
    assert linked == shown
    for pk in linked:
        assert client.get(f"/registry/laborers/{pk}/").status_code == 200
    # The recommendation's own page stays one click away, from its state.
    assert html.count('class="rec-link"') == len(shown)


def test_enterprise_users_get_no_link_to_a_laborers_page(users: dict[str, Any], market: Market) -> None:
    client = page_client(users["enterprise"])
    html = client.get(f"/matching/jobs/{market.jinan_job.pk}/").content.decode()
    assert Recommendation.objects.filter(job=market.jinan_job).exists()
    assert LABORER_LINK.findall(html) == []
    assert "/registry/laborers/" not in html
    assert client.get(f"/registry/laborers/{market.luxi[0].pk}/").status_code in (403, 404)


def test_job_titles_link_only_to_jobs_the_viewer_may_open(users: dict[str, Any], market: Market) -> None:
    laborer = market.luxi[0]
    recommended = set(Recommendation.objects.filter(laborer=laborer).values_list("job_id", flat=True))
    inside = {market.luxi_job.pk}  # 泸溪县's own job; 济南 and 凤凰县 are outside the county officer's scope
    assert recommended & inside
    assert recommended - inside  # otherwise the test could not fail

    client = page_client(users["county_officer"])
    html = client.get(f"/matching/laborers/{laborer.pk}/").content.decode()
    linked = {int(pk) for pk in JOB_LINK.findall(html)}
    assert linked == recommended & inside
    for pk in linked:
        assert client.get(f"/employers/jobs/{pk}/").status_code == 200
    for pk in recommended - inside:
        assert client.get(f"/employers/jobs/{pk}/").status_code == 404

    province = page_client(users["province_admin"]).get(f"/matching/laborers/{laborer.pk}/").content.decode()
    assert {int(pk) for pk in JOB_LINK.findall(province)} == {
        pk for pk in recommended if pk != market.jinan_job.pk
    }  # 湖南省's jobs, not 济南's


def test_links_cost_one_query_per_page_not_one_per_row(
    users: dict[str, Any], market: Market, django_assert_max_num_queries: Any
) -> None:
    client = page_client(users["province_admin"])
    with django_assert_max_num_queries(13):
        response = client.get(f"/matching/jobs/{market.luxi_job.pk}/")
    assert len(LABORER_LINK.findall(response.content.decode())) == 5
