"""API of the servicedesk app, registered on the shared router."""
