//! What generated code refers to. Not a public API: it changes without notice.

pub use crate::auth::UserModel;
pub use ::diesel;
pub use ::inventory;
pub use ::rocket;
pub use ::serde;
pub use ::serde_json;
pub use ::std::boxed::Box;
pub use ::std::option::Option;
pub use ::std::result::Result;
pub use ::std::vec::Vec;

pub use crate::db::{AnyConnection, Dialect, MultiBackend};
pub use crate::model::{
    build_error, in_subquery, predicate, typed_column, BoxedQuery, Column, CountRows, FieldMeta, FieldType, Lookup,
    Model, ModelEntry, ModelMeta, PkSubquery, Predicate, RelationMeta, SelectableModel, Value,
};
pub use crate::query::{DEFAULT_MAX_PAGINATE_BY, DEFAULT_PAGINATE_BY};
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
