"""The places on the laborer's record page that the apps built on the registry fill (core.panels): each app
registers its panel in its own ready(), the page knows none of them.

- `LABORER_ACTIONS`: buttons in the page's action bar, after 编辑 / 查看家庭 / 修改记录.
- `LABORER_NOTICES`: blocks above the record's card (a notice about the record itself).
- `LABORER_PANELS`: sections below the record's card (what other apps know about the laborer).
"""

from laborcoop.core.panels import PanelSlot
from laborcoop.registry.models import Laborer

LABORER_ACTIONS: PanelSlot[Laborer] = PanelSlot("registry.laborer.actions")
LABORER_NOTICES: PanelSlot[Laborer] = PanelSlot("registry.laborer.notices")
LABORER_PANELS: PanelSlot[Laborer] = PanelSlot("registry.laborer.panels")
