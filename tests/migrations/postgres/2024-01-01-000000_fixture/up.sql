-- The fixture schema: flask-peewee's test models, plus one column of every type.
CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    username VARCHAR(150) NOT NULL UNIQUE,
    password VARCHAR(255) NOT NULL,
    email VARCHAR(255) NOT NULL,
    join_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    admin BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE message (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    content TEXT NOT NULL,
    pub_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE note (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    message TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 1,
    created_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE link (
    id SERIAL PRIMARY KEY,
    src_id INTEGER NOT NULL REFERENCES users (id),
    dst_id INTEGER NULL REFERENCES users (id),
    label VARCHAR(255) NOT NULL DEFAULT ''
);
CREATE TABLE amodel (
    id SERIAL PRIMARY KEY,
    a_field VARCHAR(255) NOT NULL
);
CREATE TABLE bmodel (
    id SERIAL PRIMARY KEY,
    a_id INTEGER NOT NULL REFERENCES amodel (id),
    b_field VARCHAR(255) NOT NULL
);
CREATE TABLE cmodel (
    id SERIAL PRIMARY KEY,
    b_id INTEGER NOT NULL REFERENCES bmodel (id),
    c_field VARCHAR(255) NOT NULL
);
CREATE TABLE dmodel (
    id SERIAL PRIMARY KEY,
    c_id INTEGER NOT NULL REFERENCES cmodel (id),
    d_field VARCHAR(255) NOT NULL
);
CREATE TABLE ddetail (
    id SERIAL PRIMARY KEY,
    d_id INTEGER NOT NULL REFERENCES dmodel (id),
    detail VARCHAR(255) NOT NULL
);
CREATE TABLE emodel (
    id SERIAL PRIMARY KEY,
    e_field VARCHAR(255) NOT NULL
);
CREATE TABLE fmodel (
    id SERIAL PRIMARY KEY,
    e_id INTEGER NULL REFERENCES emodel (id),
    f_field VARCHAR(255) NOT NULL
);
CREATE TABLE kitchen (
    id SERIAL PRIMARY KEY,
    small SMALLINT NOT NULL,
    big BIGINT NOT NULL,
    ratio REAL NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    flag BOOLEAN NOT NULL,
    day DATE NOT NULL,
    at TIME NOT NULL,
    stamp TIMESTAMP NOT NULL,
    label VARCHAR(255) NOT NULL,
    maybe_int INTEGER NULL,
    maybe_text VARCHAR(255) NULL,
    maybe_flag BOOLEAN NULL,
    maybe_day DATE NULL,
    maybe_stamp TIMESTAMP NULL
);
