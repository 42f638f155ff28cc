//! hangar reads rows itself, so a model needs none of Diesel's derives.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use hangar::db::AnyConnection;
use hangar::Model;

mod schema {
    diesel::table! {
        note (id) {
            id -> Integer,
            body -> Text,
            stars -> Nullable<Integer>,
        }
    }
}

#[derive(Debug, PartialEq, hangar::Model)]
#[diesel(table_name = schema::note)]
pub struct Note {
    pub id: i32,
    pub body: String,
    pub stars: Option<i32>,
}

fn main() {
    let mut conn = AnyConnection::establish(":memory:").expect("an in-memory database");
    conn.batch_execute(
        "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL, stars INTEGER);
         INSERT INTO note VALUES (1, 'first', NULL), (2, 'second', 5);",
    )
    .expect("the table");
    let notes = Note::load(Note::all(), &mut conn).expect("the rows");
    assert_eq!(
        notes,
        [Note { id: 1, body: "first".into(), stars: None }, Note { id: 2, body: "second".into(), stars: Some(5) }]
    );
}
