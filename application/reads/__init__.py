"""Read models, the one read path: every read takes the actor and asks ``application.access.permissions``.

``views``: ideas with their timelines, panels, services, members, meetings and the outbox's health, as the
command line, the API and the pages show them; ``idea_queue``: the staff's queue and idea page, with who a
move would tell; ``dashboard``: a panel's ideas by state, services' response times, meetings, the outbox.
"""
