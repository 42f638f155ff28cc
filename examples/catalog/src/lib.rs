//! A shop's catalog on the schema a production PostgreSQL app has: UUID
//! keys the database makes, a text key, instants with time zones, exact
//! prices, JSON attributes, images and a status kept as text, with
//! nullable foreign keys. One binary serves it on SQLite, PostgreSQL and
//! MariaDB, each with its own migration; the admin is at `/admin/` and the
//! REST API at `/api/`.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_migrations::embed_migrations;
use hangar::admin::Admin;
use hangar::auth::{Auth, User};
use hangar::db::{Database, Migrations};
use hangar::rest::{authn::UserAuthentication, RestApi};
use rocket::{Build, Rocket};
use uuid::Uuid;

pub mod report;

pub mod schema {
    //! The tables, with Diesel's own SQL types: the same `table!` serves
    //! every backend, since hangar reads and binds these types itself.
    diesel::table! {
        category (slug) {
            slug -> Text,
            name -> Text,
            parent_id -> Nullable<Text>,
        }
    }

    diesel::table! {
        supplier (id) {
            id -> Uuid,
            name -> Text,
            contact -> Nullable<Jsonb>,
            account_number -> Nullable<Numeric>,
            created_at -> Timestamptz,
        }
    }

    diesel::table! {
        product (id) {
            id -> Uuid,
            sku -> Text,
            name -> Text,
            price -> Numeric,
            weight_kg -> Nullable<Numeric>,
            status -> Text,
            attributes -> Jsonb,
            image -> Nullable<Binary>,
            category_id -> Nullable<Text>,
            supplier_id -> Nullable<Uuid>,
            created_at -> Timestamptz,
            available_from -> Nullable<Timestamptz>,
        }
    }

    diesel::table! {
        price_change (id) {
            id -> BigInt,
            product_id -> Uuid,
            old_price -> Numeric,
            new_price -> Numeric,
            changed_at -> Timestamptz,
        }
    }

    diesel::joinable!(product -> category (category_id));
    diesel::joinable!(product -> supplier (supplier_id));
    diesel::joinable!(price_change -> product (product_id));
    diesel::allow_tables_to_appear_in_same_query!(category, supplier, product, price_change);
}

use schema::{category, price_change, product, supplier};

/// A category, keyed by its slug, inside another or at the top.
#[derive(Debug, Clone, Queryable, Selectable, hangar::Model, hangar::RestResource, hangar::AdminModel)]
#[diesel(table_name = category, primary_key(slug))]
#[model(verbose_name_plural = "Categories", display = name)]
#[admin(columns(slug, name, parent), search_fields(slug, name))]
pub struct Category {
    #[model(max_length = 100, not_blank)]
    pub slug: String,
    #[model(not_blank)]
    pub name: String,
    #[model(references = Category)]
    pub parent_id: Option<String>,
}

/// Who makes products, keyed by a UUID the database makes.
#[derive(Debug, Clone, Queryable, Selectable, hangar::Model, hangar::RestResource, hangar::AdminModel)]
#[diesel(table_name = supplier)]
#[model(display = name)]
#[admin(columns(name, contact, account_number, created_at), search_fields(name))]
pub struct Supplier {
    #[model(db_default)]
    pub id: Uuid,
    #[model(not_blank)]
    pub name: String,
    /// How to reach them, as the supplier gives it.
    pub contact: Option<serde_json::Value>,
    /// Their account with us: up to 38 digits, as banks issue them.
    #[model(max_digits = 38, decimal_places = 0)]
    pub account_number: Option<BigDecimal>,
    #[model(db_default)]
    pub created_at: DateTime<Utc>,
}

/// Where a product is in its life, stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, hangar::Choice)]
pub enum Status {
    /// Not yet for sale: the default.
    Draft,
    /// For sale.
    #[choice(label = "On sale")]
    Active,
    /// No longer made.
    Discontinued,
}

/// A product: a UUID key, an exact price, JSON attributes, an image.
#[derive(Debug, Clone, Queryable, Selectable, hangar::Model, hangar::RestResource, hangar::AdminModel)]
#[diesel(table_name = product)]
#[model(display = name)]
#[rest(include(category = Category, supplier = Supplier))]
#[admin(
    columns(sku, name, price, status, category, image, created_at),
    search_fields(sku, name),
    ordering("-created_at")
)]
pub struct Product {
    #[model(db_default)]
    pub id: Uuid,
    #[model(max_length = 32, not_blank)]
    pub sku: String,
    #[model(max_length = 200, not_blank)]
    pub name: String,
    #[model(max_digits = 12, decimal_places = 2)]
    pub price: BigDecimal,
    #[model(max_digits = 8, decimal_places = 3)]
    pub weight_kg: Option<BigDecimal>,
    #[model(choices, db_default)]
    pub status: Status,
    #[model(db_default)]
    pub attributes: serde_json::Value,
    pub image: Option<Vec<u8>>,
    #[model(references = Category)]
    pub category_id: Option<String>,
    #[model(references = Supplier)]
    pub supplier_id: Option<Uuid>,
    #[model(db_default)]
    pub created_at: DateTime<Utc>,
    pub available_from: Option<DateTime<Utc>>,
}

/// A change of a product's price: an integer key, a UUID foreign key.
#[derive(Debug, Clone, Queryable, Selectable, hangar::Model, hangar::RestResource, hangar::AdminModel)]
#[diesel(table_name = price_change)]
#[admin(columns(product, old_price, new_price, changed_at), ordering("-changed_at"))]
pub struct PriceChange {
    pub id: i64,
    #[model(references = Product)]
    pub product_id: Uuid,
    #[model(max_digits = 12, decimal_places = 2)]
    pub old_price: BigDecimal,
    #[model(max_digits = 12, decimal_places = 2)]
    pub new_price: BigDecimal,
    #[model(db_default)]
    pub changed_at: DateTime<Utc>,
}

static HANGAR_MIGRATIONS: Migrations = hangar::admin::MIGRATIONS.after(&hangar::auth::MIGRATIONS);

/// hangar's users and audit log, then the catalog, on every backend.
pub static MIGRATIONS: Migrations = Migrations::new()
    .after(&HANGAR_MIGRATIONS)
    .sqlite(embed_migrations!("migrations/sqlite"))
    .postgres(embed_migrations!("migrations/postgres"))
    .mysql(embed_migrations!("migrations/mysql"));

/// The app on `sqlite://catalog.db` unless `DATABASE_URL` or
/// `database_url` says otherwise.
pub fn rocket() -> Rocket<Build> {
    app(rocket::build())
}

/// The database, login, admin, API and the price report, mounted on `base`.
pub fn app(base: Rocket<Build>) -> Rocket<Build> {
    mount(base.attach(Database::fairing().default_url("sqlite://catalog.db").migrations(&MIGRATIONS)))
}

/// The app on a database already connected and migrated, such as a test's.
pub fn app_on(base: Rocket<Build>, db: Database) -> Rocket<Build> {
    mount(base.manage(db))
}

fn mount(base: Rocket<Build>) -> Rocket<Build> {
    let base = Auth::<User>::new().mount(base);
    let base = Admin::<User>::new()
        .register::<Category>()
        .register::<Supplier>()
        .register::<Product>()
        .register::<PriceChange>()
        .register::<User>()
        .mount(base);
    let base = RestApi::new("/api")
        .default_auth(UserAuthentication::<User>::new())
        .register::<Category>()
        .register::<Supplier>()
        .register::<Product>()
        .register::<PriceChange>()
        .mount(base);
    base.mount("/", rocket::routes![report::prices])
}
