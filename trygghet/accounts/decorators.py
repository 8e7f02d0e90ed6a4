from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from trygghet.accounts.policy import Capability, can


def capability_required(*capabilities: Capability):
    """Sign-in first (anonymous users go to the login page), then 403 unless the user holds one
    of the capabilities. Object rules (own shift, own department) stay in each app's
    permissions.py, where another's object is a 404."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not any(can(request.user, capability) for capability in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
