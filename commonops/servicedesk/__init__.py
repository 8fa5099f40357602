"""The service desk: tickets, SLAs in business hours, assignment, track and trace,
satisfaction and KPIs (T1–T6)."""
