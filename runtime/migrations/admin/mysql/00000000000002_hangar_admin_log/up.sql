-- The admin's audit log, hangar::admin::LogEntry.
CREATE TABLE hangar_admin_log (
    id INTEGER PRIMARY KEY AUTO_INCREMENT NOT NULL,
    action_time DATETIME(6) NOT NULL,
    user_pk VARCHAR(255) NOT NULL,
    username VARCHAR(255) NOT NULL,
    model VARCHAR(255) NOT NULL,
    object_pk VARCHAR(255) NOT NULL,
    object_repr VARCHAR(255) NOT NULL,
    action VARCHAR(16) NOT NULL,
    changes MEDIUMTEXT NOT NULL
);
CREATE INDEX hangar_admin_log_object ON hangar_admin_log (model, object_pk);
