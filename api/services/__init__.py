"""The platform's workflows, one home each: the API routes and the pages are faces over them.

A service works in the caller's `Session` for a `User` (a round's life cycle, pins, the
companies' answers, record changes, uploads, calendar feeds, the region's school year) and
refuses with an `api.services.errors.ServiceError`; it knows nothing of HTTP or FastAPI.
"""
