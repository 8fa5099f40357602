"""The Business Operations Strategy: kick-off, stock-take, opportunities and CBA, results
framework, plan and budget, quality assurance, sign-off, annual reporting (B1–B8)."""
