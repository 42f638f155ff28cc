-- A custom user model: other column names, no email, and fields of its own.
CREATE TABLE members (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    login VARCHAR(150) NOT NULL UNIQUE,
    pw_hash VARCHAR(255) NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    staff BOOLEAN NOT NULL DEFAULT FALSE,
    karma INTEGER NOT NULL DEFAULT 0,
    bio VARCHAR(500) NOT NULL DEFAULT ''
);
