"""API of the surveys app, registered on the shared router."""
