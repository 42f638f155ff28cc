//! The rows an admin action takes, Django's `ChangeList` with its actions:
//! the rows ticked, or every row the list's filters and search match, as
//! `get_query` scopes them; and which actions the caller may use.

use diesel::QueryDsl;

use super::{base_query, ChangeList};
use crate::admin::actions::{AdminAction, BaseQuery, Selection};
use crate::admin::field_changes::RowHooks;
use crate::admin::model_admin::ModelAdmin;
use crate::auth::{Caller, Permission};
use crate::forms::Params;
use crate::model::{by_keys, Value};

/// The object-level hook that each selected row must pass for an action
/// needing `permission`; `add` has none.
pub(crate) fn object_hook<A: ModelAdmin>(permission: Permission) -> fn(&Caller, Option<&A::Model>) -> bool {
    match permission {
        Permission::View => A::has_view_permission,
        Permission::Add => |_, _| true,
        Permission::Change => A::has_change_permission,
        Permission::Delete => A::has_delete_permission,
    }
}

/// Whether the caller may use actions needing `permission` on `A`'s model.
pub(crate) fn permitted<A: ModelAdmin>(caller: &Caller, permission: Permission) -> bool {
    match permission {
        Permission::Add => A::has_add_permission(caller),
        other => object_hook::<A>(other)(caller, None),
    }
}

/// The hooks of `A` that check a row's new values.
pub(crate) fn row_hooks<A: ModelAdmin>() -> RowHooks<A::Model> {
    RowHooks { validate: A::validate, before_save: A::before_save }
}

/// The actions of `A` the caller may use: what the list offers.
pub(crate) fn offered<A: ModelAdmin>(caller: &Caller) -> Vec<AdminAction<A::Model>> {
    A::actions().into_iter().filter(|a| permitted::<A>(caller, a.permission)).collect()
}

/// Which rows an action takes.
pub(crate) enum Chosen {
    /// The rows with these keys, among those `get_query` shows.
    Ticked(Vec<Value>),
    /// Every row the list's query string (filters and search) matches.
    Across(Params),
}

impl Chosen {
    /// The rows of `A` chosen, scoped by `get_query` for `caller`, with the
    /// hook `allowed` asked of each.
    pub(crate) fn selection<A: ModelAdmin>(
        self,
        caller: Caller,
        allowed: fn(&Caller, Option<&A::Model>) -> bool,
        permission: Permission,
    ) -> Selection<A::Model> {
        let base: BaseQuery<A::Model> = match self {
            Chosen::Ticked(keys) => Box::new(move |dialect| {
                Ok(base_query::<A>(&caller, "", dialect)?.filter(by_keys::<A::Model>(&keys, dialect)?))
            }),
            Chosen::Across(list) => {
                let ChangeList { list, q, .. } = ChangeList::<A::Model>::parse(&list);
                Box::new(move |dialect| Ok(list.filter(base_query::<A>(&caller, &q, dialect)?, dialect)?))
            }
        };
        Selection::new(base, allowed, permission)
    }
}
