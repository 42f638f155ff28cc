//! Every supported field type and every way to declare a relation.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use hangar::model::SqlKind;
use hangar::Model;

mod schema {
    diesel::table! {
        accounts (code) {
            code -> BigInt,
            handle -> Text,
        }
    }

    diesel::table! {
        everything (id) {
            id -> Integer,
            small -> SmallInt,
            big -> BigInt,
            ratio -> Float,
            score -> Double,
            flag -> Bool,
            day -> Date,
            at -> Time,
            stamp -> Timestamp,
            label_text -> Text,
            maybe -> Nullable<Integer>,
            owner_code -> BigInt,
            sender_code -> BigInt,
            recipient_code -> Nullable<BigInt>,
        }
    }
}

#[derive(diesel::Queryable, diesel::Selectable, hangar::Model)]
#[diesel(table_name = schema::accounts, primary_key(code))]
pub struct Account {
    pub code: i64,
    pub handle: String,
}

#[derive(diesel::Queryable, diesel::Selectable, diesel::Associations, hangar::Model, hangar::AdminModel)]
#[diesel(table_name = schema::everything, belongs_to(Account, foreign_key = owner_code))]
#[model(verbose_name = "Kitchen sink", verbose_name_plural = "Kitchen sinks")]
#[admin(
    columns(label, sender_code__handle, recipient_code__handle, method = shout),
    search_fields(label, owner_code__handle),
    filter_fields(small, stamp, owner_code__handle),
    foreign_key_lookups(owner_code = handle),
    fieldsets("Numbers" = (small, big, ratio, score), "Text" = (label)),
    readonly_fields(stamp),
    ordering("-stamp", "label"),
    paginate_by = 50,
    export_exclude(score)
)]
pub struct Everything {
    pub id: i32,
    pub small: i16,
    pub big: i64,
    pub ratio: f32,
    pub score: f64,
    pub flag: bool,
    pub day: NaiveDate,
    pub at: NaiveTime,
    pub stamp: NaiveDateTime,
    #[diesel(column_name = label_text)]
    #[model(verbose_name = "Label")]
    #[admin(label = "Name", help_text = "What it is called", widget = textarea)]
    pub label: String,
    pub maybe: Option<i32>,
    pub owner_code: i64,
    #[model(references = Account)]
    pub sender_code: i64,
    #[model(references = Account)]
    pub recipient_code: Option<i64>,
}

impl Everything {
    fn shout(&self) -> String {
        self.label.to_uppercase()
    }
}

fn main() {
    use hangar::admin::AdminModel as _;
    let admin = Everything::admin();
    assert_eq!(admin.search_fields, ["label", "owner_code__handle"]);
    assert_eq!((admin.paginate_by, admin.ordering), (50, &["-stamp", "label"][..]));
    assert_eq!(admin.options("label").and_then(|o| o.label), Some("Name"));
    let meta = Everything::meta();
    assert_eq!((meta.name, meta.slug, meta.table), ("Everything", "everything", "everything"));
    assert_eq!((meta.verbose_name, meta.verbose_name_plural), ("Kitchen sink", "Kitchen sinks"));
    assert_eq!(meta.primary_key.name, "id");
    let label = meta.field("label").expect("label is a field");
    assert_eq!((label.column, label.kind, label.verbose_name), ("label_text", SqlKind::Text, "Label"));
    assert!(meta.field("maybe").is_some_and(|f| f.nullable && f.kind == SqlKind::Integer));
    let relations: Vec<_> = meta.relations.iter().map(|r| (r.name, r.field, r.target.name, r.nullable)).collect();
    assert_eq!(
        relations,
        [
            ("owner_code", "owner_code", "Account", false),
            ("sender_code", "sender_code", "Account", false),
            ("recipient_code", "recipient_code", "Account", true),
        ]
    );
    assert_eq!(Account::meta().primary_key.name, "code");
    assert!(meta.field("label").is_some() && meta.field("label_text").is_none());
    assert_eq!((meta.table, Account::meta().table), ("everything", "accounts"));
}
