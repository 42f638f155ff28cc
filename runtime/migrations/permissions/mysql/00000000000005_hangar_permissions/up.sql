-- Permissions (four a model: view, add, change, delete), groups, and what
-- each group and each user is granted. Users are named by their primary
-- key as text, whatever the user model is.
CREATE TABLE hangar_permission (
    id INTEGER PRIMARY KEY AUTO_INCREMENT NOT NULL,
    model VARCHAR(255) NOT NULL,
    action VARCHAR(16) NOT NULL,
    name VARCHAR(255) NOT NULL,
    UNIQUE (model, action)
) ENGINE=InnoDB;
CREATE TABLE hangar_group (
    id INTEGER PRIMARY KEY AUTO_INCREMENT NOT NULL,
    name VARCHAR(150) NOT NULL UNIQUE
) ENGINE=InnoDB;
CREATE TABLE hangar_group_permission (
    id INTEGER PRIMARY KEY AUTO_INCREMENT NOT NULL,
    group_id INTEGER NOT NULL,
    permission_id INTEGER NOT NULL,
    UNIQUE (group_id, permission_id),
    FOREIGN KEY (group_id) REFERENCES hangar_group (id) ON DELETE CASCADE,
    FOREIGN KEY (permission_id) REFERENCES hangar_permission (id) ON DELETE CASCADE
) ENGINE=InnoDB;
CREATE TABLE hangar_user_group (
    id INTEGER PRIMARY KEY AUTO_INCREMENT NOT NULL,
    user_pk VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    group_id INTEGER NOT NULL,
    UNIQUE (user_pk, group_id),
    FOREIGN KEY (group_id) REFERENCES hangar_group (id) ON DELETE CASCADE
) ENGINE=InnoDB;
CREATE TABLE hangar_user_permission (
    id INTEGER PRIMARY KEY AUTO_INCREMENT NOT NULL,
    user_pk VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    permission_id INTEGER NOT NULL,
    UNIQUE (user_pk, permission_id),
    FOREIGN KEY (permission_id) REFERENCES hangar_permission (id) ON DELETE CASCADE
) ENGINE=InnoDB;
