"""Sign-in for the parts of the dashboard that show members' names (the privacy issue).

Three configurations, decided on every run:

- ``oidc``: `st.secrets` has an ``[auth]`` section (Streamlit's built-in `st.login()` with an
  OpenID Connect provider, see `.streamlit/secrets.toml.example`). Signed in =
  `st.user.is_logged_in`.
- ``password``: no ``[auth]`` section, but a local password hash is configured, in the
  environment variable BOARDSHIFT_DASHBOARD_PASSWORD_HASH or as ``[boardshift] password_hash``
  in the secrets (for offline installations). The hash is a salted PBKDF2-SHA256 string
  ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``; `python -m dashboard.auth hash` makes one.
  Signed in = the right password was entered in the sidebar during this browser session.
- ``none``: nothing configured. Nobody is signed in: names are refused, with a message saying
  how to configure sign-in.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets
import sys
from typing import Any

import streamlit as st

from dashboard.i18n import t

HASH_ENV = "BOARDSHIFT_DASHBOARD_PASSWORD_HASH"
SCHEME = "pbkdf2_sha256"
ITERATIONS = 600_000
PASSWORD_KEY = "auth_password"  # the sidebar's password field
SIGNED_IN_KEY = "auth_signed_in"  # session_state: fingerprint of the hash the password matched
FAILED_KEY = "auth_failed"


# ------------------------------------------------------------------ hashes
def make_hash(password: str, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """A salted PBKDF2-SHA256 hash string: pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def verify(password: str, encoded: str) -> bool:
    """Whether `password` matches the hash string (constant-time compare; malformed = False)."""
    try:
        scheme, iterations, salt, expected = encoded.strip().split("$")
        rounds = int(iterations)
        if scheme != SCHEME or not 1 <= rounds <= 10_000_000:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt),
                                     rounds)
        return hmac.compare_digest(digest, bytes.fromhex(expected))
    except ValueError:
        return False


# ------------------------------------------------------------------ configuration
def _secret(section: str) -> Any:
    """st.secrets[section], or None (no secrets file, no such section)."""
    try:
        return st.secrets.get(section, None)
    except Exception:  # noqa: BLE001 - no or unreadable secrets.toml: not configured
        return None


def password_hash() -> str | None:
    """The configured local password hash: the environment first, then the secrets."""
    env = os.environ.get(HASH_ENV, "").strip()
    if env:
        return env
    section = _secret("boardshift")
    try:
        value = section.get("password_hash") if section is not None else None
    except AttributeError:
        value = None
    text = str(value).strip() if value else ""
    return text or None


def mode() -> str:
    """'oidc', 'password' or 'none' (see the module docstring)."""
    if _secret("auth") is not None:
        return "oidc"
    return "password" if password_hash() else "none"


def _fingerprint(encoded: str) -> str:
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def signed_in() -> bool:
    """Whether the current user has signed in (always False when nothing is configured)."""
    current = mode()
    if current == "oidc":
        return bool(st.user.get("is_logged_in", False))
    if current == "password":
        encoded = password_hash()
        return encoded is not None and \
            st.session_state.get(SIGNED_IN_KEY) == _fingerprint(encoded)
    return False


# ------------------------------------------------------------------ widgets
def _check_password() -> None:
    """on_click of the sign-in button: runs before the page, so the page sees the result."""
    encoded = password_hash()
    entered = st.session_state.get(PASSWORD_KEY, "")
    if encoded and verify(entered, encoded):
        st.session_state[SIGNED_IN_KEY] = _fingerprint(encoded)
        st.session_state[FAILED_KEY] = False
    else:
        st.session_state.pop(SIGNED_IN_KEY, None)
        st.session_state[FAILED_KEY] = True
    st.session_state[PASSWORD_KEY] = ""


def _sign_out() -> None:
    st.session_state.pop(SIGNED_IN_KEY, None)
    st.session_state[FAILED_KEY] = False


def sidebar() -> None:
    """The sign-in block of the sidebar: a login button (OIDC), a password form, or a note."""
    current = mode()
    with st.sidebar:
        st.subheader(t("auth_heading"))
        if current == "oidc":
            if signed_in():
                who = st.user.get("name") or st.user.get("email") or ""
                st.caption(t("auth_signed_in_as", who=who))
                if st.button(t("auth_logout"), key="auth_logout"):
                    st.logout()
            elif st.button(t("auth_login"), key="auth_login", type="primary"):
                st.login()
        elif current == "password":
            if signed_in():
                st.caption(t("auth_signed_in"))
                st.button(t("auth_logout"), key="auth_logout", on_click=_sign_out)
                return
            with st.form("auth_form", clear_on_submit=False, border=False):
                st.text_input(t("auth_password"), type="password", key=PASSWORD_KEY)
                st.form_submit_button(t("auth_submit"), on_click=_check_password)
            if st.session_state.get(FAILED_KEY):
                st.error(t("auth_wrong_password"))
        else:
            st.caption(t("auth_not_configured_short"))


def refuse() -> None:
    """In place of names: why they are not shown and what to do."""
    current = mode()
    key = {"oidc": "auth_refused_oidc", "password": "auth_refused_password"}.get(
        current, "auth_refused_none")
    st.info(t("names_hidden") + t(key, env=HASH_ENV))


# ------------------------------------------------------------------ CLI
def main(argv: list[str] | None = None) -> int:
    """`python -m dashboard.auth hash`: prompt for a password (twice), print its hash string."""
    args = sys.argv[1:] if argv is None else argv
    if args != ["hash"]:
        print("usage: python -m dashboard.auth hash", file=sys.stderr)
        return 2
    password = getpass.getpass("Password: ")
    if not password:
        print("empty password", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != password:
        print("the passwords differ", file=sys.stderr)
        return 1
    print(make_hash(password))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
