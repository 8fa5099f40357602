"""Common services: catalogue, agreements, contracts, budgets, cost sharing, expenditures,
statements, premises (S1–S6)."""
