"""The ``raati`` command line (Typer + Rich): a composition root over the use cases."""
