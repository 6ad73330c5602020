"""How members take part beyond ideas: the panel's ``ground_rules`` (published, acknowledged, the welcome email),
their ``topic_wishes`` for coming meetings, and meeting ``attendance``."""
