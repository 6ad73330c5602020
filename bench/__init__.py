"""Benchmarks, run as scripts from the repository root (``.venv/bin/python bench/<name>.py``); a package so that
they import each other as ``bench.<name>`` and mypy names them so too. Not part of the installed product."""
