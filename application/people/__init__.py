"""People: ``roster`` creates panels and adds services, members (one at a time or from a list) and staff users;
``preferences`` holds a member's own choices (language, immediate or digest, unsubscribe)."""
