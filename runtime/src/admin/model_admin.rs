//! The behaviour of a model's admin that users override.

use rocket::Route;

use super::actions::AdminAction;
use super::config::AdminModel;
use super::inline::Inline;
use crate::auth::{Caller, Permission};
use crate::db::AnyConnection;
use crate::forms::FormErrors;
use crate::model::{BoxedQuery, Data, Model, Value};
use crate::utils::get_by_pk_or_404;
use crate::Error;

/// A model's admin: flask-peewee's `ModelAdmin`, Django's `ModelAdmin`.
///
/// `derive(AdminModel)` implements it for the model itself, with every
/// default. To change a behaviour, implement it for a type of your own and
/// register that with [`Admin::register`](super::Admin::register):
///
/// ```
/// # use diesel::prelude::*;
/// # diesel::table! { note (id) { id -> Integer, message -> Text, status -> Integer } }
/// # #[derive(Queryable, Selectable, hangar::Model, hangar::AdminModel)]
/// # #[diesel(table_name = note)]
/// # struct Note { id: i32, message: String, status: i32 }
/// use hangar::admin::ModelAdmin;
/// use hangar::auth::Caller;
/// use hangar::forms::FormErrors;
/// use hangar::model::{BoxedQuery, Data, Value};
/// use hangar::Model as _;
///
/// /// Live notes only, and never an empty one.
/// struct LiveNotes;
///
/// impl ModelAdmin for LiveNotes {
///     type Model = Note;
///
///     fn get_query(_caller: &Caller) -> BoxedQuery<Note> {
///         Note::all().filter(note::status.eq(1))
///     }
///
///     fn validate(_caller: &Caller, data: &Data, _existing: Option<&Note>) -> Result<(), FormErrors> {
///         let mut errors = FormErrors::default();
///         if matches!(data.get("message"), Some(Value::Text(m)) if m.trim().len() < 3) {
///             errors.push("message", "Write at least three characters.");
///         }
///         if errors.is_empty() { Ok(()) } else { Err(errors) }
///     }
/// }
/// ```
///
/// Every hook but [`routes`](ModelAdmin::routes) runs on a blocking thread
/// with the request's connection, inside the request's transaction for
/// writes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a model admin",
    label = "not a model admin",
    note = "derive `hangar::AdminModel` on the model, or implement `hangar::admin::ModelAdmin` for a type of your own"
)]
pub trait ModelAdmin: Send + Sync + 'static {
    /// The model administered.
    type Model: AdminModel;

    /// The rows this admin shows. It scopes the list, the forms, deletes,
    /// exports, histories and the pickers of other admins alike: a row it
    /// leaves out answers 404.
    fn get_query(caller: &Caller) -> BoxedQuery<Self::Model> {
        let _ = caller;
        Self::Model::all()
    }

    /// The row with primary key `pk` (as it stands in the URL), among
    /// [`get_query`](ModelAdmin::get_query)'s.
    fn get_object(conn: &mut AnyConnection, caller: &Caller, pk: &str) -> Result<Self::Model, Error> {
        get_by_pk_or_404::<Self::Model>(conn, Self::get_query(caller), pk)
    }

    /// Checks a submitted form's values beyond their types: each error is
    /// shown beside its field, and nothing is written.
    fn validate(caller: &Caller, data: &Data, existing: Option<&Self::Model>) -> Result<(), FormErrors> {
        let _ = (caller, data, existing);
        Ok(())
    }

    /// Runs before a save: adjust the data, or refuse with an error.
    fn before_save(caller: &Caller, data: &mut Data, existing: Option<&Self::Model>) -> Result<(), Error> {
        let _ = (caller, data, existing);
        Ok(())
    }

    /// Writes the data: inserts a row, or updates `existing`; returns the
    /// row's primary key.
    fn save_model(
        conn: &mut AnyConnection,
        caller: &Caller,
        data: &Data,
        existing: Option<&Self::Model>,
    ) -> Result<Value, Error> {
        let _ = caller;
        Ok(crate::model::save::<Self::Model>(conn, data, existing)?)
    }

    /// Runs after a save, in the same transaction.
    fn after_save(conn: &mut AnyConnection, caller: &Caller, pk: &Value, created: bool) -> Result<(), Error> {
        let _ = (conn, caller, pk, created);
        Ok(())
    }

    /// May the caller use this model's admin at all? Asked on top of the
    /// permissions below, to narrow who may; by default, anyone they let in.
    fn check_user_permission(caller: &Caller) -> bool {
        let _ = caller;
        true
    }

    /// May the caller see this model's rows (`obj` is `None`), or the row
    /// `obj`? By default, when they may view or change the model: an
    /// administrator always, staff when granted.
    fn has_view_permission(caller: &Caller, obj: Option<&Self::Model>) -> bool {
        let _ = obj;
        caller.has_permission(Self::Model::meta().slug, Permission::View)
    }

    /// May the caller add rows? By default, when granted `add`.
    fn has_add_permission(caller: &Caller) -> bool {
        caller.has_permission(Self::Model::meta().slug, Permission::Add)
    }

    /// May the caller change this model's rows, or the row `obj`? By
    /// default, when granted `change`.
    fn has_change_permission(caller: &Caller, obj: Option<&Self::Model>) -> bool {
        let _ = obj;
        caller.has_permission(Self::Model::meta().slug, Permission::Change)
    }

    /// May the caller delete this model's rows, or the row `obj`? By
    /// default, when granted `delete`.
    fn has_delete_permission(caller: &Caller, obj: Option<&Self::Model>) -> bool {
        let _ = obj;
        caller.has_permission(Self::Model::meta().slug, Permission::Delete)
    }

    /// The actions the list offers on the rows ticked, or on every row
    /// its filters match: by default the built-in
    /// [`AdminAction::delete_selected`] and [`AdminAction::change_fields`].
    /// List them beside your own to keep them. The list offers only those
    /// whose permission the caller has ([`AdminAction::permission`]).
    fn actions() -> Vec<AdminAction<Self::Model>> {
        vec![AdminAction::delete_selected(), AdminAction::change_fields()]
    }

    /// The child models edited on this model's form: by default the
    /// `inlines(...)` of `#[admin(...)]`. Override it to add inlines to a
    /// model whose admin you do not derive:
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # diesel::table! { message (id) { id -> Integer, user_id -> Integer, content -> Text } }
    /// # diesel::table! { users (id) { id -> Integer } }
    /// # #[derive(Queryable, Selectable, hangar::Model, hangar::AdminModel)]
    /// # #[diesel(table_name = message)]
    /// # struct Message { id: i32, #[model(references = hangar::auth::User)] user_id: i32, content: String }
    /// use hangar::admin::{Inline, ModelAdmin};
    /// use hangar::auth::User;
    ///
    /// struct UserAdmin;
    ///
    /// impl ModelAdmin for UserAdmin {
    ///     type Model = User;
    ///
    ///     fn inlines() -> Vec<Inline> {
    ///         const MESSAGES: Inline = Inline::of::<Message, User>().extra(1).ordering(&["-id"]);
    ///         vec![MESSAGES]
    ///     }
    /// }
    /// ```
    fn inlines() -> Vec<Inline> {
        Self::Model::admin().inlines.to_vec()
    }

    /// Templates to use instead of the admin's own for this model: pairs of
    /// (`list`, `form`, `delete`, `action`, `export` or `history`, template
    /// name).
    fn get_template_overrides() -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Extra views, mounted under `<prefix>/<model>/` and guarded like the
    /// admin's own: anonymous visitors go to the login page, others need
    /// to be let into the admin, then
    /// [`check_user_permission`](ModelAdmin::check_user_permission) and
    /// any of the four permissions on the model.
    fn routes() -> Vec<Route> {
        Vec::new()
    }
}

