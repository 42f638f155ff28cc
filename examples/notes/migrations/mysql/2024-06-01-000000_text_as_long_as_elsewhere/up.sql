-- MariaDB's TEXT holds 64 KiB; PostgreSQL's and SQLite's hold far more.
-- MEDIUMTEXT (16 MiB) stores what the others do.
ALTER TABLE note MODIFY message MEDIUMTEXT NOT NULL;
