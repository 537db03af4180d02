"""View guard: anonymous users are sent to log in; users the policy refuses get 404, so a
forbidden page cannot be told from a missing one (DESIGN.md §4)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def require_policy(policy):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not policy(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
