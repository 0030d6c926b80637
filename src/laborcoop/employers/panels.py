"""The places on the job page that the apps built on employers fill (core.panels): each app registers its panel
in its own ready(), the page knows none of them.

- `JOB_ACTIONS`: buttons in the job page's action bar, after 编辑岗位 / 查看企业 / 修改记录.
- `MARKET_ACTIONS`: what a reader of the job market may do with an open posting (its market page), e.g.
  matching's 推荐本辖区人员 (put a laborer forward).
"""

from laborcoop.core.panels import PanelSlot
from laborcoop.employers.models import JobPosting

JOB_ACTIONS: PanelSlot[JobPosting] = PanelSlot("employers.job.actions")
MARKET_ACTIONS: PanelSlot[JobPosting] = PanelSlot("employers.market.actions")
