//! Checking a username and password against the user model, the same way
//! for the login form and for HTTP Basic.

use super::UserModel;
use crate::db::Database;
use crate::model::{by_keys, update, Value};
use crate::utils::{check_password, find_by, make_password, password_iterations, password_needs_rehash};
use crate::Error;

/// A hash at the current cost that no password matches, checked for unknown
/// and inactive users so that they take as long as known ones.
pub(crate) fn decoy_hash() -> String {
    let iterations = password_iterations();
    format!("$pbkdf2-sha256$i={iterations},l=32$aGFuZ2FyZGVjb3k$7bCAV4ioqoykfBSGUZG1sdy2Y4dbKEA6DVxAe5Z6LTQ")
}

/// Runs the password check off the async executor.
pub(crate) async fn verify_password(password: String, hash: String) -> bool {
    rocket::tokio::task::spawn_blocking(move || check_password(&password, &hash)).await.unwrap_or(false)
}

/// The user called `username`, whoever it is, active or not.
pub(crate) async fn user_named<U: UserModel>(db: &Database, username: &str) -> Result<Option<U>, Error> {
    let name = username.to_owned();
    db.run(move |conn| find_by::<U>(conn, U::username_field(), Value::Text(name))).await
}

/// The active user `username` whose password is `password`, or `None`.
///
/// Unknown and inactive users cost one password check too, so timing tells
/// nothing about which usernames exist. On success a hash in an older format
/// or at a lower cost is replaced by a fresh one; a failure never touches
/// the stored hash.
pub async fn authenticate<U: UserModel>(db: &Database, username: &str, password: &str) -> Result<Option<U>, Error> {
    let Some(mut user) = user_named::<U>(db, username).await?.filter(UserModel::is_active) else {
        verify_password(password.to_owned(), decoy_hash()).await;
        return Ok(None);
    };
    let stored = user.password_hash().to_owned();
    if !verify_password(password.to_owned(), stored.clone()).await {
        return Ok(None);
    }
    upgrade_hash(db, &mut user, password).await?;
    Ok(Some(user))
}

/// Replaces `user`'s stored hash with a fresh one when it is in an older
/// format or at a lower cost; call it only after `password` verified.
pub(crate) async fn upgrade_hash<U: UserModel>(db: &Database, user: &mut U, password: &str) -> Result<(), Error> {
    if !password_needs_rehash(user.password_hash()) {
        return Ok(());
    }
    let raw = password.to_owned();
    // A rehash that fails leaves the old hash, which still verifies.
    if let Ok(fresh) = rocket::tokio::task::spawn_blocking(move || make_password(&raw)).await {
        save_password_hash::<U>(db, user, fresh.clone()).await?;
        user.set_password_hash(fresh);
    }
    Ok(())
}

/// Stores `hash` as `user`'s password hash.
pub(crate) async fn save_password_hash<U: UserModel>(db: &Database, user: &U, hash: String) -> Result<(), Error> {
    let pk = user.pk();
    db.run_write(move |conn| {
        let meta = U::meta();
        let predicate = by_keys::<U>(&[pk], conn.dialect())?;
        let field = meta
            .field(U::password_field())
            .ok_or_else(|| Error::BadRequest(format!("`{}` has no field `{}`", meta.slug, U::password_field())))?;
        update::<U>(conn, &predicate, &[(field, Value::Text(hash))])?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_decoy_hash_parses_at_the_current_cost_and_matches_nothing() {
        let decoy = super::decoy_hash();
        assert!(!crate::utils::password_needs_rehash(&decoy));
        assert!(!crate::utils::check_password("", &decoy));
    }
}
