import time

import pytest
from django.core.cache import cache

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # django-ratelimit counts in the cache, which outlives a test; start each test at zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two_factor(settings):
    settings.SANGYO_STAFF_2FA = True
    return settings


def totp_code(device, steps_ahead: int = 0) -> str:
    """The current code of a TOTP device (or one `steps_ahead` time steps later: a code is
    accepted once, so a second verification in the same 30 s needs the next one)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user):
    """Give `user` a confirmed authenticator and recovery codes; returns (device, codes)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sangyo.accounts import services

    key = services.totp_new_key()
    probe = TOTPDevice(user=user, key=key)
    codes = services.totp_confirm(user=user, key=key, token=totp_code(probe))
    return TOTPDevice.objects.get(user=user), codes


def unthrottle(user):
    """django-otp makes each device wait 1 s, 2 s, 4 s... after a wrong code; tests that try
    a right code straight after a wrong one skip the wait."""
    from django_otp import devices_for_user

    for device in devices_for_user(user, confirmed=None):
        device.throttle_reset()
