//! SQLite keeps decimals as text; every connection hangar opens compares
//! them by value through the `hangar_decimal` collation. This pins its
//! direction: Diesel hands a collation its strings right side first, which
//! hangar's registration undoes.

use diesel::prelude::*;
use diesel::sql_types::Bool;

#[derive(QueryableByName, Debug)]
struct Answer {
    #[diesel(sql_type = Bool)]
    holds: bool,
}

#[test]
fn sqlite_compares_decimal_text_by_value() {
    let db = hangar::db::Database::connect("sqlite::memory:").expect("SQLite opens");
    let mut conn = db.get().expect("a connection");
    let cases = [
        ("'9' COLLATE hangar_decimal < '10'", true),
        ("'1.00' COLLATE hangar_decimal > '10.00'", false),
        ("'19.99' COLLATE hangar_decimal BETWEEN '10.00' AND '100.00'", true),
        ("'19.990' COLLATE hangar_decimal = '19.99'", true),
        ("'-0' COLLATE hangar_decimal = '0.00'", true),
        ("'-1' COLLATE hangar_decimal < '-0.5'", true),
        (
            "'12345678901234567890123456789012345678' COLLATE hangar_decimal > '12345678901234567890123456789012345677'",
            true,
        ),
        ("'9' < '10'", false),
    ];
    for (test, expected) in cases {
        let answer = diesel::sql_query(format!("SELECT ({test}) AS holds"))
            .load::<Answer>(&mut *conn)
            .map(|rows| rows.first().is_some_and(|a| a.holds));
        assert_eq!(answer.ok(), Some(expected), "{test}");
    }
}
