"""Adds the benchmark's flask-peewee peer users to tweepee's `users` table.

tweepee's seed stores hangar's PBKDF2 hashes, which flask-peewee cannot check,
so the peer gets two users of its own with flask-peewee's (werkzeug) hashes:

    peer0      password peer0      active, not admin  (Basic auth on the API)
    peeradmin  password peeradmin  active, admin      (login to /admin/)

Creates them, or resets them if present; touches no other user. Run with the
peer's venv python and PEER_DATABASE set, as for app.py.

flask-peewee hashes with werkzeug's scrypt by default, and checks the hash on
every Basic-auth request (~85 ms here), with no cache. PEER_HASH_METHOD, e.g.
pbkdf2:sha256:1000 (the cost of tweepee's `seed --fast-hash`), picks another
werkzeug method through flask-peewee's own knob for that.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import flask_peewee.utils  # noqa: E402
from app import User, db, utcnow  # noqa: E402

if os.environ.get('PEER_HASH_METHOD'):
    flask_peewee.utils.PASSWORD_HASH_METHOD = os.environ['PEER_HASH_METHOD']

PEER_USERS = (('peer0', False), ('peeradmin', True))


def main():
    database = db.database
    with database.connection_context(), database.atomic():
        for username, is_admin in PEER_USERS:
            user = User.get_or_none(User.username == username) or User(username=username)
            user.set_password(username)
            user.email = '%s@example.com' % username
            user.join_date = utcnow()
            user.active = True
            user.admin = is_admin
            user.save()
            print('%s user %s (id %s)' % ('admin' if is_admin else 'plain', username, user.id))


if __name__ == '__main__':
    main()
