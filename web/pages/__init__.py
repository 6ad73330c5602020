"""Server-rendered pages. Staff: ``auth`` (start, sign in and out), ``staff`` (queue, idea, dashboard) with
``context`` and ``survey_results``. Members, behind signed links: ``member_preferences`` (preferences, a topic
wish, unsubscribe), ``ground_rules`` (read and acknowledge), ``survey_answers`` (one-time survey link, words in
``survey_texts``)."""
