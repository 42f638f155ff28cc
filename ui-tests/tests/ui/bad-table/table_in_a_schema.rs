mod schema {
    diesel::table! {
        archive.note (id) {
            id -> Integer,
            body -> Text,
        }
    }
}

#[derive(hangar::Model)]
#[diesel(table_name = schema::note)]
pub struct Note {
    pub id: i32,
    pub body: String,
}

fn main() {}
