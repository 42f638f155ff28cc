DROP TABLE hangar_admin_log;
