-- The login throttle's counts, shared by every instance of the app: one
-- row per username (`user:<name>`) or client address (`ip:<address>`),
-- with its failures in the window that began at `window_start` (Unix
-- milliseconds).
CREATE TABLE hangar_login_throttle (
    throttle_key VARCHAR(160) NOT NULL PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures INTEGER NOT NULL
);
CREATE INDEX hangar_login_throttle_window_start ON hangar_login_throttle (window_start);
