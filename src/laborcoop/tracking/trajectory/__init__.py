"""The employment trajectory (就业轨迹) of a laborer: records, wage and insurance months, follow-ups and
recommendations on one time line, with the derived status (tracking.status). The read (selectors), the chart's
geometry (chart), the API (apis, GET /api/v1/laborers/{id}/trajectory/); the laborer page's block is the panel
tracking.panels.laborer_trajectory_panel. Reads employment's models (employment.models) and matching's
recommendations through their access layers."""
