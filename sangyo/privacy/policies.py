"""Who may do what with personal-data requests: every logged-in person files and follows
their own; administrators and officers handle everyone's (reviewers and viewers never see
them: the requests themselves are personal data)."""

from sangyo.accounts.models import Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_file_own_requests(user) -> bool:
    return _active(user)


def can_view_own_request(user, request_obj) -> bool:
    return _active(user) and request_obj.requester_id == user.pk


def can_handle_requests(user) -> bool:
    return _active(user) and user.role in {Role.ADMIN, Role.OFFICER}
