"""The derived employment status of laborers (就业状态: 稳定就业, 在岗, 失业, 返乡, 无就业记录).

Computed from the employment records, the insurance months and tracking's follow-ups, so it is tracking's: the
rules and the refresh (services), the stored rows' bulk writes (store), the counts and lists (selectors), the
pages (views, at /employment/states/), the nightly task (tasks) and the receivers of employment.signals
(receivers). The rows themselves are the model `EmploymentState`, which stays in employment.models (moving a
model would need migrations); employment writes them only when a merged laborer's rows follow the kept one.
"""
