"""Test settings: every switch that makes the suite fast, in one place."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from healthywork.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
