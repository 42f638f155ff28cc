"""schemathesis hooks for hangar's API: a check that no answer leaks a
password hash, and the strategy for `format: hangar-cursor`."""

import schemathesis
from hypothesis import strategies as st

# The prefixes of the password hashes hangar writes (PHC `$pbkdf2-...`) and
# of the ones flask-peewee and Werkzeug wrote.
HASH_PREFIXES = ("$pbkdf2", "pbkdf2:", "scrypt:", "sha1$")


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
