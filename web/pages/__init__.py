"""Server-rendered pages. Staff: ``auth`` (start, sign in and out, the language switcher), ``staff`` (queue, idea,
dashboard) with ``context`` and ``survey_results``. Members, behind signed links: ``member_preferences``
(preferences, a topic wish, unsubscribe), ``ground_rules`` (read and acknowledge), ``survey_answers`` (one-time
survey link). Every word is a gettext message of web/locale (web/rendering.py); errors in people's words come
from web/errors.py."""
