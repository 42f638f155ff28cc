//! The static description of a model that `derive(Model)` emits.

use std::fmt;

/// The SQL type of a field, as far as hangar needs to know it.
///
/// These are the types that Diesel's `MultiConnection` supports on every
/// backend and that hangar can parse, filter, order and serialise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqlKind {
    /// `SMALLINT`, read as `i16`.
    SmallInt,
    /// `INTEGER`, read as `i32`.
    Integer,
    /// `BIGINT`, read as `i64`.
    BigInt,
    /// `REAL` / `FLOAT`, read as `f32`.
    Float,
    /// `DOUBLE PRECISION`, read as `f64`.
    Double,
    /// `TEXT` / `VARCHAR`, read as `String`.
    Text,
    /// `BOOLEAN`, read as `bool`.
    Bool,
    /// `DATE`, read as `chrono::NaiveDate`.
    Date,
    /// `TIME`, read as `chrono::NaiveTime`.
    Time,
    /// `TIMESTAMP` / `DATETIME`, read as `chrono::NaiveDateTime`.
    Timestamp,
    /// An instant, read as `chrono::DateTime<Utc>`: PostgreSQL's
    /// `timestamptz`, MariaDB's `DATETIME(6)` holding UTC, SQLite's text in
    /// UTC.
    Timestamptz,
    /// A UUID, read as `uuid::Uuid`: PostgreSQL's `uuid`, `CHAR(36)` on
    /// MariaDB, text on SQLite.
    Uuid,
    /// An exact decimal, read as `bigdecimal::BigDecimal`: `NUMERIC(p, s)`,
    /// `DECIMAL(p, s)` on MariaDB, text on SQLite.
    Numeric,
    /// A JSON document, read as `serde_json::Value`: PostgreSQL's `jsonb`,
    /// MariaDB's `JSON`, text on SQLite.
    Jsonb,
    /// Bytes, read as `Vec<u8>`: `bytea`, `BLOB`.
    Binary,
}

impl SqlKind {
    /// The kind's name with an article, for error messages: "an integer".
    pub const fn describe(self) -> &'static str {
        match self {
            SqlKind::SmallInt => "a small integer",
            SqlKind::Integer => "an integer",
            SqlKind::BigInt => "a big integer",
            SqlKind::Float | SqlKind::Double => "a number",
            SqlKind::Text => "a text field",
            SqlKind::Bool => "a boolean",
            SqlKind::Date => "a date",
            SqlKind::Time => "a time",
            SqlKind::Timestamp => "a timestamp",
            SqlKind::Timestamptz => "an instant",
            SqlKind::Uuid => "a UUID",
            SqlKind::Numeric => "a decimal",
            SqlKind::Jsonb => "a JSON document",
            SqlKind::Binary => "bytes",
        }
    }

    /// Whether this kind is an integer: a key the database can count.
    pub const fn is_integer(self) -> bool {
        matches!(self, SqlKind::SmallInt | SqlKind::Integer | SqlKind::BigInt)
    }

    /// Whether values of this kind have a meaningful order (`lt`, `between`).
    pub fn is_ordered(self) -> bool {
        !matches!(self, SqlKind::Bool | SqlKind::Jsonb | SqlKind::Binary)
    }

    /// Whether values of this kind can be compared for equality (`eq`,
    /// `in`): every kind but JSON documents and bytes, which are tested
    /// only for `NULL`.
    pub fn is_comparable(self) -> bool {
        !matches!(self, SqlKind::Jsonb | SqlKind::Binary)
    }

    /// Whether values of this kind fall on a calendar day (`year`,
    /// `within_days`): dates, timestamps and instants.
    pub fn has_date(self) -> bool {
        matches!(self, SqlKind::Date | SqlKind::Timestamp | SqlKind::Timestamptz)
    }

    /// Whether this kind supports pattern matching (`like`, `contains`):
    /// text, and UUIDs by their text.
    pub fn is_text(self) -> bool {
        matches!(self, SqlKind::Text | SqlKind::Uuid)
    }
}

impl fmt::Display for SqlKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One field of a model.
#[derive(Debug, PartialEq, Eq)]
pub struct FieldMeta {
    /// The struct field's name, which is also its name in URLs and JSON.
    pub name: &'static str,
    /// The SQL name of the column it maps to (usually the same as `name`).
    pub column: &'static str,
    /// Its SQL type.
    pub kind: SqlKind,
    /// Whether it is an `Option<_>`.
    pub nullable: bool,
    /// Whether it is the primary key.
    pub primary_key: bool,
    /// A human name: `#[model(verbose_name = "...")]`, else the name with
    /// underscores turned into spaces and words capitalised.
    pub verbose_name: &'static str,
    /// The longest text the column holds, in characters:
    /// `#[model(max_length = 150)]` for a `VARCHAR(150)`.
    pub max_length: Option<u32>,
    /// Whether text must not be empty or only whitespace: `#[model(not_blank)]`.
    pub not_blank: bool,
    /// A decimal's precision and scale:
    /// `#[model(max_digits = 12, decimal_places = 2)]` for a `NUMERIC(12, 2)`.
    pub precision: Option<Precision>,
    /// Whether the database fills the column when an insert leaves it out:
    /// `#[model(db_default)]`, for a key made by `gen_random_uuid()` or a
    /// time made by `now()`.
    pub db_default: bool,
    /// The values a `#[model(choices)]` field may take, in order; empty for
    /// any other field.
    pub choices: &'static [ChoiceMeta],
}

