//! tweepee's REST API: `/api/user/`, `/api/message/`, `/api/relationship/`
//! and `/api/note/`.

use std::sync::Arc;

use diesel::{ExpressionMethods, QueryDsl};
use hangar::model::BoxedQuery;
use hangar::rest::authn::{AdminAuthentication, CredentialCache, SessionAuthentication};
use hangar::rest::{Caller, Registration, Resource, RestApi};
use hangar::Model as _;

use crate::models::{Message, Note, Relationship, User, LIVE};
use crate::schema::note;

/// Users: active ones only; writing one hashes its password and needs an
/// admin, also when nested in a message, note or relationship.
pub type UserResource = hangar::rest::UserResource<User>;

/// Notes: live ones only.
#[derive(Debug)]
pub struct NoteResource;

impl Resource for NoteResource {
    type Model = Note;

    fn get_query(_caller: &Caller) -> BoxedQuery<Note> {
        Note::all().filter(note::status.eq(LIVE))
    }
}

/// The API at `/api/`: users must be admins to write users; any active user
/// may write messages, relationships and notes, which are theirs. Basic
/// credentials and the login session both work; a write through the
/// session sends its CSRF token in `X-CSRF-Token`.
pub fn api() -> RestApi {
    let cache = Arc::new(CredentialCache::default());
    RestApi::new("/api")
        .default_auth(SessionAuthentication::<User>::new().cache(cache.clone()))
        .register_with::<UserResource>(Registration::new().auth(AdminAuthentication::<User>::new().cache(cache)))
        .register::<Message>()
        .register::<Relationship>()
        .register::<NoteResource>()
}
