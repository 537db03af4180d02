"""Access rules for the account pages (two-factor, elevation, sign-up, password reset)."""

from tests.access_rules import PUBLIC, everyone, signed_in

RULES = {
    # Users who owe no two-factor code are sent on (to their home page).
    "accounts:otp_verify": ("get", "/accounts/two-factor/", signed_in(302)),
    "accounts:otp_enrol": ("get", "/accounts/two-factor/setup/", signed_in(200)),
    "accounts:recovery_codes_regenerate": (
        "get",
        "/accounts/security/recovery-codes/",
        everyone(405),
    ),
    "accounts:otp_disable": ("get", "/accounts/security/two-factor/disable/", everyone(405)),
    "accounts:security": ("get", "/accounts/security/", signed_in(200)),
    "accounts:password_change": ("get", "/accounts/security/password/", signed_in(200)),
    "accounts:elevate": ("get", "/accounts/elevate/", signed_in(200)),
    "accounts:signup": ("get", "/accounts/signup/", PUBLIC),
    # A forged or expired link: the same refusal for everyone.
    "accounts:signup_activate": ("get", "/accounts/signup/activate/forged:1:x/", everyone(400)),
    "accounts:password_reset": ("get", "/accounts/password/reset/", PUBLIC),
    "accounts:password_reset_done": ("get", "/accounts/password/reset/sent/", PUBLIC),
    # An invalid reset link renders the "link expired" page.
    "accounts:password_reset_confirm": ("get", "/accounts/password/reset/MQ/bad-token/", PUBLIC),
    "accounts:password_reset_complete": ("get", "/accounts/password/reset/done/", PUBLIC),
}
