//! Groups and grants on the admin's forms, as Django's admin edits them: a
//! group's permissions on the group's page; a user's groups and own
//! permissions on the page of the admin's user model. Each is a
//! multi-select, read from the posted form and written in the
//! transaction that saves the row, with its names before and after in the
//! audit log.
//!
//! Only administrators may change them. Anyone else sees them read-only,
//! and a form of theirs that posts them is refused with a 403: otherwise a
//! user allowed to change users could grant themselves anything.

use std::collections::BTreeSet;

use diesel::prelude::*;
use serde_json::{json, Map, Value as Json};

use super::multiselect::{multi_select, Choice, ChoiceGroup, MultiSelect};
use crate::auth::{
    forget_user, hangar_group, hangar_group_permission, hangar_permission, hangar_user_group, hangar_user_permission,
    Caller, Group, Permission,
};
use crate::db::AnyConnection;
use crate::forms::{FormErrors, Params};
use crate::model::{Model, ModelEntry, ModelMeta, Value};
use crate::Error;

/// The title of the fieldset that holds a form's grants.
pub(crate) const FIELDSET_TITLE: &str = "Permissions";

/// Why a form that posts grants is refused to someone who is not an
/// administrator.
pub(crate) const ADMINS_ONLY: &str = "Only administrators may change groups and permissions.";

/// What a multi-select says about choosing more than one.
const HELP: &str = "Hold Ctrl (⌘ on a Mac) to choose more than one.";

/// One set of grants a form edits beside its row's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GrantSet {
    /// A group's permissions: `permissions`.
    GroupPermissions,
    /// A user's groups: `groups`.
    UserGroups,
    /// A user's own permissions, beside their groups': `user_permissions`.
    UserPermissions,
}

/// Groups or permissions under a heading (a model's name), or under
/// none: each one's key and label.
type Headed = (Option<String>, Vec<(i32, String)>);

/// The row whose grants a set holds: a group by its key, or a user by
/// theirs as text.
enum Holder {
    Group(i32),
    User(String),
}

