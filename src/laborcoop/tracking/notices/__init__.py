"""Destination notices (去向通报): the output side (the home county) tells the input side (the work county) that
one of its laborers works there; the input side answers 到岗 / 未到岗. Keeping the notices in step with the
employment records and the answers (services, run by receivers on employment_changed), who hears of a notice and
what they read (messages, through the notifications outbox), the two sides' lists (selectors), the pages (views,
at /tracking/notices/) and the API (apis, /api/v1/destination-notices/). The rows are the model
`DestinationNotice` (tracking.models). The two sides' counts are tracking.reconcile."""
