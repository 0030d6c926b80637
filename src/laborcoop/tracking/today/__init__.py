"""The village broker's "today" page: due follow-ups, people to register, jobs to pass on (the broker's home)."""
