-- The login throttle's counts, shared by every instance of the app: one
-- row per username (`user:<name>`) or client address (`ip:<address>`),
-- with its failures in the window that began at `window_start` (Unix
-- milliseconds). Keys compare byte for byte.
CREATE TABLE hangar_login_throttle (
    throttle_key VARCHAR(160) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures INTEGER NOT NULL,
    INDEX hangar_login_throttle_window_start (window_start)
) ENGINE=InnoDB;