impl GrantSet {
    /// The name its multi-select posts, Django's.
    pub(crate) fn name(self) -> &'static str {
        match self {
            GrantSet::GroupPermissions => "permissions",
            GrantSet::UserGroups => "groups",
            GrantSet::UserPermissions => "user_permissions",
        }
    }

    fn label(self) -> &'static str {
        match self {
            GrantSet::GroupPermissions => "Permissions",
            GrantSet::UserGroups => "Groups",
            GrantSet::UserPermissions => "User permissions",
        }
    }

    /// Whether it holds groups (else permissions).
    fn of_groups(self) -> bool {
        self == GrantSet::UserGroups
    }

    fn holder(self, key: &Value) -> Result<Holder, Error> {
        match self {
            // A key read back as another integer type (a BIGINT, say) too.
            GrantSet::GroupPermissions => match key.to_string().parse() {
                Ok(id) => Ok(Holder::Group(id)),
                Err(_) => Err(Error::BadRequest(format!("a group's key is a number, not `{key}`"))),
            },
            GrantSet::UserGroups | GrantSet::UserPermissions => Ok(Holder::User(key.to_string())),
        }
    }

    /// The keys of the groups or permissions `holder` has now.
    fn current(self, conn: &mut AnyConnection, holder: &Holder) -> Result<BTreeSet<i32>, Error> {
        use hangar_group_permission as gp;
        use hangar_user_group as ug;
        use hangar_user_permission as up;
        let keys: Vec<i32> = match (self, holder) {
            (GrantSet::GroupPermissions, Holder::Group(id)) => {
                gp::table.filter(gp::group_id.eq(*id)).select(gp::permission_id).load(conn)?
            }
            (GrantSet::UserGroups, Holder::User(pk)) => {
                ug::table.filter(ug::user_pk.eq(pk)).select(ug::group_id).load(conn)?
            }
            (GrantSet::UserPermissions, Holder::User(pk)) => {
                up::table.filter(up::user_pk.eq(pk)).select(up::permission_id).load(conn)?
            }
            _ => Vec::new(),
        };
        Ok(keys.into_iter().collect())
    }

    /// Grants `holder` the groups or permissions `added`, and takes back
    /// `removed`.
    fn write(self, conn: &mut AnyConnection, holder: &Holder, added: &[i32], removed: &[i32]) -> Result<(), Error> {
        use hangar_group_permission as gp;
        use hangar_user_group as ug;
        use hangar_user_permission as up;
        match (self, holder) {
            (GrantSet::GroupPermissions, Holder::Group(id)) => {
                if !removed.is_empty() {
                    diesel::delete(gp::table.filter(gp::group_id.eq(*id)).filter(gp::permission_id.eq_any(removed)))
                        .execute(conn)?;
                }
                for permission in added {
                    diesel::insert_into(gp::table)
                        .values((gp::group_id.eq(*id), gp::permission_id.eq(*permission)))
                        .execute(conn)?;
                }
            }
            (GrantSet::UserGroups, Holder::User(pk)) => {
                if !removed.is_empty() {
                    diesel::delete(ug::table.filter(ug::user_pk.eq(pk)).filter(ug::group_id.eq_any(removed)))
                        .execute(conn)?;
                }
                for group in added {
                    diesel::insert_into(ug::table)
                        .values((ug::user_pk.eq(pk), ug::group_id.eq(*group)))
                        .execute(conn)?;
                }
            }
            (GrantSet::UserPermissions, Holder::User(pk)) => {
                if !removed.is_empty() {
                    diesel::delete(up::table.filter(up::user_pk.eq(pk)).filter(up::permission_id.eq_any(removed)))
                        .execute(conn)?;
                }
                for permission in added {
                    diesel::insert_into(up::table)
                        .values((up::user_pk.eq(pk), up::permission_id.eq(*permission)))
                        .execute(conn)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Every group or permission it offers, under their headings: groups
    /// by name; permissions by model, then view, add, change, delete.
    fn choices(self, conn: &mut AnyConnection) -> Result<Vec<Headed>, Error> {
        if self.of_groups() {
            let groups: Vec<(i32, String)> = hangar_group::table
                .select((hangar_group::id, hangar_group::name))
                .order((hangar_group::name, hangar_group::id))
                .load(conn)?;
            return Ok(vec![(None, groups)]);
        }
        use hangar_permission as p;
        let rows: Vec<(i32, String, String, String)> =
            p::table.select((p::id, p::model, p::action, p::name)).load(conn)?;
        let rank = |action: &str| {
            Permission::from_name(action)
                .and_then(|p| Permission::ALL.iter().position(|q| *q == p))
                .unwrap_or(usize::MAX)
        };
        let mut rows: Vec<(String, String, usize, i32, String)> = rows
            .into_iter()
            .map(|(id, model, action, name)| (model_heading(&model), model, rank(&action), id, name))
            .collect();
        rows.sort();
        let mut out: Vec<Headed> = Vec::new();
        let mut last_model: Option<String> = None;
        for (heading, model, _, id, name) in rows {
            if last_model.as_deref() != Some(model.as_str()) {
                out.push((Some(heading), Vec::new()));
                last_model = Some(model);
            }
            if let Some((_, choices)) = out.last_mut() {
                choices.push((id, name));
            }
        }
        Ok(out)
    }

    /// The names of the groups or permissions `keys`, in `keys`' order;
    /// those that name no row are left out.
    fn names(self, conn: &mut AnyConnection, keys: &BTreeSet<i32>) -> Result<Vec<(i32, String)>, Error> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<i32> = keys.iter().copied().collect();
        let rows: Vec<(i32, String)> = if self.of_groups() {
            hangar_group::table
                .filter(hangar_group::id.eq_any(&keys))
                .select((hangar_group::id, hangar_group::name))
                .load(conn)?
        } else {
            hangar_permission::table
                .filter(hangar_permission::id.eq_any(&keys))
                .select((hangar_permission::id, hangar_permission::name))
                .load(conn)?
        };
        Ok(keys.iter().filter_map(|k| rows.iter().find(|(id, _)| id == k).cloned()).collect())
    }
}

/// How the model `slug`'s permissions are headed: its plural name, or the
/// slug of a model this program no longer has.
fn model_heading(slug: &str) -> String {
    inventory::iter::<ModelEntry>
        .into_iter()
        .map(ModelEntry::meta)
        .find(|meta| meta.slug == slug)
        .map_or_else(|| slug.to_owned(), |meta| meta.verbose_name_plural.to_owned())
}

/// Names, sorted, as the audit log keeps them.
fn sorted_names(named: Vec<(i32, String)>) -> Vec<String> {
    let mut names: Vec<String> = named.into_iter().map(|(_, n)| n).collect();
    names.sort();
    names
}

/// Whether the caller may change groups and grants: administrators only.
pub(crate) fn may_change(caller: &Caller) -> bool {
    caller.is_admin()
}

/// The grants a model's form edits beside its row's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GrantForm {
    sets: &'static [GrantSet],
}

impl GrantForm {
    /// The grants the form of `model` edits in an admin whose users are
    /// `users`: a group's permissions, a user's groups and permissions, or
    /// none.
    pub(crate) fn of(model: &'static ModelMeta, users: &'static ModelMeta) -> Option<GrantForm> {
        if std::ptr::eq(model, users) {
            Some(GrantForm { sets: &[GrantSet::UserGroups, GrantSet::UserPermissions] })
        } else if std::ptr::eq(model, Group::meta()) {
            Some(GrantForm { sets: &[GrantSet::GroupPermissions] })
        } else {
            None
        }
    }

    /// The names the form's multi-selects post.
    pub(crate) fn names(&self) -> impl Iterator<Item = &'static str> {
        self.sets.iter().map(|s| s.name())
    }

    /// What `params` chose. An administrator's form chooses every set (one
    /// it leaves out is emptied, as a `<select multiple>` with nothing
    /// chosen posts nothing); anyone else's chooses none, and a form of
    /// theirs that posts one is refused.
    pub(crate) fn read(&self, caller: &Caller, params: &Params) -> Result<Chosen, Error> {
        if !may_change(caller) {
            if self.names().any(|name| params.contains(name)) {
                return Err(Error::Forbidden(ADMINS_ONLY.to_owned()));
            }
            return Ok(Chosen::default());
        }
        let sets = self
            .sets
            .iter()
            .map(|set| {
                let keys = params.get_all(set.name()).map(str::trim).filter(|k| !k.is_empty()).map(str::to_owned);
                (*set, keys.collect())
            })
            .collect();
        Ok(Chosen(sets))
    }

    /// The form's multi-selects, showing what `key`'s row has (nothing,
    /// for a row being added), or what an administrator's `posted` form
    /// chose; read-only for anyone else, and on a `locked` page (one the
    /// caller may only view).
    pub(crate) fn widgets(
        &self,
        conn: &mut AnyConnection,
        caller: &Caller,
        key: Option<&Value>,
        posted: Option<&Params>,
        errors: &FormErrors,
        locked: bool,
    ) -> Result<Vec<Json>, Error> {
        let editable = may_change(caller) && !locked;
        let mut widgets = Vec::with_capacity(self.sets.len());
        for set in self.sets {
            let selected: BTreeSet<String> = match (posted, key) {
                (Some(params), _) if editable => params.get_all(set.name()).map(|k| k.trim().to_owned()).collect(),
                (_, Some(key)) => set.current(conn, &set.holder(key)?)?.iter().map(i32::to_string).collect(),
                (_, None) => BTreeSet::new(),
            };
            let groups = set
                .choices(conn)?
                .into_iter()
                .map(|(heading, choices)| ChoiceGroup {
                    heading,
                    choices: choices
                        .into_iter()
                        .map(|(id, label)| {
                            let value = id.to_string();
                            Choice { selected: selected.contains(&value), value, label }
                        })
                        .collect(),
                })
                .collect();
            widgets.push(multi_select(MultiSelect {
                name: set.name(),
                label: set.label(),
                help_text: HELP,
                groups,
                readonly: !editable,
                errors: errors.of(set.name()).map(str::to_owned).collect(),
            }));
        }
        Ok(widgets)
    }
}

