-- The users table is hangar's (hangar::auth::MIGRATIONS), created first.
CREATE TABLE relationship (
    id SERIAL PRIMARY KEY,
    from_user_id INTEGER NOT NULL REFERENCES users (id),
    to_user_id INTEGER NOT NULL REFERENCES users (id),
    UNIQUE (from_user_id, to_user_id)
);
CREATE INDEX relationship_to_user_id ON relationship (to_user_id);
CREATE TABLE message (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    content TEXT NOT NULL,
    pub_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX message_user_id ON message (user_id);
CREATE INDEX message_pub_date ON message (pub_date);
CREATE TABLE note (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    message TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 1,
    created_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX note_user_id ON note (user_id);
