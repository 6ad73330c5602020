"""Meetings: ``changes`` schedules one and writes its content and summary, ``prebriefs`` sends the advance
information, ``follow_up`` marks it held, reminds of the summary and sends the approved one."""
