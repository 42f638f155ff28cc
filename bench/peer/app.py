"""The benchmark's flask-peewee peer: a small flask-peewee app mapped onto the
tables that tweepee (hangar's example) creates and seeds -- users,
relationship, message and note -- with flask-peewee's auth, admin and REST
API, so that hangar-bench can load it with wrk beside the Rust server, on the
same rows. It never creates or alters a table.

    PEER_DATABASE    a SQLite file path (or sqlite://PATH), or a URL such as
                     postgres://user@host:port/db
    PEER_SECRET_KEY  Flask's secret key (a fixed default otherwise)

Install with bench/peer/setup.sh VENV, add its users with add_users.py, and
run it with sync workers:
  VENV/bin/gunicorn -w 2 -b 127.0.0.1:PORT --no-control-socket --chdir bench/peer app:app
"""

import datetime
import os

from flask import Flask
from flask_peewee.admin import Admin, ModelAdmin
from flask_peewee.auth import Auth, BaseUser
from flask_peewee.db import Database
from flask_peewee.rest import (AdminAuthentication, RestAPI, RestResource,
                               RestrictOwnerResource, UserAuthentication)
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField,
                    IntegerField, SqliteDatabase, TextField)
from playhouse.db_url import connect


def open_database(spec):
    # tweepee's SQLite URLs are sqlite://PATH, PATH absolute or relative, which
    # playhouse.db_url would read differently: take the path as it is.
    if spec.startswith('sqlite://'):
        return SqliteDatabase(spec[len('sqlite://'):])
    if '://' in spec:
        return connect(spec)  # postgres://user@host:port/db and the like
    return SqliteDatabase(spec)


def utcnow():
    # what tweepee stores: naive UTC, whole seconds
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)


app = Flask(__name__)
app.config['SECRET_KEY'] = os.environ.get('PEER_SECRET_KEY', 'hangar-bench-peer-secret')
db = Database(app, database=open_database(os.environ.get('PEER_DATABASE', 'tweepee.db')))


class User(db.Model, BaseUser):
    username = CharField(max_length=150, unique=True)
    password = CharField(max_length=255)
    email = CharField(max_length=255, default='')
    join_date = DateTimeField(default=utcnow)
    active = BooleanField(default=True)
    admin = BooleanField(default=False)

    def __str__(self):
        return self.username

    class Meta:
        table_name = 'users'


class Relationship(db.Model):
    from_user = ForeignKeyField(User, column_name='from_user_id', backref='relationships')
    to_user = ForeignKeyField(User, column_name='to_user_id', backref='related_to')

    class Meta:
        table_name = 'relationship'


class Message(db.Model):
    user = ForeignKeyField(User, column_name='user_id', backref='messages')
    content = TextField()
    pub_date = DateTimeField(default=utcnow)

    def __str__(self):
        return '%s: %s' % (self.user, self.content)

    class Meta:
        table_name = 'message'


LIVE, DELETED = 1, 2


class Note(db.Model):
    user = ForeignKeyField(User, column_name='user_id', backref='notes')
    message = TextField()
    status = IntegerField(default=LIVE)
    created_date = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'note'


auth = Auth(app, db, user_model=User)


# Admin at /admin/, behind flask-peewee's login at /accounts/login/.
class MessageAdmin(ModelAdmin):
    columns = ('user', 'content', 'pub_date')
    foreign_key_lookups = {'user': 'username'}
    search_fields = ('content', 'user__username')

    def get_query(self):
        # newest first like tweepee's admin; the join fills message.user so
        # the 'user' column costs no query per row.
        return (Message.select(Message, User).join(User)
                .order_by(Message.pub_date.desc(), Message.id))


class RelationshipAdmin(ModelAdmin):
    foreign_key_lookups = {'from_user': 'username', 'to_user': 'username'}


class NoteAdmin(ModelAdmin):
    columns = ('user', 'message', 'status', 'created_date')
    foreign_key_lookups = {'user': 'username'}


admin = Admin(app, auth)
auth.register_admin(admin)  # User, with flask-peewee's password-hashing UserAdmin
admin.register(Relationship, RelationshipAdmin)
admin.register(Message, MessageAdmin)
admin.register(Note, NoteAdmin)
admin.setup()


# REST API at /api/: anyone reads; writes need HTTP Basic, users' need an admin.
class Ordered(object):
    # like tweepee: a list is in primary-key order, which also breaks the ties
    # of ?ordering= (flask-peewee alone leaves the order to the database, and
    # PostgreSQL's differs from SQLite's).
    def apply_ordering(self, query):
        return super().apply_ordering(query).order_by_extend(self.pk)


class UserResource(Ordered, RestResource):
    exclude = ('password', 'email')
    filter_exclude = ('password', 'email')

    def get_query(self):
        return User.select().where(User.active == True)  # like tweepee: active only


class OwnedResource(Ordered, RestrictOwnerResource):
    # a message, note or relationship is written by its owner; never let a
    # nested {"user": {...}} create or edit a user through it.
    nested_writes = False


class MessageResource(OwnedResource):
    owner_field = 'user'
    include_resources = {'user': UserResource}


class RelationshipResource(OwnedResource):
    owner_field = 'from_user'
    include_resources = {'from_user': UserResource, 'to_user': UserResource}
    paginate_by = None  # one page, like tweepee's


class NoteResource(OwnedResource):
    owner_field = 'user'
    include_resources = {'user': UserResource}

    def get_query(self):
        return Note.select().where(Note.status == LIVE)  # like tweepee: live only


api = RestAPI(app, default_auth=UserAuthentication(auth))
api.register(User, UserResource, auth=AdminAuthentication(auth))
api.register(Message, MessageResource)
api.register(Relationship, RelationshipResource)
api.register(Note, NoteResource)
api.setup()


# The web framework alone, as the benchmark's hangar server has it: a
# constant JSON object, with no query (flask-peewee's Database still opens
# and closes its connection around the request, as it does for every one).
@app.route('/hand/floor')
def floor():
    return app.response_class('{"floor": true}', mimetype='application/json')