/// Whether the admin `A` lets the caller do `permission` with its rows,
/// model-wide: its `check_user_permission` and the matching `has_*`
/// hook; view is view or change, as in Django.
pub(crate) fn allows<A: ModelAdmin>(caller: &Caller, permission: Permission) -> bool {
    A::check_user_permission(caller)
        && match permission {
            Permission::View => A::has_view_permission(caller, None) || A::has_change_permission(caller, None),
            Permission::Add => A::has_add_permission(caller),
            Permission::Change => A::has_change_permission(caller, None),
            Permission::Delete => A::has_delete_permission(caller, None),
        }
}

/// Whether the caller may use the admin `A` at all, its own routes
/// included: any of the four.
pub(crate) fn may_use<A: ModelAdmin>(caller: &Caller) -> bool {
    Permission::ALL.into_iter().any(|p| allows::<A>(caller, p))
}

/// The row `pk` of the admin `A` (a 404 when its `get_object` finds none),
/// when the caller may do `permission` with it (a 403 when not): view is
/// view or change.
pub(crate) fn object_for<A: ModelAdmin>(
    conn: &mut AnyConnection,
    caller: &Caller,
    pk: &str,
    permission: Permission,
) -> Result<A::Model, Error> {
    let object = A::get_object(conn, caller, pk)?;
    if allows_object::<A>(caller, &object, permission) {
        Ok(object)
    } else {
        Err(refused::<A>(permission))
    }
}

