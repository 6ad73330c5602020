"""Raati's pure domain: panels, members, meetings and the idea state machine.

Nothing here does I/O or reads the clock; time is always passed in.
"""
