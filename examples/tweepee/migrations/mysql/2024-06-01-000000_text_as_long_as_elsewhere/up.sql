-- MariaDB's TEXT holds 64 KiB; PostgreSQL's and SQLite's hold far more than
-- the API's 1 MiB body. MEDIUMTEXT (16 MiB) stores what the others do.
ALTER TABLE message MODIFY content MEDIUMTEXT NOT NULL;
ALTER TABLE note MODIFY message MEDIUMTEXT NOT NULL;
