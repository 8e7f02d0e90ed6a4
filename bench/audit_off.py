"""For bench/audit.py only: the WSGI application with the audit trail bypassed (no row for a
read, none for a token's use), so that the same code can be timed with the trail on and off.
Production has no switch to turn the trail off."""

from trygghet.wsgi import application  # isort: skip  (sets Django up before the app loads)
from trygghet.audit import middleware, reads

reads._insert = lambda request, **fields: None
middleware.AuditMiddleware.__call__ = lambda self, request: self.get_response(request)  # type: ignore[method-assign]

__all__ = ["application"]
