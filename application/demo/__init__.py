"""The demo panel of ``raati demo``, played through the real use cases: ``pilot`` builds the East Helsinki pilot's
season and calls the scenes at their moments (``participation_scene``: ground rules, attendance, a topic wish;
``privacy_scene``: the guard stops a summary; ``survey_scene``: an evaluation survey answered and closed)."""
