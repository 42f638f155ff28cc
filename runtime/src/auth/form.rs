//! Forms posted from the site's own pages: read whole, under a limit, with
//! their CSRF token checked against the session.

use rocket::data::{self, Data, FromData};
use rocket::http::Status;
use rocket::Request;

use super::guards::Rejection;
use super::pages::error_page;
use super::{Session, UserModel};
use crate::forms::{read_body, BodyError, Params};
use crate::templates::HtmlPage;

/// What a page says when a form's token is missing or wrong.
pub(crate) const CSRF_FAILED: &str = "CSRF verification failed: this form's security token is missing or does not \
                                      match your session. Reload the page and try again, with cookies enabled for this \
                                      site.";

/// The largest form [`CsrfForm`] reads, in bytes.
pub const CSRF_FORM_LIMIT: u64 = 1 << 20;

/// Why a posted form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormRejection {
    TooLarge,
    Unreadable,
    Csrf,
}

impl FormRejection {
    fn status(self) -> Status {
        match self {
            FormRejection::TooLarge => Status::PayloadTooLarge,
            FormRejection::Unreadable => Status::BadRequest,
            FormRejection::Csrf => Status::Forbidden,
        }
    }
}

/// Reads the form `data` of `request` (up to `limit` bytes) and checks its
/// `csrf_token` field against the session.
pub(crate) async fn checked_params(request: &Request<'_>, data: Data<'_>, limit: u64) -> Result<Params, FormRejection> {
    let body = read_body(data, limit).await.map_err(|e| match e {
        BodyError::TooLarge { .. } => FormRejection::TooLarge,
        BodyError::Unreadable(_) => FormRejection::Unreadable,
    })?;
    let body = String::from_utf8(body).map_err(|_| FormRejection::Unreadable)?;
    let params = Params::parse(&body);
    if !Session::of(request).csrf_matches(params.get("csrf_token").unwrap_or_default()) {
        return Err(FormRejection::Csrf);
    }
    Ok(params)
}

/// [`checked_params`], with a rejection answered as an error page.
pub(crate) async fn read_checked_form<U: UserModel>(
    request: &Request<'_>,
    data: Data<'_>,
    limit: u64,
) -> Result<Params, HtmlPage> {
    match checked_params(request, data, limit).await {
        Ok(params) => Ok(params),
        Err(FormRejection::Csrf) => Err(error_page::<U>(request, Status::Forbidden, CSRF_FAILED).await),
        Err(rejection) => Err(error_page::<U>(request, rejection.status(), "The form could not be read.").await),
    }
}

/// A form posted from one of the site's pages, a data guard: its fields,
/// read whole (up to [`CSRF_FORM_LIMIT`]), once its `csrf_token` matched
/// the session's. A missing or wrong token answers a 403 page, through the
/// catcher [`Auth::mount`](super::Auth::mount) registers.
///
/// ```
/// use hangar::auth::{CsrfForm, LoginRequired};
/// use rocket::response::Redirect;
///
/// #[rocket::post("/notes", data = "<form>")]
/// fn create(user: LoginRequired<'_>, form: CsrfForm) -> Redirect {
///     let message = form.0.get("message").unwrap_or_default();
///     // ... save `message` for `user` ...
///     # let _ = (user, message);
///     Redirect::to("/notes")
/// }
/// ```
#[derive(Debug)]
pub struct CsrfForm(pub Params);

#[rocket::async_trait]
impl<'r> FromData<'r> for CsrfForm {
    type Error = ();

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        match checked_params(request, data, CSRF_FORM_LIMIT).await {
            Ok(params) => data::Outcome::Success(CsrfForm(params)),
            Err(rejection) => {
                if rejection == FormRejection::Csrf {
                    request.local_cache(|| Rejection::Csrf);
                }
                data::Outcome::Error((rejection.status(), ()))
            }
        }
    }
}
