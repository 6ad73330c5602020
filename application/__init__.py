"""Application services: Raati's use cases, each a plain function over a unit of work.

Grouped by capability (ideas/, meetings/, people/, participation/, surveys, data_rights, delivery, access/);
every interface they depend on is in ports/, the read models in reads/, ``raati demo`` in demo/ and
``raati simulate`` in simulation/.
"""
