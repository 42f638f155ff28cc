//! Inlines: from the attribute, with every option, and built by hand for a
//! `ModelAdmin` of one's own.

use hangar::admin::{Inline, InlineLayout, ModelAdmin};
use hangar_ui_tests::{message, users};

diesel::table! {
    link (id) {
        id -> Integer,
        src_id -> Integer,
        dst_id -> Integer,
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model, hangar::AdminModel)]
#[diesel(table_name = users)]
#[admin(inlines(
    Message(layout = stacked, extra = 1, max_num = 20, readonly_fields(pub_date), ordering("-pub_date")),
    Link(fk = dst_id)
))]
pub struct Person {
    pub id: i32,
    pub username: String,
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = message)]
pub struct Message {
    pub id: i32,
    #[model(references = Person)]
    pub user_id: i32,
    pub content: String,
    pub pub_date: chrono::NaiveDateTime,
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = link)]
pub struct Link {
    pub id: i32,
    #[model(references = Person)]
    pub src_id: i32,
    #[model(references = Person)]
    pub dst_id: i32,
}

struct People;

impl ModelAdmin for People {
    type Model = Person;

    fn inlines() -> Vec<Inline> {
        const MESSAGES: Inline = Inline::of::<Message, Person>().layout(InlineLayout::Tabular).ordering(&["content"]);
        const LINKS: Inline = Inline::by::<Link, Person>("src_id");
        vec![MESSAGES, LINKS]
    }
}

fn main() {
    use hangar::admin::AdminModel as _;
    let inlines = Person::admin().inlines;
    assert_eq!(inlines.len(), 2);
    assert_eq!((inlines[0].fk(), inlines[1].fk()), ("user_id", "dst_id"));
    assert_eq!(People::inlines()[1].fk(), "src_id");
}
