//! flask-peewee's utilities: passwords, slugs, safe redirects, and fetching
//! one object or answering 404. Pagination lives in [`crate::query`] and
//! [`crate::templates::object_list`].

mod legacy_hash;
mod password;
mod safe_url;
mod secret;
mod shortcuts;
mod slug;

pub use password::{
    check_password, find_password_hash, make_password, make_password_with, password_iterations, password_needs_rehash,
    set_password_iterations, DEFAULT_ITERATIONS, PASSWORD_HASH_PREFIXES, TEST_ITERATIONS,
};
pub use safe_url::{get_next, is_safe_url, safe_next};
pub(crate) use secret::{random_token, same_secret};
pub(crate) use shortcuts::find_by;
pub use shortcuts::{get_by_pk_or_404, get_object_or_404};
pub use slug::slugify;
