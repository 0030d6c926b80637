"""Reconciliation of the two sides' counts (两地数据对账) for a pair of regions: the output side's ongoing records
against the input side's confirmed destination notices (tracking.notices), with the records that explain the
gap. The read (selectors), the page (views, at /tracking/reconcile/) and the API (apis,
/api/v1/reconciliation/). It writes nothing."""
