"""The job queue on Redis (RQ): mail delivery and the periodic reminders, run by `flask worker`.

The outbox stays the source of truth: a job carries only an outbox id and is enqueued after the
commit that stored the row, so a rolled-back change enqueues nothing, and a lost job is only a
delay (the worker's periodic tick and the cron command deliver whatever is still due).
"""
