"""The embedded default: SQLite, in-process jobs, mail on the console."""

from .base import *  # noqa: F403

DEBUG = True

# The SQLite file and uploads live in ./var by default; create it on first use.
DATA_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405

# accounts: the demo profile logs staff in with the password alone (docs/security-accounts.md).
SANGYO_STAFF_2FA = False
