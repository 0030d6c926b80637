"""Follow-ups (跟踪寻访): the tasks that ask a township to contact a laborer and the log of contact attempts.
Logging a follow-up and its effect on tasks and reachability (services), the task lists, a laborer's log and the
unreachable list (selectors), the tasks opened when someone leaves a job and closed on re-employment (leave,
run by receivers on employment_changed), the routine plan (plan; the nightly django-tasks task in tasks and the
`plan_followups` command in tracking.management), the unreachable list's masked xlsx (unreachable), forms, the
desk pages (views, at /tracking/tasks/, /tracking/laborers/<id>/log/, /tracking/unreachable/), the broker's
phone pages (phone_views, at /tracking/ and /tracking/m/) and the API (apis, /api/v1/followup-tasks/,
/api/v1/laborers/{id}/followups/). The rows are the models `FollowUpTask` and `FollowUp` (tracking.models)."""
