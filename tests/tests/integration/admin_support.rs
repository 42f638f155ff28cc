//! The fixture models in an admin, on every backend, with a browser-like
//! client that logs in.

use diesel::{ExpressionMethods, QueryDsl};
use hangar::admin::{Admin, AdminPanel, ModelAdmin};
use hangar::auth::{Auth, Caller};
use hangar::db::AnyConnection;
use hangar::model::BoxedQuery;
use hangar::Model as _;
use hangar_tests::backends::TestDb;
use hangar_tests::models::*;
use hangar_tests::schema::{note, users};
use rocket::http::Status;
use rocket::{Build, Rocket};

use crate::auth_support::{user_site, Browser, Page};

/// Notes with status 1 only: what `get_query` hides must stay hidden.
pub(crate) struct LiveNotes;

impl ModelAdmin for LiveNotes {
    type Model = Note;

    fn get_query(_caller: &Caller) -> BoxedQuery<Note> {
        Note::all().filter(note::status.eq(1))
    }
}

/// Active users only, so the message form's picker leaves out `inactive`.
pub(crate) struct ActiveUsers;

impl ModelAdmin for ActiveUsers {
    type Model = User;

    fn get_query(_caller: &Caller) -> BoxedQuery<User> {
        User::all().filter(users::active.eq(true))
    }
}

/// A panel that counts the notes.
pub(crate) struct NoteCount;

impl AdminPanel for NoteCount {
    fn slug(&self) -> &str {
        "note-count"
    }

    fn title(&self) -> &str {
        "Note count"
    }

    fn template(&self) -> &str {
        "panels/note_count"
    }

    fn context(&self, _caller: &Caller, conn: &mut AnyConnection) -> Result<serde_json::Value, hangar::Error> {
        Ok(serde_json::json!({"count": Note::count(Note::all(), conn)?}))
    }
}

/// The site: login, and the admin over the fixture models.
pub(crate) fn admin_site(db: &TestDb) -> Rocket<Build> {
    let mut templates = hangar::templates::Templates::embedded().expect("templates");
    templates.add("panels/note_count", "<p class=\"note-count\">{{count}} notes</p>").expect("parses");
    let site = user_site(Auth::new(), db).manage(templates);
    Admin::<User>::new()
        .register::<ActiveUsers>()
        .register::<Message>()
        .register::<LiveNotes>()
        .register::<Link>()
        .register::<AModel>()
        .register::<BModel>()
        .register::<CModel>()
        .register::<DModel>()
        .register::<DDetail>()
        .register::<Kitchen>()
        .panel(NoteCount)
        .mount(site)
}

impl Browser {
    /// Logs in as `user` (whose password is its name).
    pub(crate) async fn as_user(&self, user: &str) {
        let page = self.log_in(user, user, "/").await;
        assert_eq!(page.status, Status::SeeOther, "logging in as {user}: {page:?}");
    }

    /// Posts an admin form with the session's token.
    pub(crate) async fn submit(&self, uri: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(uri, &all).await
    }
}

/// The text of every `<td>` of the results table, row by row.
pub(crate) fn table(body: &str) -> Vec<Vec<String>> {
    let Some(start) = body.find("<tbody>") else {
        return Vec::new();
    };
    let end = body[start..].find("</tbody>").map_or(body.len(), |e| start + e);
    body[start..end]
        .split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(2)
                .map(|cell| {
                    let inner = cell.split_once('>').map_or("", |(_, rest)| rest);
                    let text = inner.split("</td>").next().unwrap_or_default();
                    strip_tags(text).trim().to_owned()
                })
                .collect()
        })
        .filter(|cells: &Vec<String>| !cells.is_empty())
        .collect()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// `html` with the entities Handlebars writes turned back into characters.
pub(crate) fn decoded(html: &str) -> String {
    html.replace("&#x60;", "`")
        .replace("&#x3D;", "=")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
