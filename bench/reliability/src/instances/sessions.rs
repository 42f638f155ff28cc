//! Sessions and Basic credentials across instances: the cookie made by one
//! instance is valid on the other (one `secret_key`), and a password
//! changed or a user deactivated through one instance ends that user's
//! session and remembered Basic credentials on the other at their next
//! request. The other instance has seen the user log in and has verified
//! their Basic credentials before the change, so it would still let them
//! in if it trusted what it remembers.

use super::audit::Change;
use super::{ensure, forms, Site, Verdict};
use crate::app::Running;
use crate::http::basic;

/// A page only for logged-in users.
const LOGIN_REQUIRED: &str = "/following";

/// A request that needs Basic credentials and changes nothing: the API
/// authenticates a DELETE before it looks for the object, so valid
/// credentials get 404 and wrong ones 401.
const BASIC_PROBE: &str = "/api/message/0/";

/// The status of `GET /following` on `instance` with `cookie`, and where
/// it redirects to.
fn page_status(site: &Site, instance: &Running, cookie: &str) -> Result<(u16, String), String> {
    let reply = site.client.get(&format!("{}{LOGIN_REQUIRED}", instance.base()), &[("Cookie", cookie)])?;
    Ok((reply.status, reply.header("Location").unwrap_or_default().to_owned()))
}

/// The status of the Basic probe on `instance` for `username:password`.
fn basic_status(site: &Site, instance: &Running, username: &str, password: &str) -> Result<u16, String> {
    let url = format!("{}{BASIC_PROBE}", instance.base());
    Ok(site.client.send("DELETE", &url, &[("Authorization", &basic(username, password))], None)?.status)
}

fn logged_out(status: u16, location: &str) -> bool {
    (300..400).contains(&status) && location.starts_with("/accounts/login/")
}

/// `admin`'s session from the first instance opens the admin on the
/// second and through nginx, on both; a user's session from the second is
/// valid on the first.
pub(crate) fn shared_login(site: &Site) -> Verdict {
    let admin = |base: &str, cookie: &str| -> Result<u16, String> {
        Ok(site.client.get(&format!("{base}/admin/"), &[("Cookie", cookie)])?.status)
    };
    let cookie = &site.admin_cookie;
    let anonymous = admin(&site.second.base(), "")?;
    ensure((300..400).contains(&anonymous), || format!("/admin/ without a session answered {anonymous}"))?;
    let on_first = admin(&site.first.base(), cookie)?;
    let on_second = admin(&site.second.base(), cookie)?;
    ensure(on_first == 200 && on_second == 200, || {
        format!("admin's session made on the first: /admin/ answered {on_first} there and {on_second} on the second")
    })?;
    let mut through_proxy = Vec::new();
    for _ in 0..6 {
        let reply = site.client.get(&format!("{}/admin/", site.proxy.base()), &[("Cookie", cookie)])?;
        through_proxy.push(format!("{} {}", site.answered_by(&reply), reply.status));
    }
    ensure(through_proxy.iter().all(|r| r.ends_with(" 200")), || format!("through nginx: {through_proxy:?}"))?;
    ensure(
        through_proxy.iter().any(|r| r.starts_with("first")) && through_proxy.iter().any(|r| r.starts_with("second")),
        || format!("nginx did not use both instances: {through_proxy:?}"),
    )?;
    let user = site.client.login(&site.second.base(), "user0", "user0")?;
    let (status, location) = page_status(site, &site.first, &user)?;
    ensure(status == 200, || {
        format!("user0's session made on the second: {LOGIN_REQUIRED} on the first answered {status} {location}")
    })?;
    Ok(format!(
        "admin logged in on the first: /admin/ 200 there, 200 on the second (303 without the cookie), \
         through nginx {}; user0 logged in on the second: {LOGIN_REQUIRED} 200 on the first",
        through_proxy.join(", ")
    ))
}

/// `user1` logs in on the second instance and authenticates there with
/// Basic (twice: verified, then remembered); the admin changes the password
/// through the first; the second must refuse the old session and the old
/// credentials and take the new password.
pub(crate) fn password_change(site: &mut Site) -> Verdict {
    let (name, new_password) = ("user1", "user1-changed");
    let pk = site.user_pk(name)?;
    let session = site.client.login(&site.second.base(), name, name)?;
    let before = page_status(site, &site.second, &session)?;
    let basic_before = [basic_status(site, &site.second, name, name)?, basic_status(site, &site.second, name, name)?];
    ensure(before.0 == 200 && basic_before == [404, 404], || {
        format!("before the change, on the second: {LOGIN_REQUIRED} {before:?}, Basic {basic_before:?}")
    })?;
    let path = format!("/admin/user/{pk}/");
    let changed =
        forms::submit(&site.client, &site.first.base(), &path, &site.admin_cookie, &[("password", new_password)])?;
    ensure(changed.status == 303, || {
        format!("POST {path} on the first answered {}: {}", changed.status, changed.body)
    })?;
    site.changes.push(Change::new("user", pk, "change", "password"));

    let after = page_status(site, &site.second, &session)?;
    let old = basic_status(site, &site.second, name, name)?;
    let new = basic_status(site, &site.second, name, new_password)?;
    ensure(logged_out(after.0, &after.1) && old == 401 && new == 404, || {
        format!(
            "after the password changed through the first, on the second: {LOGIN_REQUIRED} answered {} {} \
             (wanted a redirect to the login page), the old Basic password {old} (wanted 401), the new one {new} \
             (wanted 404)",
            after.0, after.1
        )
    })?;
    Ok(format!(
        "{name} logged in on the second ({LOGIN_REQUIRED} 200; Basic DELETE {BASIC_PROBE} 404, 404: verified, then \
         remembered); password changed through the first's admin (303); then on the second: {LOGIN_REQUIRED} {} → \
         {}, old Basic password 401, new one 404",
        after.0, after.1
    ))
}

/// `user2` logs in on the first instance and authenticates there with
/// Basic; the admin unticks `active` through the second; the first must
/// refuse both at the next request.
pub(crate) fn deactivation(site: &mut Site) -> Verdict {
    let name = "user2";
    let pk = site.user_pk(name)?;
    let session = site.client.login(&site.first.base(), name, name)?;
    let before = page_status(site, &site.first, &session)?;
    let basic_before = [basic_status(site, &site.first, name, name)?, basic_status(site, &site.first, name, name)?];
    ensure(before.0 == 200 && basic_before == [404, 404], || {
        format!("before deactivating, on the first: {LOGIN_REQUIRED} {before:?}, Basic {basic_before:?}")
    })?;
    let path = format!("/admin/user/{pk}/");
    let changed = forms::submit(&site.client, &site.second.base(), &path, &site.admin_cookie, &[("active", "")])?;
    ensure(changed.status == 303, || {
        format!("POST {path} on the second answered {}: {}", changed.status, changed.body)
    })?;
    site.changes.push(Change::new("user", pk, "change", "active"));

    let after = page_status(site, &site.first, &session)?;
    let basic_after = basic_status(site, &site.first, name, name)?;
    ensure(logged_out(after.0, &after.1) && basic_after == 401, || {
        format!(
            "after {name} was deactivated through the second, on the first: {LOGIN_REQUIRED} answered {} {} \
             (wanted a redirect to the login page), Basic {basic_after} (wanted 401)",
            after.0, after.1
        )
    })?;
    Ok(format!(
        "{name} logged in on the first ({LOGIN_REQUIRED} 200; Basic 404, 404); `active` unticked through the \
         second's admin (303); then on the first: {LOGIN_REQUIRED} {} → {}, Basic 401",
        after.0, after.1
    ))
}
