"""The results engine: indicators, baselines, targets, measurements and their status."""
