//! The admin's templates replaced by an app's own, on every backend: a
//! model's own list template gets the list's pieces as data; a replaced row
//! partial draws every row, a replaced frame every page.

use hangar::admin::{Admin, ModelAdmin};
use hangar::auth::Auth;
use hangar::templates::Templates;
use hangar_tests::backends::TestDb;
use hangar_tests::models::*;
use rocket::http::Status;
use rocket::{Build, Rocket};

use crate::auth_support::{user_site, Browser};

/// Notes in a list template of their own.
struct NotesInTheirOwnList;

impl ModelAdmin for NotesInTheirOwnList {
    type Model = Note;

    fn get_template_overrides() -> &'static [(&'static str, &'static str)] {
        &[("list", "notes/list")]
    }
}

/// A list of notes that reads the list's pieces as data.
const NOTES_LIST: &str = "<h1>{{model.name_plural}}</h1>\
    <table>{{#each columns}}<th data-sorted=\"{{sorted}}\">{{label}}</th>{{/each}}\
    {{#each rows}}<tr class=\"note\" data-pk=\"{{pk}}\">{{#each cells}}<td>{{text}}</td>{{/each}}</tr>{{/each}}</table>\
    <ol>{{#each page_links}}<li>{{#if current}}now {{/if}}{{number}}</li>{{/each}}</ol>\
    {{#if next_url}}<a class=\"next\" href=\"{{next_url}}\">on</a>{{/if}}\
    <p class=\"fields\">{{#each filter_builder.fields}}{{path}} {{/each}}</p>";

/// A row partial of the app's own, for every list.
const ROW: &str = "<tr class=\"mine\" data-pk=\"{{pk}}\">{{#each cells}}<td>{{text}}</td>{{/each}}</tr>";

/// A frame of the app's own, around every admin page.
const FRAME: &str = "<!doctype html><title>{{title}} at {{admin.site_title}}</title>\
    <nav class=\"mine\">{{{admin.models_html}}}</nav><p class=\"who\">{{user.username}}</p>\
    <main>{{{content}}}</main>";

fn site(db: &TestDb) -> Rocket<Build> {
    let mut templates = Templates::embedded().expect("templates");
    templates.add("notes/list", NOTES_LIST).expect("parses");
    templates.add("hangar/admin/list_row", ROW).expect("parses");
    templates.add("hangar/admin/base", FRAME).expect("parses");
    let site = user_site(Auth::new(), db).manage(templates);
    Admin::<User>::new().register::<Message>().register::<NotesInTheirOwnList>().mount(site)
}

#[rocket::async_test]
async fn an_apps_own_templates_draw_the_frame_the_rows_and_a_models_list() {
    Browser::each(site, async |browser: &Browser| {
        browser.as_user("admin").await;

        // The library's list, with the app's row partial, in the app's frame.
        let page = browser.get("/admin/message/").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        assert!(page.body.starts_with("<!doctype html><title>Messages at Administration</title>"), "{}", page.body);
        assert_eq!(page.body.matches("<tr class=\"mine\" data-pk=").count(), 4, "{}", page.body);
        assert!(page.body.contains("<td>inactive</td>"), "the cells' text: {}", page.body);
        assert!(page
            .body
            .contains("<nav class=\"mine\"><li><a href=\"/admin/message/\" aria-current=\"page\">Messages</a></li>"));
        assert!(page.body.contains("<p class=\"who\">admin</p>"), "{}", page.body);
        assert!(page.body.contains("class=\"filter-builder\""), "the library's list inside: {}", page.body);

        // The model's own list template reads the pieces as data.
        let page = browser.get("/admin/note/?ordering=-message").await;
        assert_eq!(page.status, Status::Ok, "{}", page.body);
        assert!(
            page.body.contains("<main><h1>Notes</h1><table><th data-sorted=\"\">Id</th><th data-sorted=\"\">User</th>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("<th data-sorted=\"desc\">Message</th>"), "{}", page.body);
        assert_eq!(page.body.matches("<tr class=\"note\" data-pk=").count(), 2, "two a page: {}", page.body);
        assert!(page.body.contains("<ol><li>now 1</li><li>2</li></ol>"), "{}", page.body);
        assert!(
            page.body.contains("<a class=\"next\" href=\"/admin/note/?ordering&#x3D;-message&amp;page&#x3D;2\">"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("<p class=\"fields\">id user_id message status created_date user__username"),
            "{}",
            page.body
        );
        assert!(page.body.contains("<td>note 4</td>"), "the cells' text: {}", page.body);
        assert!(!page.body.contains("<tr class=\"mine\""), "its own rows, not the partial's: {}", page.body);
    })
    .await;
}
