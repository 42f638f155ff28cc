//! Attribute keywords, in one place.

pub(crate) const MODEL: &str = "model";
pub(crate) const DIESEL: &str = "diesel";

// diesel's keys that hangar reads.
pub(crate) const TABLE_NAME: &str = "table_name";
pub(crate) const PRIMARY_KEY: &str = "primary_key";
pub(crate) const BELONGS_TO: &str = "belongs_to";
pub(crate) const FOREIGN_KEY: &str = "foreign_key";
pub(crate) const COLUMN_NAME: &str = "column_name";

// hangar's own keys.
pub(crate) const VERBOSE_NAME: &str = "verbose_name";
pub(crate) const VERBOSE_NAME_PLURAL: &str = "verbose_name_plural";
pub(crate) const REFERENCES: &str = "references";
pub(crate) const DISPLAY: &str = "display";
pub(crate) const MAX_LENGTH: &str = "max_length";
pub(crate) const NOT_BLANK: &str = "not_blank";
pub(crate) const MAX_DIGITS: &str = "max_digits";
pub(crate) const DECIMAL_PLACES: &str = "decimal_places";
pub(crate) const DB_DEFAULT: &str = "db_default";
pub(crate) const CHOICES: &str = "choices";

/// The keys `#[model(...)]` takes on the struct.
pub(crate) const STRUCT_KEYS: &[&str] = &[VERBOSE_NAME, VERBOSE_NAME_PLURAL, DISPLAY];
/// The keys `#[model(...)]` takes on a field.
pub(crate) const FIELD_KEYS: &[&str] =
    &[REFERENCES, VERBOSE_NAME, MAX_LENGTH, NOT_BLANK, MAX_DIGITS, DECIMAL_PLACES, DB_DEFAULT, CHOICES];

// `#[rest(...)]`.
pub(crate) const REST: &str = "rest";
pub(crate) const FIELDS: &str = "fields";
pub(crate) const EXCLUDE: &str = "exclude";
pub(crate) const READONLY_FIELDS: &str = "readonly_fields";
pub(crate) const FILTER_FIELDS: &str = "filter_fields";
pub(crate) const FILTER_EXCLUDE: &str = "filter_exclude";
pub(crate) const PAGINATE_BY: &str = "paginate_by";
pub(crate) const MAX_PAGINATE_BY: &str = "max_paginate_by";
pub(crate) const COUNT: &str = "count";
pub(crate) const INCLUDE: &str = "include";
pub(crate) const OWNER: &str = "owner";
pub(crate) const OWNER_READS: &str = "owner_reads";
pub(crate) const NESTED_WRITES: &str = "nested_writes";
pub(crate) const PERMISSIONS: &str = "permissions";

/// The keys `#[rest(...)]` takes.
pub(crate) const REST_KEYS: &[&str] = &[
    FIELDS,
    EXCLUDE,
    READONLY_FIELDS,
    FILTER_FIELDS,
    FILTER_EXCLUDE,
    PAGINATE_BY,
    MAX_PAGINATE_BY,
    COUNT,
    INCLUDE,
    OWNER,
    OWNER_READS,
    NESTED_WRITES,
    PERMISSIONS,
];

// `#[user(...)]`.
pub(crate) const USER: &str = "user";
pub(crate) const USERNAME: &str = "username";
pub(crate) const PASSWORD: &str = "password";
pub(crate) const EMAIL: &str = "email";
pub(crate) const ACTIVE: &str = "active";
pub(crate) const ADMIN: &str = "admin";
pub(crate) const STAFF: &str = "staff";

/// The keys `#[user(...)]` takes: each names the field that plays the part.
pub(crate) const USER_KEYS: &[&str] = &[USERNAME, PASSWORD, EMAIL, ACTIVE, ADMIN, STAFF];

// `#[admin(...)]`.
pub(crate) const ADMIN_ATTR: &str = "admin";
pub(crate) const COLUMNS: &str = "columns";
pub(crate) const METHOD: &str = "method";
pub(crate) const SEARCH_FIELDS: &str = "search_fields";
pub(crate) const FIELDSETS: &str = "fieldsets";
pub(crate) const ORDERING: &str = "ordering";
pub(crate) const FOREIGN_KEY_LOOKUPS: &str = "foreign_key_lookups";
pub(crate) const DELETE_COLLECT_OBJECTS: &str = "delete_collect_objects";
pub(crate) const EXPORT_EXCLUDE: &str = "export_exclude";
pub(crate) const LABEL: &str = "label";
pub(crate) const HELP_TEXT: &str = "help_text";
pub(crate) const WIDGET: &str = "widget";
pub(crate) const INLINES: &str = "inlines";

// An inline's options: `inlines(Message(fk = user_id, layout = stacked, ...))`;
// `readonly_fields` and `ordering` are shared with the struct's keys.
pub(crate) const FK: &str = "fk";
pub(crate) const LAYOUT: &str = "layout";
pub(crate) const EXTRA: &str = "extra";
pub(crate) const MAX_NUM: &str = "max_num";

/// The options an inline takes.
pub(crate) const INLINE_KEYS: &[&str] = &[FK, LAYOUT, EXTRA, MAX_NUM, READONLY_FIELDS, ORDERING];
/// The layouts an inline takes.
pub(crate) const LAYOUTS: &[&str] = &["tabular", "stacked"];

/// The keys `#[admin(...)]` takes on the struct.
pub(crate) const ADMIN_KEYS: &[&str] = &[
    COLUMNS,
    SEARCH_FIELDS,
    FILTER_FIELDS,
    FILTER_EXCLUDE,
    FIELDS,
    EXCLUDE,
    READONLY_FIELDS,
    FIELDSETS,
    ORDERING,
    PAGINATE_BY,
    COUNT,
    FOREIGN_KEY_LOOKUPS,
    DELETE_COLLECT_OBJECTS,
    EXPORT_EXCLUDE,
    INLINES,
];

/// The keys `#[admin(...)]` takes on a field.
pub(crate) const ADMIN_FIELD_KEYS: &[&str] = &[LABEL, HELP_TEXT, WIDGET];

// `#[choice(...)]`, on a variant of an enum deriving Choice. `label` is
// shared with `#[admin(...)]`.
pub(crate) const CHOICE_ATTR: &str = "choice";
pub(crate) const VALUE: &str = "value";

/// The keys `#[choice(...)]` takes on a variant.
pub(crate) const CHOICE_KEYS: &[&str] = &[VALUE, LABEL];
