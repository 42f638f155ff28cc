-- Staff users: they enter the admin as far as their permissions go.
ALTER TABLE users ADD COLUMN staff BOOLEAN NOT NULL DEFAULT FALSE;
