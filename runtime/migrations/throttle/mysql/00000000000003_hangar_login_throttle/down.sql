DROP TABLE hangar_login_throttle;
