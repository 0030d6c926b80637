"""States of a recommendation and how they may change."""

from django.db import models

from laborcoop.accounts.access import SHOWED_INTEREST_STATES


class RecState(models.TextChoices):
    RECOMMENDED = "recommended", "推荐"  # the engine ranked the pair; nobody has been told yet
    NOTIFIED = "notified", "已通知"  # the laborer was sent the personal link (one message per pair)
    INTERESTED = "interested", "有意向"  # the laborer said yes; the employer now sees the unmasked identity
    DECLINED = "declined", "无意向"  # the laborer said no, with a reason; may still change their mind
    INTERVIEW = "interview", "面试"  # staff arranged an interview (interview_at)
    HIRED = "hired", "录用"  # the employer accepted the laborer (hire_date)
    REJECTED = "rejected", "未录用"  # the employer turned the laborer down (terminal)
    STARTED = "started", "已上岗"  # the laborer started work (terminal; the employment record follows)


class RecSource(models.TextChoices):
    JOB = "job", "岗位找人"  # mode 1: a job -> candidates
    LABORER = "laborer", "人找岗位"  # mode 2: a laborer -> jobs
    BATCH = "batch", "批量分配"  # mode 3: capacity-aware allocation over a region


class InterviewMode(models.TextChoices):
    ONSITE = "onsite", "现场面试"  # at `interview_place`
    ONLINE = "online", "线上面试"  # video or phone call; `interview_place` may name the app or the number


class RecVia(models.TextChoices):
    STAFF = "staff", "经办人"
    ENTERPRISE = "enterprise", "企业"
    LINK = "link", "本人链接"
    SYSTEM = "system", "系统"


# The transition table: which states may follow each state.
TRANSITIONS: dict[str, frozenset[str]] = {
    RecState.RECOMMENDED: frozenset({RecState.NOTIFIED, RecState.INTERESTED, RecState.DECLINED}),
    RecState.NOTIFIED: frozenset({RecState.INTERESTED, RecState.DECLINED}),
    RecState.INTERESTED: frozenset({RecState.INTERVIEW, RecState.DECLINED}),
    RecState.DECLINED: frozenset({RecState.INTERESTED}),
    RecState.INTERVIEW: frozenset({RecState.HIRED, RecState.REJECTED, RecState.DECLINED}),
    RecState.HIRED: frozenset({RecState.STARTED}),
    RecState.REJECTED: frozenset(),
    RecState.STARTED: frozenset(),
}

# From these states on, an enterprise user sees the laborer's name and phone (the laborer said yes). The rule is
# the access layer's (accounts.access.SHOWED_INTEREST_STATES); RecState() checks every value is a real state.
DISCLOSED_STATES = frozenset(RecState(state) for state in SHOWED_INTEREST_STATES)
# States an enterprise user may set on its own jobs: arrange the interview, record its result.
ENTERPRISE_TARGETS = frozenset({RecState.INTERVIEW, RecState.HIRED, RecState.REJECTED})
# States the laborer may set through the personal link.
LINK_TARGETS = frozenset({RecState.INTERESTED, RecState.DECLINED})
# Shown to the laborer on the personal page (anything before the interview).
OPEN_STATES = frozenset({RecState.RECOMMENDED, RecState.NOTIFIED, RecState.INTERESTED, RecState.DECLINED})
# Shown to the laborer on the personal page: the open ones and an arranged interview (its time and place).
LINK_PAGE_STATES = OPEN_STATES | {RecState.INTERVIEW}