/// The keys a form chose for each of its sets, as posted; none when it
/// changes no grants.
#[derive(Debug, Clone, Default)]
pub(crate) struct Chosen(Vec<(GrantSet, Vec<String>)>);

impl Chosen {
    /// Gives the row `key` what was chosen, on the connection of its save
    /// (so in its transaction), and answers the changes for the audit log:
    /// each set that changed, with its names before and after. A key that
    /// names no group or permission is the form's error, beside its
    /// multi-select, and nothing is written.
    pub(crate) fn save(
        &self,
        conn: &mut AnyConnection,
        key: &Value,
    ) -> Result<Result<Map<String, Json>, FormErrors>, Error> {
        let mut errors = FormErrors::default();
        let mut wanted: Vec<(GrantSet, BTreeSet<i32>)> = Vec::with_capacity(self.0.len());
        for (set, raw) in &self.0 {
            let keys: BTreeSet<i32> = raw.iter().filter_map(|k| k.parse().ok()).collect();
            let known = set.names(conn, &keys)?;
            for k in raw {
                if !k.parse::<i32>().is_ok_and(|k| known.iter().any(|(id, _)| *id == k)) {
                    let what = if set.of_groups() { "group" } else { "permission" };
                    errors.push(set.name(), format!("Select a valid {what}: `{k}` is not one of the choices."));
                }
            }
            wanted.push((*set, keys));
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let mut changes = Map::new();
        for (set, after) in wanted {
            let holder = set.holder(key)?;
            let before = set.current(conn, &holder)?;
            if before == after {
                continue;
            }
            let added: Vec<i32> = after.difference(&before).copied().collect();
            let removed: Vec<i32> = before.difference(&after).copied().collect();
            let before_names = sorted_names(set.names(conn, &before)?);
            set.write(conn, &holder, &added, &removed)?;
            let after_names = sorted_names(set.names(conn, &after)?);
            changes.insert(set.name().to_owned(), json!([before_names, after_names]));
        }
        Ok(Ok(changes))
    }
}

/// Forgets the user `key`'s groups and permissions (on the connection of
/// the delete, so in its transaction), and adds what they were to the
/// delete's `changes` for the audit log.
pub(crate) fn forget(conn: &mut AnyConnection, key: &Value, changes: &mut Json) -> Result<(), Error> {
    let holder = Holder::User(key.to_string());
    for set in [GrantSet::UserGroups, GrantSet::UserPermissions] {
        let keys = set.current(conn, &holder)?;
        let before = sorted_names(set.names(conn, &keys)?);
        if let (false, Json::Object(map)) = (before.is_empty(), &mut *changes) {
            map.insert(set.name().to_owned(), json!([before, Json::Null]));
        }
    }
    forget_user(conn, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{CallerUser, Granted, User};

    fn caller(admin: bool) -> Caller {
        let user = CallerUser {
            pk: Value::Integer(2),
            username: "staff".to_owned(),
            admin,
            staff: true,
            granted: Granted::none(),
        };
        Caller { authenticated: true, user: Some(user) }
    }

    #[test]
    fn the_user_model_and_groups_have_grants_others_none() {
        let users = User::meta();
        let user_form = GrantForm::of(users, users).expect("the user model edits grants");
        assert_eq!(user_form.names().collect::<Vec<_>>(), ["groups", "user_permissions"]);
        let group_form = GrantForm::of(Group::meta(), users).expect("a group edits its permissions");
        assert_eq!(group_form.names().collect::<Vec<_>>(), ["permissions"]);
        assert!(GrantForm::of(crate::admin::AuditEntry::meta(), users).is_none());
    }

    #[test]
    fn only_administrators_change_grants() {
        let form = GrantForm::of(User::meta(), User::meta()).expect("grants");
        let posted = Params::parse("username=x&groups=1");
        let refused = form.read(&caller(false), &posted).expect_err("staff may not post grants");
        assert!(matches!(refused, Error::Forbidden(ref m) if m == ADMINS_ONLY), "{refused:?}");
        // An empty choice is a choice too.
        assert!(form.read(&caller(false), &Params::parse("user_permissions=")).is_err());
        // Their form without the grants changes none.
        let untouched = form.read(&caller(false), &Params::parse("username=x")).expect("read");
        assert!(untouched.0.is_empty());
        let chosen = form.read(&caller(true), &Params::parse("groups=1&groups=%202%20&groups=")).expect("read");
        assert_eq!(
            chosen.0,
            [(GrantSet::UserGroups, vec!["1".to_owned(), "2".to_owned()]), (GrantSet::UserPermissions, Vec::new())]
        );
        assert!(!may_change(&Caller::anonymous()));
    }
}
