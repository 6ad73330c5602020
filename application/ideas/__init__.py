"""Ideas: ``changes`` raises, moves and notes one (the transition table itself is ``domain.ideas``), ``retry``
redoes a change on the current version after a concurrent writer, ``chasing`` reminds whoever keeps an idea
waiting, ``progress_reports`` tells every member each quarter where the panel's ideas stand."""