/// A decimal column's precision and scale, as Django's `DecimalField`
/// names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precision {
    /// Digits in all, before and after the point.
    pub max_digits: u32,
    /// Digits after the point.
    pub decimal_places: u32,
}

/// One value of a choice field: what is stored, and what people see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceMeta {
    /// The value stored and written in JSON and URLs.
    pub value: &'static str,
    /// The label shown in the admin.
    pub label: &'static str,
}

impl FieldMeta {
    /// The label of `value` among the field's choices, if it is one.
    pub fn choice_label(&self, value: &str) -> Option<&'static str> {
        self.choices.iter().find(|c| c.value == value).map(|c| c.label)
    }
}

#[cfg(test)]
impl FieldMeta {
    /// A plain field for unit tests: no length, blank allowed.
    pub(crate) const fn for_tests(name: &'static str, kind: SqlKind, nullable: bool) -> FieldMeta {
        FieldMeta {
            name,
            column: name,
            kind,
            nullable,
            primary_key: false,
            verbose_name: name,
            max_length: None,
            not_blank: false,
            precision: None,
            db_default: false,
            choices: &[],
        }
    }
}

/// A foreign key from one model to another.
pub struct RelationMeta {
    /// The relation's name in filter paths: the foreign key's field name
    /// without its `_id` suffix (`user_id` is relation `user`).
    pub name: &'static str,
    /// The foreign key field on this model.
    pub field: &'static str,
    /// The related model's description. A reference, not a function, so
    /// that relation paths can be checked while compiling (see
    /// [`check_path`](super::check_path)).
    pub target: &'static ModelMeta,
    /// Whether the foreign key is nullable.
    pub nullable: bool,
}

/// Each relation is described once, so two are equal when they are the same.
impl PartialEq for RelationMeta {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for RelationMeta {}

impl fmt::Debug for RelationMeta {
    /// The target by name: models refer to each other in cycles.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelationMeta")
            .field("name", &self.name)
            .field("field", &self.field)
            .field("target", &self.target.name)
            .field("nullable", &self.nullable)
            .finish()
    }
}

/// The static description of a model.
#[derive(Debug)]
pub struct ModelMeta {
    /// The struct's name: `Message`.
    pub name: &'static str,
    /// The lower-case name used in URLs: `message`.
    pub slug: &'static str,
    /// The Diesel table's name.
    pub table: &'static str,
    /// The primary key field (one of `fields`).
    pub primary_key: &'static FieldMeta,
    /// Every field, in declaration order.
    pub fields: &'static [FieldMeta],
    /// Every foreign key, in declaration order.
    pub relations: &'static [RelationMeta],
    /// A human name for one object: `Message`.
    pub verbose_name: &'static str,
    /// A human name for several: `Messages`.
    pub verbose_name_plural: &'static str,
    /// The field that names a row for people (`#[model(display = field)]`),
    /// if any; see [`display`](super::display).
    pub display: Option<&'static str>,
}

/// Each model has one static description, so two are equal when they are
/// the same one.
impl PartialEq for ModelMeta {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for ModelMeta {}

impl ModelMeta {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&'static FieldMeta> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The relation called `name`.
    pub fn relation(&self, name: &str) -> Option<&'static RelationMeta> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// The relation whose foreign key is the field `field`.
    pub fn relation_of_field(&self, field: &str) -> Option<&'static RelationMeta> {
        self.relations.iter().find(|r| r.field == field)
    }

    /// The field names, in declaration order.
    pub fn field_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.name)
    }
}

/// A model with foreign keys to `Target`: `derive(Model)` implements it
/// once for each model a model's foreign keys refer to, so that a page of
/// `Target` rows can show and edit this model's rows under each (the
/// admin's inlines), checked while compiling.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no foreign key to `{Target}`",
    label = "no foreign key to `{Target}`",
    note = "an inline shows rows of a model that refers to this one: give `{Self}` a foreign key to `{Target}` with `#[diesel(belongs_to({Target}))]` or `#[model(references = {Target})]`"
)]
pub trait ForeignKeyTo<Target: ?Sized> {
    /// The foreign keys to `Target`, by field name.
    const FIELDS: &'static [&'static str];
}
