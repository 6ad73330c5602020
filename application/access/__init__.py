"""Who is calling and what they may do: ``identity`` turns the caller into an Actor, ``permissions`` says who may
read and change what (every read and the pages ask it), ``sessions`` signs staff in and out of the pages (and ends
sessions), ``sign_in_links`` signs them in by a one-time link by email, ``single_sign_on`` by their organisation's
account, ``tokens`` and ``personal_tokens`` issue and check API tokens, ``accounts`` deactivates staff, and
``audit`` keeps the trail of it all."""
