DROP TABLE hangar_user_permission;
DROP TABLE hangar_user_group;
DROP TABLE hangar_group_permission;
DROP TABLE hangar_group;
DROP TABLE hangar_permission;
