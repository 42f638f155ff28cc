//! The REST API over the fixture models, registered as flask-peewee's own
//! test suite registers them.

use hangar::model::Value;
use hangar::rest::authn::{
    AdminAuthentication, ApiKeyAuthentication, ApiKeyModel, Authentication, BearerAuthentication, Protected,
    TokenModel, UserAuthentication, UserBearerAuthentication, UserTokenModel,
};
use hangar::rest::{Registration, RestApi};
use rocket::local::asynchronous::Client;

use crate::backends::TestDb;
use crate::models::*;

impl ApiKeyModel for ApiKey {
    fn secret(&self) -> &str {
        &self.secret
    }
}

impl TokenModel for ApiToken {}

impl UserTokenModel for ApiToken {
    type User = User;

    fn user_key(&self) -> Value {
        Value::Integer(self.user_id)
    }
}

/// Users as the API shows them: active ones only; writes hash the password
/// and need an admin, also when nested in another resource's body.
pub type UserResource = hangar::rest::UserResource<User>;

/// No credentials needed for anything.
pub fn open() -> Registration {
    Registration::new().auth(Authentication::new().protect(Protected::only(&[])))
}

/// The API: Basic users by default, admins for users, API keys, bearer
/// tokens, and open resources for the relation shapes.
pub fn api() -> RestApi {
    RestApi::new("/api")
        .default_auth(UserAuthentication::<User>::new())
        .body_limit(16 * 1024)
        .register_with::<UserResource>(Registration::new().auth(AdminAuthentication::<User>::new()))
        .register::<Message>()
        .register::<Note>()
        .register_with::<Link>(open())
        .register_with::<AModel>(open())
        .register_with::<BModel>(open())
        .register_with::<CModel>(open())
        .register_with::<DModel>(open())
        .register_with::<EModel>(open())
        .register_with::<FModel>(open())
        .register_with::<Kitchen>(open())
        .register_with::<DDetail>(open().methods(&[rocket::http::Method::Get]))
        .register_with::<ApiDoc>(
            Registration::new().auth(ApiKeyAuthentication::<ApiKey>::new().protect(Protected::all())),
        )
        .register_with::<BearerDoc>(
            Registration::new().auth(BearerAuthentication::<ApiToken>::new().protect(Protected::all())),
        )
        .register_with::<Tweet>(Registration::new().auth(UserBearerAuthentication::<ApiToken>::new()))
        .register::<GuardedNote>()
        .register_with::<GuardedDoc>(
            Registration::new().auth(ApiKeyAuthentication::<ApiKey>::new().protect(Protected::all())),
        )
}

/// A client of the API on `db`'s database.
pub async fn client(db: &TestDb) -> Client {
    let rocket =
        api().mount(rocket::custom(rocket::Config::figment().merge(("log_level", "off"))).manage(db.db.clone()));
    Client::untracked(rocket).await.expect("the API launches")
}
