-- The REST fixture: API keys, bearer tokens, and what they protect.
CREATE TABLE api_key (
    id SERIAL PRIMARY KEY,
    "key" VARCHAR(64) NOT NULL UNIQUE,
    secret VARCHAR(64) NOT NULL
);
CREATE TABLE api_token (
    id SERIAL PRIMARY KEY,
    token VARCHAR(64) NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id)
);
CREATE TABLE api_doc (
    id SERIAL PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE bearer_doc (
    id SERIAL PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE tweet (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    content TEXT NOT NULL
);