/// The rows `keys` name, as [`object_for`] finds each: every lookup first
/// (a 404 for any missing), then the permission on each (a 403 for any
/// refused).
pub(crate) fn objects_for<A: ModelAdmin>(
    conn: &mut AnyConnection,
    caller: &Caller,
    keys: &[String],
    permission: Permission,
) -> Result<Vec<A::Model>, Error> {
    let objects = keys.iter().map(|pk| A::get_object(conn, caller, pk)).collect::<Result<Vec<_>, _>>()?;
    if objects.iter().all(|object| allows_object::<A>(caller, object, permission)) {
        Ok(objects)
    } else {
        Err(refused::<A>(permission))
    }
}

/// The 403 for a row the caller may not `permission`.
fn refused<A: ModelAdmin>(permission: Permission) -> Error {
    Error::Forbidden(format!(
        "You may not {} this {}.",
        permission.name(),
        A::Model::meta().verbose_name.to_lowercase()
    ))
}

/// What the caller may do with the form's object: whether its form is
/// locked (shown read-only, without change), and whether they may delete
/// it. A new object's form is never locked.
pub(crate) fn object_rights<A: ModelAdmin>(caller: &Caller, object: Option<&A::Model>) -> (bool, bool) {
    match object {
        Some(object) => (
            !allows_object::<A>(caller, object, Permission::Change),
            allows_object::<A>(caller, object, Permission::Delete),
        ),
        None => (false, false),
    }
}

/// The form's buttons the caller may use, as its template sees them
/// (`can.save`, `can.add_another`, `can.continue`): none on a locked form;
/// adding another needs add, going on editing a new object change.
pub(crate) fn form_buttons<A: ModelAdmin>(caller: &Caller, editing: bool, locked: bool) -> serde_json::Value {
    let save = !locked;
    serde_json::json!({
        "save": save,
        "add_another": save && allows::<A>(caller, Permission::Add),
        "continue": save && (editing || allows::<A>(caller, Permission::Change)),
    })
}

/// Whether the caller may do `permission` with the row `object`: the
/// admin's object-level hooks, view being view or change.
pub(crate) fn allows_object<A: ModelAdmin>(caller: &Caller, object: &A::Model, permission: Permission) -> bool {
    let obj = Some(object);
    A::check_user_permission(caller)
        && match permission {
            Permission::View => A::has_view_permission(caller, obj) || A::has_change_permission(caller, obj),
            Permission::Add => A::has_add_permission(caller),
            Permission::Change => A::has_change_permission(caller, obj),
            Permission::Delete => A::has_delete_permission(caller, obj),
        }
}
