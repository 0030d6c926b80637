"""What other apps hear about enterprises and jobs. Sent inside the writing transaction, after the save;
receivers are connected by the apps built on employers (matching) in their `ready()`.

- `job_posted(sender=JobPosting, job, acting_user)`: a job was posted (天天在招聘: matching finds candidates
  after the commit), on the form, through the API or by a jobs import (once per new job).
"""

from django.dispatch import Signal

job_posted = Signal()
