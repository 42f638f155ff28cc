//! Permissions, as Django's `contrib.auth` keeps them: four a model (view,
//! add, change, delete), granted to groups and to users, in tables of their
//! own ([`PERMISSION_MIGRATIONS`]). Users are named by their primary key as
//! text, so any user model can be granted permissions.
//!
//! An administrator has every permission. Anyone else has what is granted
//! to them directly or through their groups, read in one statement when a
//! request needs it ([`Granted::load`]). Change implies view, as in Django:
//! who may change a row may see it.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel_migrations::embed_migrations;

use crate::db::{AnyConnection, Migrations};
use crate::model::{ModelMeta, Value};
use crate::Error;

#[allow(missing_docs)]
mod schema {
    diesel::table! {
        /// The `hangar_permission` table of [`ModelPermission`](super::ModelPermission).
        hangar_permission (id) {
            id -> Integer,
            model -> Text,
            action -> Text,
            name -> Text,
        }
    }

    diesel::table! {
        /// The `hangar_group` table of [`Group`](super::Group).
        hangar_group (id) {
            id -> Integer,
            name -> Text,
        }
    }

    diesel::table! {
        /// The `hangar_group_permission` table of [`GroupPermission`](super::GroupPermission).
        hangar_group_permission (id) {
            id -> Integer,
            group_id -> Integer,
            permission_id -> Integer,
        }
    }

    diesel::table! {
        /// The `hangar_user_group` table of [`UserGroup`](super::UserGroup).
        hangar_user_group (id) {
            id -> Integer,
            user_pk -> Text,
            group_id -> Integer,
        }
    }

    diesel::table! {
        /// The `hangar_user_permission` table of [`UserPermission`](super::UserPermission).
        hangar_user_permission (id) {
            id -> Integer,
            user_pk -> Text,
            permission_id -> Integer,
        }
    }

    diesel::joinable!(hangar_group_permission -> hangar_group (group_id));
    diesel::joinable!(hangar_group_permission -> hangar_permission (permission_id));
    diesel::joinable!(hangar_user_group -> hangar_group (group_id));
    diesel::joinable!(hangar_user_permission -> hangar_permission (permission_id));
    diesel::allow_tables_to_appear_in_same_query!(
        hangar_permission,
        hangar_group,
        hangar_group_permission,
        hangar_user_group,
        hangar_user_permission,
    );
}

pub use schema::{hangar_group, hangar_group_permission, hangar_permission, hangar_user_group, hangar_user_permission};

/// The tables of permissions, groups and grants on every backend, after the
/// login throttle's. [`MIGRATIONS`](super::MIGRATIONS) runs them; an app
/// with a user model of its own runs them too:
/// `hangar::admin::MIGRATIONS.after(&hangar::auth::PERMISSION_MIGRATIONS)`.
pub const PERMISSION_MIGRATIONS: Migrations = Migrations::new()
    .after(&super::THROTTLE_MIGRATIONS)
    .sqlite(embed_migrations!("migrations/permissions/sqlite"))
    .postgres(embed_migrations!("migrations/permissions/postgres"))
    .mysql(embed_migrations!("migrations/permissions/mysql"));

/// What a permission lets its holder do with a model's rows: Django's
/// `view`, `add`, `change` and `delete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    /// See the rows.
    View,
    /// Add rows.
    Add,
    /// Change rows.
    Change,
    /// Delete rows.
    Delete,
}

impl Permission {
    /// The four, in Django's order.
    pub const ALL: [Permission; 4] = [Permission::View, Permission::Add, Permission::Change, Permission::Delete];

    /// `view`, `add`, `change` or `delete`, as stored.
    pub fn name(self) -> &'static str {
        match self {
            Permission::View => "view",
            Permission::Add => "add",
            Permission::Change => "change",
            Permission::Delete => "delete",
        }
    }

    /// The permission stored as `name`.
    pub fn from_name(name: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Django's codename for the model `slug`: `view_message`.
    pub fn codename(self, slug: &str) -> String {
        format!("{}_{slug}", self.name())
    }

    /// How the permission reads: "Can view message".
    pub fn label(self, meta: &ModelMeta) -> String {
        format!("Can {} {}", self.name(), meta.verbose_name.to_lowercase())
    }
}

/// A permission's row: a model's slug, what it allows, and its label.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model)]
#[diesel(table_name = hangar_permission)]
#[model(verbose_name = "Permission", verbose_name_plural = "Permissions", display = name)]
pub struct ModelPermission {
    /// The primary key.
    pub id: i32,
    /// The model's slug.
    #[model(max_length = 255)]
    pub model: String,
    /// `view`, `add`, `change` or `delete`.
    #[model(max_length = 16)]
    pub action: String,
    /// How it reads: "Can view message".
    #[model(max_length = 255)]
    pub name: String,
}

