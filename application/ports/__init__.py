"""Ports: every interface the use cases depend on, as ``typing.Protocol`` classes.

- ``unit_of_work``: the unit of work, the repositories of panels, people, meetings, ideas, events, the outbox,
  tokens and sessions, and the clock;
- ``participation``: ground rules, topic wishes and attendance; ``surveys``: evaluation surveys;
- ``data_rights``: a member's data across every table (GDPR export and erasure);
- ``dashboard_queries``: the few aggregate queries of the dashboard and the queue;
- ``delivery``: the outbox queue, the composer and the mail transport of the dispatcher.

persistence/ implements them with SQLAlchemy, notifications/ the composer and the SMTP transport; tests/fakes.py
implements them in memory.
"""
