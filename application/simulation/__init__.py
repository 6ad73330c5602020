"""``raati simulate``: a panel season on a clock that jumps, through the real use cases and flows.

``season`` is the script (who does what, and when), ``cast`` its people and words, ``virtual_time`` plays it
and the flows' schedules, ``facts`` reads back what the season left behind, ``checks`` judges the promises."""
