"""API of the commonservices app, registered on the shared router."""
