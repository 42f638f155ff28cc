-- Permissions (four a model: view, add, change, delete), groups, and what
-- each group and each user is granted. Users are named by their primary
-- key as text, whatever the user model is.
CREATE TABLE hangar_permission (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    model VARCHAR(255) NOT NULL,
    action VARCHAR(16) NOT NULL,
    name VARCHAR(255) NOT NULL,
    UNIQUE (model, action)
);
CREATE TABLE hangar_group (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name VARCHAR(150) NOT NULL UNIQUE
);
CREATE TABLE hangar_group_permission (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    group_id INTEGER NOT NULL REFERENCES hangar_group (id) ON DELETE CASCADE,
    permission_id INTEGER NOT NULL REFERENCES hangar_permission (id) ON DELETE CASCADE,
    UNIQUE (group_id, permission_id)
);
CREATE TABLE hangar_user_group (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_pk VARCHAR(255) NOT NULL,
    group_id INTEGER NOT NULL REFERENCES hangar_group (id) ON DELETE CASCADE,
    UNIQUE (user_pk, group_id)
);
CREATE TABLE hangar_user_permission (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_pk VARCHAR(255) NOT NULL,
    permission_id INTEGER NOT NULL REFERENCES hangar_permission (id) ON DELETE CASCADE,
    UNIQUE (user_pk, permission_id)
);
CREATE INDEX hangar_group_permission_permission ON hangar_group_permission (permission_id);
CREATE INDEX hangar_user_group_group ON hangar_user_group (group_id);
CREATE INDEX hangar_user_permission_permission ON hangar_user_permission (permission_id);
