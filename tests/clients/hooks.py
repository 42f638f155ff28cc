"""schemathesis hooks for hangar's API: a check that no answer leaks a
password hash, and the strategy for `format: hangar-cursor`."""

import schemathesis
from hypothesis import strategies as st

# `hangar::utils::PASSWORD_HASH_PREFIXES`, which the Rust suites search
# for: hangar's own PHC strings (`$pbkdf2-...`), werkzeug's `pbkdf2:` and
# `scrypt:`, and Django's `pbkdf2_sha256$` and old `sha1$`.
HASH_PREFIXES = ("$pbkdf2", "pbkdf2:", "scrypt:", "sha1$", "pbkdf2_sha256$")


@schemathesis.check
def no_password_hash(ctx, response, case):
    """Fails when an answer's body holds a password hash."""
    body = response.content.decode("utf-8", "replace")
    for prefix in HASH_PREFIXES:
        if prefix in body:
            raise AssertionError(f"the answer holds a password hash (`{prefix}...`)")


# A cursor is a token the server gave out: a valid request sends the empty
# cursor (the first page), as no other token can be made up.
schemathesis.openapi.format("hangar-cursor", st.just(""))
