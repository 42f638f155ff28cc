//! What generated code refers to. Not a public API: it changes without notice.

pub use crate::admin::{
    AdminColumn, AdminConfig, AdminEntry, AdminModel, AdminWidget, FieldOptions, Fieldset, Inline, InlineLayout,
    ModelAdmin, DEFAULT_MAX_NUM,
};
pub use crate::auth::UserModel;
pub use ::diesel;
pub use ::inventory;
pub use ::rocket;
pub use ::serde;
pub use ::serde_json;
pub use ::std::boxed::Box;
pub use ::std::convert::{From, TryFrom};
pub use ::std::option::Option;
pub use ::std::result::Result;
pub use ::std::vec::Vec;

pub use crate::db::{AnyConnection, Dialect, MultiBackend};
pub use crate::model::{
    build_error, check_column, check_foreign_key, check_inline_fk, check_path, check_self_key, choice_from_value,
    choice_value, read_choice, table_sql_name, BoxedQuery, Choice, ChoiceMeta, FieldMeta, FieldType, ForeignKeyTo,
    Model, ModelEntry, ModelMeta, NotNullFieldType, PathEnd, Precision, Raw, RelationMeta, RowReader, SqlKind, Value,
};
pub use crate::query::{Count, DEFAULT_MAX_PAGINATE_BY, DEFAULT_PAGINATE_BY};
pub use crate::rest::{Include, Resource, ResourceOps, RestConfig, RestEntry, RestModel};

mod unusable {
    diesel::table! {
        /// The table of the stub impl a failed `derive(Model)` emits.
        hangar_unusable (id) {
            id -> Integer,
        }
    }
}

/// The table of the stub impl a failed `derive(Model)` emits, so that its
/// errors are not followed by errors about a table it could not name.
pub type Unusable = unusable::hangar_unusable::table;

static UNUSABLE_FIELDS: [FieldMeta; 1] = [FieldMeta {
    name: "id",
    column: "id",
    kind: crate::model::SqlKind::Integer,
    nullable: false,
    primary_key: true,
    verbose_name: "Id",
    max_length: None,
    not_blank: false,
    precision: None,
    db_default: false,
    choices: &[],
}];

/// The description in the stub impl a failed `derive(Model)` emits; never
/// read at run time, since that crate does not compile.
pub static UNUSABLE_META: ModelMeta = ModelMeta {
    name: "Unusable",
    slug: "unusable",
    table: "hangar_unusable",
    primary_key: &UNUSABLE_FIELDS[0],
    fields: &UNUSABLE_FIELDS,
    relations: &[],
    verbose_name: "Unusable",
    verbose_name_plural: "Unusable",
    display: None,
};
