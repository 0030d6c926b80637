"""The places on the job page that the apps built on employers fill (core.panels): each app registers its panel
in its own ready(), the page knows none of them.

- `JOB_ACTIONS`: buttons in the job page's action bar, after 编辑岗位 / 查看企业 / 修改记录.
"""

from laborcoop.core.panels import PanelSlot
from laborcoop.employers.models import JobPosting

JOB_ACTIONS: PanelSlot[JobPosting] = PanelSlot("employers.job.actions")