/// A group of users, granted permissions together: Django's `Group`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model)]
#[diesel(table_name = hangar_group)]
#[model(verbose_name = "Group", verbose_name_plural = "Groups", display = name)]
pub struct Group {
    /// The primary key.
    pub id: i32,
    /// The group's unique name.
    #[model(max_length = 150, not_blank)]
    pub name: String,
}

/// A permission granted to a group.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model)]
#[diesel(table_name = hangar_group_permission)]
#[model(verbose_name = "Group permission", verbose_name_plural = "Group permissions")]
pub struct GroupPermission {
    /// The primary key.
    pub id: i32,
    /// The group.
    #[model(references = Group)]
    pub group_id: i32,
    /// The permission.
    #[model(references = ModelPermission)]
    pub permission_id: i32,
}

/// A user's membership of a group.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model)]
#[diesel(table_name = hangar_user_group)]
#[model(verbose_name = "Group membership", verbose_name_plural = "Group memberships")]
pub struct UserGroup {
    /// The primary key.
    pub id: i32,
    /// The user's primary key, as text.
    #[model(max_length = 255)]
    pub user_pk: String,
    /// The group.
    #[model(references = Group)]
    pub group_id: i32,
}

/// A permission granted to a user directly.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, hangar::Model)]
#[diesel(table_name = hangar_user_permission)]
#[model(verbose_name = "User permission", verbose_name_plural = "User permissions")]
pub struct UserPermission {
    /// The primary key.
    pub id: i32,
    /// The user's primary key, as text.
    #[model(max_length = 255)]
    pub user_pk: String,
    /// The permission.
    #[model(references = ModelPermission)]
    pub permission_id: i32,
}

/// What a user is granted, directly and through their groups: pairs of a
/// model's slug and a permission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Granted(BTreeSet<(String, Permission)>);

impl Granted {
    /// Nothing granted.
    pub fn none() -> Self {
        Granted::default()
    }

    /// What the user whose primary key is `user_pk` is granted, in one
    /// statement.
    pub fn load(conn: &mut AnyConnection, user_pk: &Value) -> Result<Granted, Error> {
        use schema::hangar_group_permission as gp;
        use schema::hangar_permission as p;
        use schema::hangar_user_group as ug;
        use schema::hangar_user_permission as up;
        let pk = user_pk.to_string();
        let direct = up::table.filter(up::user_pk.eq(pk.clone())).select(up::permission_id);
        let grouped = gp::table
            .inner_join(ug::table.on(ug::group_id.eq(gp::group_id)))
            .filter(ug::user_pk.eq(pk))
            .select(gp::permission_id);
        let rows: Vec<(String, String)> =
            p::table.filter(p::id.eq_any(direct).or(p::id.eq_any(grouped))).select((p::model, p::action)).load(conn)?;
        Ok(Granted(
            rows.into_iter().filter_map(|(model, action)| Some((model, Permission::from_name(&action)?))).collect(),
        ))
    }

    /// Whether `permission` on the model `slug` is granted; change implies
    /// view.
    pub fn allows(&self, slug: &str, permission: Permission) -> bool {
        let has = |p: Permission| self.0.iter().any(|(m, q)| m == slug && *q == p);
        has(permission) || (permission == Permission::View && has(Permission::Change))
    }

    /// Whether anything at all is granted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Grants `permission` on the model `slug`, in memory only: for tests
    /// and for callers an app builds itself.
    pub fn grant(mut self, slug: &str, permission: Permission) -> Self {
        self.0.insert((slug.to_owned(), permission));
        self
    }
}

/// Makes sure the four permissions of each model in `metas` have their
/// rows, so that they can be granted. Instances starting together may race
/// here; a row another made first is not an error.
pub fn sync_permissions(conn: &mut AnyConnection, metas: &[&'static ModelMeta]) -> Result<(), Error> {
    use schema::hangar_permission as p;
    let slugs: Vec<&str> = metas.iter().map(|m| m.slug).collect();
    let existing: Vec<(String, String)> =
        p::table.filter(p::model.eq_any(&slugs)).select((p::model, p::action)).load(conn)?;
    for meta in metas {
        for permission in Permission::ALL {
            if existing.iter().any(|(m, a)| m == meta.slug && a == permission.name()) {
                continue;
            }
            let inserted = diesel::insert_into(p::table)
                .values((p::model.eq(meta.slug), p::action.eq(permission.name()), p::name.eq(permission.label(meta))))
                .execute(conn);
            match inserted {
                Ok(_) => {}
                Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

/// Removes every grant and membership of the user whose primary key is
/// `user_pk`: run in the transaction that deletes the user, so that a later
/// user given the same key inherits nothing.
pub fn forget_user(conn: &mut AnyConnection, user_pk: &Value) -> Result<(), Error> {
    let pk = user_pk.to_string();
    diesel::delete(schema::hangar_user_permission::table.filter(schema::hangar_user_permission::user_pk.eq(&pk)))
        .execute(conn)?;
    diesel::delete(schema::hangar_user_group::table.filter(schema::hangar_user_group::user_pk.eq(&pk)))
        .execute(conn)?;
    Ok(())
}
