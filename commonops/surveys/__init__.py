"""Client-satisfaction surveys: questionnaires, invitations, anonymous responses (Q1)."""
