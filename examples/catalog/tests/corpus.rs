//! The real-schema corpus: every field type of the catalog (UUID and text
//! keys, instants, decimals, JSON, bytes) through every face of the REST
//! API (bodies, detail URLs, filters, ordering, cursors, includes, deletes
//! with dependents, OpenAPI, the browsable API, the app's own handler), with
//! the edges (upper-case UUIDs, offsets like +05:45, years before 1970 and
//! after 2038, leap days, `-0`, a 38-digit decimal, NaN, empty JSON, zero
//! bytes), on every backend, with each database session in the time zone
//! +05:45. No case may answer 5xx, and every backend gives the same status
//! and the same body, byte for byte.

use std::collections::BTreeMap;

use base64ct::{Base64, Encoding};
use hangar::auth::{create_superuser, NewSuperuser, User};
use hangar::db::Dialect;
use hangar_tests::backends::{backends, TestDb};
use rocket::http::{Accept, ContentType, Header};
use rocket::local::asynchronous::Client;
use serde_json::{json, Value};

const ZONE: &str = "+05:45";

const SUPPLIER: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";
const HAMMER: &str = "0c1f2e3d-4b5a-4978-8a9b-0c1d2e3f4a5b";
const SAW: &str = "f0e1d2c3-b4a5-4687-9a8b-7c6d5e4f3a2b";

/// One request of the corpus.
struct Case {
    name: String,
    method: &'static str,
    uri: String,
    body: Option<Value>,
    html: bool,
}

fn get(name: &str, uri: &str) -> Case {
    Case { name: name.to_owned(), method: "GET", uri: uri.to_owned(), body: None, html: false }
}

fn send(name: &str, method: &'static str, uri: &str, body: Value) -> Case {
    Case { name: name.to_owned(), method, uri: uri.to_owned(), body: Some(body), html: false }
}

fn product(id: &str, sku: &str, price: &Value) -> Value {
    json!({
        "id": id, "sku": sku, "name": format!("Product {sku}"), "price": price, "weight_kg": null,
        "status": "active", "attributes": {}, "image": null, "category_id": null, "supplier_id": null,
        "created_at": "2024-02-29T12:00:00Z", "available_from": null,
    })
}

/// The values each field type is sent with: (case name, field, value).
fn field_values() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("price plain", "price", json!("12.5")),
        ("price negative zero", "price", json!("-0")),
        ("price at its precision", "price", json!("9999999999.99")),
        ("price whole JSON number", "price", json!(12)),
        ("price fractional JSON number", "price", json!(12.5)),
        ("price too many places", "price", json!("12.345")),
        ("price too many digits", "price", json!("10000000000")),
        ("price exponent", "price", json!("1.5e3")),
        ("price exponent too big", "price", json!("1e10")),
        ("price NaN", "price", json!("NaN")),
        ("price infinity", "price", json!("Infinity")),
        ("price words", "price", json!("twelve")),
        ("price empty", "price", json!("")),
        ("price null", "price", Value::Null),
        ("weight three places", "weight_kg", json!("0.125")),
        ("weight null", "weight_kg", Value::Null),
        ("weight empty is null", "weight_kg", json!("")),
        ("created before 1970", "created_at", json!("1969-12-31T23:59:59.5-05:45")),
        ("created after 2038", "created_at", json!("2040-02-29T12:00:00+05:45")),
        ("created leap day UTC", "created_at", json!("2024-02-29T23:59:59.999999Z")),
        ("created without offset", "created_at", json!("2024-01-01T00:00:00")),
        ("created lower-case z", "created_at", json!("2024-01-01T00:00:00z")),
        ("created year 0", "created_at", json!("0000-01-01T00:00:00Z")),
        ("created year 10000", "created_at", json!("10000-01-01T00:00:00Z")),
        ("created not a date", "created_at", json!("yesterday")),
        ("created leap second", "created_at", json!("2016-12-31T23:59:60Z")),
        ("created a number", "created_at", json!(1_700_000_000)),
        ("available null", "available_from", Value::Null),
        ("attributes empty object", "attributes", json!({})),
        ("attributes keys out of order", "attributes", json!({"z": 1, "a": {"y": [1, 2.5, "x"], "b": null}})),
        ("attributes a string", "attributes", json!("just text")),
        ("attributes an array", "attributes", json!([1, {"b": 2, "a": 1}])),
        ("attributes unicode", "attributes", json!({"名前": "ü\u{1F6E9}", "\"quoted\"": "\\"})),
        ("attributes NUL", "attributes", json!({"a": "x\u{0}y"})),
        ("attributes null", "attributes", Value::Null),
        ("image zero bytes", "image", json!("")),
        ("image bytes", "image", json!(Base64::encode_string(&[0, 255, 7, 128]))),
        ("image not base64", "image", json!("!!not base64!!")),
        ("image a number", "image", json!(5)),
        ("image null", "image", Value::Null),
        ("supplier upper-case UUID", "supplier_id", json!(SUPPLIER.to_uppercase())),
        ("supplier UUID without hyphens", "supplier_id", json!(SUPPLIER.replace('-', ""))),
        ("supplier not a UUID", "supplier_id", json!("not-a-uuid")),
        ("supplier unknown UUID", "supplier_id", json!("00000000-0000-4000-8000-000000000000")),
        ("category text key", "category_id", json!("tools")),
        ("category other case", "category_id", json!("Tools")),
        ("category unknown", "category_id", json!("TOOLS")),
        ("status another choice", "status", json!("discontinued")),
        ("status not a choice", "status", json!("sold")),
        ("status in another case", "status", json!("Active")),
        ("status a number", "status", json!(1)),
    ]
}

/// The corpus, in order: later cases see what earlier ones wrote.
fn cases() -> Vec<Case> {
    let mut cases = vec![
        send("category tools", "POST", "/api/category/", json!({"slug": "tools", "name": "Tools", "parent_id": null})),
        send("category Tools differs by case", "POST", "/api/category/", json!({"slug": "Tools", "name": "Big tools"})),
        send("category duplicate", "POST", "/api/category/", json!({"slug": "tools", "name": "Again"})),
        send("category child", "POST", "/api/category/", json!({"slug": "saws", "name": "Saws", "parent_id": "tools"})),
        send(
            "supplier with every type",
            "POST",
            "/api/supplier/",
            json!({
                "id": SUPPLIER.to_uppercase(), "name": "Acme", "contact": {"phone": "+977 1", "email": "a@acme.test"},
                "account_number": "12345678901234567890123456789012345678", "created_at": "1969-07-20T20:17:40+05:45",
            }),
        ),
        send(
            "supplier 39-digit account",
            "POST",
            "/api/supplier/",
            json!({"id": "11111111-1111-4111-8111-111111111111", "name": "Big",
                   "account_number": "123456789012345678901234567890123456789", "created_at": "2024-01-01T00:00:00Z"}),
        ),
        send("defaults: supplier without a key", "POST", "/api/supplier/", json!({"name": "No key"})),
        send(
            "defaults: product with only what it needs",
            "POST",
            "/api/product/",
            json!({"sku": "D-1", "name": "Defaults", "price": "1"}),
        ),
        send("hammer", "POST", "/api/product/", {
            let mut p = product(HAMMER, "HAM-1", &json!("19.99"));
            p["category_id"] = json!("tools");
            p["supplier_id"] = json!(SUPPLIER);
            p["attributes"] = json!({"weight": {"unit": "g", "value": 500}, "colour": "red"});
            p["image"] = json!(Base64::encode_string(b"\x89PNG\r\n"));
            p["weight_kg"] = json!("0.5");
            p["available_from"] = json!("2038-01-19T03:14:08Z");
            p
        }),
        send("saw", "POST", "/api/product/", {
            let mut p = product(SAW, "SAW-1", &json!("100"));
            p["category_id"] = json!("saws");
            p["created_at"] = json!("1999-12-31T23:59:59+05:45");
            p
        }),
    ];
    for (i, (name, field, value)) in field_values().into_iter().enumerate() {
        let id = format!("aaaaaaaa-0000-4000-8000-{i:012}");
        let mut body = product(&id, &format!("V-{i}"), &json!("1.00"));
        body[field] = value;
        cases.push(send(name, "POST", "/api/product/", body));
    }
    let reads = [
        ("detail by key", format!("/api/product/{HAMMER}/")),
        ("detail by upper-case key", format!("/api/product/{}/", HAMMER.to_uppercase())),
        ("detail by a key that is not a UUID", "/api/product/not-a-uuid/".to_owned()),
        ("detail of no row", "/api/product/00000000-0000-4000-8000-000000000000/".to_owned()),
        ("detail by text key", "/api/category/tools/".to_owned()),
        ("detail by text key in the other case", "/api/category/Tools/".to_owned()),
        ("detail by text key no row", "/api/category/TOOLS/".to_owned()),
        ("supplier detail", format!("/api/supplier/{SUPPLIER}/")),
        ("list by price", "/api/product/?ordering=price,id&limit=100".to_owned()),
        ("list by price descending", "/api/product/?ordering=-price,id&limit=100".to_owned()),
        ("list by key", "/api/product/?ordering=id&limit=100".to_owned()),
        ("list by instant", "/api/product/?ordering=-created_at,id&limit=100".to_owned()),
        ("list by text key", "/api/category/?ordering=-slug".to_owned()),
        ("list by related text", "/api/product/?ordering=category__name,id&limit=100".to_owned()),
        ("price equals with another scale", "/api/product/?price=19.990".to_owned()),
        ("price equals", "/api/product/?price=19.99".to_owned()),
        ("price above", "/api/product/?price__gt=10&ordering=id".to_owned()),
        ("price at most", "/api/product/?price__lte=19.99&price__gte=1.5&ordering=id&limit=100".to_owned()),
        ("price between", "/api/product/?price__between=10,100&ordering=id".to_owned()),
        ("price in", "/api/product/?price__in=19.99,100.00&ordering=id".to_owned()),
        ("price beyond its scale", "/api/product/?price=1.001".to_owned()),
        ("price not a decimal", "/api/product/?price=cheap".to_owned()),
        ("price NaN", "/api/product/?price__gt=NaN".to_owned()),
        ("price like", "/api/product/?price__like=1%25".to_owned()),
        ("key equals upper case", format!("/api/product/?id={}", HAMMER.to_uppercase())),
        ("key in", format!("/api/product/?id__in={HAMMER},{SAW}&ordering=id")),
        ("key like", "/api/product/?id__like=0c1f%25".to_owned()),
        ("key ilike", "/api/product/?id__ilike=0C1F%25".to_owned()),
        ("key not a UUID", "/api/product/?id=12".to_owned()),
        ("key above", format!("/api/product/?id__gt={HAMMER}&ordering=id&limit=3")),
        ("foreign key UUID", format!("/api/product/?supplier_id={SUPPLIER}")),
        ("foreign key through relation", "/api/product/?supplier__name=Acme".to_owned()),
        ("foreign key relation key", format!("/api/product/?supplier__id={}", SUPPLIER.to_uppercase())),
        ("foreign key bad relation key", "/api/product/?supplier__id=nope".to_owned()),
        ("text foreign key", "/api/product/?category=tools".to_owned()),
        ("text foreign key in", "/api/product/?category_id__in=tools,saws&ordering=id".to_owned()),
        ("two hops", "/api/product/?category__parent__slug=tools".to_owned()),
        (
            "instant after with offset",
            "/api/product/?created_at__gt=2024-02-29T17:44:59%2B05:45&ordering=id&limit=100".to_owned(),
        ),
        ("instant before 1970 in UTC", "/api/product/?created_at__lt=1970-01-01T06:00:00Z&ordering=id".to_owned()),
        ("instant equals", "/api/product/?created_at=1999-12-31T23:59:59%2B05:45".to_owned()),
        (
            "instant between",
            "/api/product/?created_at__between=2024-01-01T00:00:00Z,2024-12-31T00:00:00Z&ordering=id&limit=100"
                .to_owned(),
        ),
        ("instant not a date", "/api/product/?created_at__gt=soon".to_owned()),
        ("status filter", "/api/product/?status=discontinued".to_owned()),
        ("status filter not a choice", "/api/product/?status=sold".to_owned()),
        ("status filter in", "/api/product/?status__in=draft,active&ordering=id&limit=1".to_owned()),
        ("JSON is null", "/api/supplier/?contact__is=null&ordering=id".to_owned()),
        ("JSON is not null", "/api/supplier/?contact__is=notnull".to_owned()),
        ("JSON equals", "/api/product/?attributes=%7B%7D".to_owned()),
        ("JSON like", "/api/product/?attributes__like=%25".to_owned()),
        ("bytes is not null", "/api/product/?image__is=notnull&ordering=id".to_owned()),
        ("bytes equals", "/api/product/?image=AA%3D%3D".to_owned()),
        ("bytes in", "/api/product/?image__in=AA%3D%3D".to_owned()),
        ("big decimal equals", "/api/supplier/?account_number=12345678901234567890123456789012345678".to_owned()),
        ("big decimal above", "/api/supplier/?account_number__gt=12345678901234567890123456789012345677".to_owned()),
        ("cursor by key", "/api/product/?ordering=id&limit=2&cursor=".to_owned()),
        ("cursor by price", "/api/product/?ordering=-price&limit=3&cursor=".to_owned()),
        ("price report", "/report/prices?above=19.98".to_owned()),
        ("price report bad", "/report/prices?above=x".to_owned()),
        ("price changes of a product", format!("/api/pricechange/?product={HAMMER}")),
    ];
    cases.extend(reads.iter().map(|(name, uri)| get(name, uri)));
    cases.extend([
        send(
            "price change",
            "POST",
            "/api/pricechange/",
            json!({"id": 1, "product_id": HAMMER, "old_price": "19.99", "new_price": "17.5", "changed_at": "2024-03-01T10:00:00-03:30"}),
        ),
        send("price change bad product", "POST", "/api/pricechange/", json!({"id": 2, "product_id": "nope", "old_price": "1", "new_price": "2", "changed_at": "2024-03-01T10:00:00Z"})),
        send("edit price", "PUT", &format!("/api/product/{HAMMER}/"), json!({"price": "17.5", "attributes": {"b": [], "a": ""}})),
        send("edit key in another case", "PUT", &format!("/api/product/{}/", HAMMER.to_uppercase()), json!({"name": "Hammer"})),
        send("edit bad JSON type", "PUT", &format!("/api/product/{HAMMER}/"), json!({"image": [1, 2]})),
        get("after edits", &format!("/api/product/{HAMMER}/")),
        get("price changes", "/api/pricechange/"),
        Case { name: "browsable list".into(), method: "GET", uri: "/api/product/?ordering=id&limit=3".into(), body: None, html: true },
        get("openapi", "/api/openapi.json"),
        send("delete a category with dependents", "DELETE", "/api/category/tools/", Value::Null),
        get("after the delete", "/api/product/?ordering=id&limit=100"),
        send("delete a product with dependents", "DELETE", &format!("/api/product/{}/", HAMMER.to_uppercase()), Value::Null),
        get("the product after its delete", &format!("/api/product/{HAMMER}/")),
        get("price changes after the delete", "/api/pricechange/"),
        get("categories after the delete", "/api/category/?ordering=slug"),
    ]);
    cases
}

/// The answers of one backend: case name to status and body.
type Answers = BTreeMap<String, (u16, String)>;

async fn run(dialect: Dialect) -> Answers {
    let test = TestDb::bare_in_zone(dialect, ZONE);
    test.db.migrate(&catalog::MIGRATIONS).expect("the catalog's migrations run");
    let admin = NewSuperuser { username: "admin".into(), email: None, password: "secret".into() };
    create_superuser::<User>(&mut test.conn(), &admin).expect("an admin");
    let figment =
        rocket::Config::figment().merge(("log_level", std::env::var("CORPUS_LOG").unwrap_or_else(|_| "off".into())));
    let client = Client::untracked(catalog::app_on(rocket::custom(figment), test.db.clone())).await.expect("launches");
    let basic = format!("Basic {}", Base64::encode_string(b"admin:secret"));
    let mut answers = Answers::new();
    let mut cursors: BTreeMap<String, String> = BTreeMap::new();
    for case in cases() {
        let mut uri = case.uri.clone();
        if uri.ends_with("cursor=") {
            // A cursor's second page, from the first page's link.
            let first = client.get(uri.clone()).header(Header::new("Authorization", basic.clone())).dispatch().await;
            let body: Value = first.into_json().await.unwrap_or_default();
            let next = body["meta"]["next"].as_str().unwrap_or_default().to_owned();
            cursors.insert(case.name.clone(), next.clone());
            uri = next;
        }
        let method = case.method.parse().expect("a method");
        let mut request = client.req(method, uri.clone()).header(Header::new("Authorization", basic.clone()));
        if case.html {
            request = request.header(Accept::HTML);
        }
        if let Some(body) = &case.body {
            request = request.header(ContentType::JSON).body(body.to_string());
        }
        let response = request.dispatch().await;
        let status = response.status();
        let mut body = response.into_string().await.unwrap_or_default();
        assert!(status.code < 500, "{dialect}: {} {uri} answered {status}: {body}", case.method);
        if case.name.starts_with("defaults:") {
            // What the database chose differs from one backend to the
            // next: checked, then the row goes, so later lists match.
            let id: Value = serde_json::from_str(&body).unwrap_or_default();
            let id = id["id"].as_str().unwrap_or_default().to_owned();
            body = chosen_by_the_database(dialect, &body);
            let gone = client
                .delete(format!("{uri}{id}/"))
                .header(Header::new("Authorization", basic.clone()))
                .dispatch()
                .await;
            assert_eq!(gone.status().code, 200, "{dialect}: the row the database keyed deletes by its key");
        }
        answers.insert(case.name, (status.code, body));
    }
    drop(cursors);
    answers
}

/// `body` with the key and the time the database chose, which differ from
/// one backend to the next, checked and replaced by placeholders.
fn chosen_by_the_database(dialect: Dialect, body: &str) -> String {
    let mut object: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{dialect}: JSON: {body}"));
    let id = object["id"].as_str().unwrap_or_default();
    let parsed = uuid::Uuid::try_parse(id).unwrap_or_else(|_| panic!("{dialect}: a UUID key: {body}"));
    assert_eq!(parsed.hyphenated().to_string(), id, "{dialect}: written hyphenated in lower case");
    object["id"] = json!("<made by the database>");
    let created = object["created_at"].as_str().unwrap_or_default();
    let at = chrono::DateTime::parse_from_rfc3339(created).unwrap_or_else(|_| panic!("{dialect}: an instant: {body}"));
    let off = (chrono::Utc::now() - at.with_timezone(&chrono::Utc)).num_seconds().abs();
    assert!(off < 600, "{dialect}: `created_at` {created} is now, in UTC, whatever the session's zone");
    assert!(created.ends_with('Z'), "{dialect}: {created}");
    object["created_at"] = json!("<now>");
    object.to_string()
}

/// `body` as JSON, for the assertions below.
fn json_of(answers: &Answers, case: &str) -> (u16, Value) {
    let (status, body) = answers.get(case).cloned().unwrap_or_else(|| panic!("no case `{case}`"));
    (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
}

#[rocket::async_test]
async fn every_type_answers_alike_on_every_backend() {
    // The process's own zone, too, is +05:45 (POSIX writes it west-positive);
    // this test is alone in its binary, so no other thread reads the
    // environment meanwhile.
    std::env::set_var("TZ", "<+0545>-05:45");
    let mut all: Vec<(Dialect, Answers)> = Vec::new();
    for dialect in backends() {
        all.push((dialect, run(dialect).await));
    }
    let (first, reference) = &all[0];
    check_answers(reference);
    if let Ok(path) = std::env::var("CATALOG_OPENAPI_OUT") {
        // For the CI's OpenAPI validator.
        std::fs::write(&path, &reference["openapi"].1).expect("the OpenAPI document is written");
    }
    eprintln!("catalog corpus: {} cases on each of {} backends", reference.len(), all.len());
    for (dialect, answers) in &all[1..] {
        let mut differences = Vec::new();
        for (name, answer) in reference {
            if answers.get(name) != Some(answer) {
                differences.push(format!("`{name}`:\n  {first}: {answer:?}\n  {dialect}: {:?}", answers.get(name)));
            }
        }
        assert!(differences.is_empty(), "{} cases differ:\n{}", differences.len(), differences.join("\n"));
    }
}

/// What the answers must say, whatever the backend.
fn check_answers(answers: &Answers) {
    let status = |case: &str| json_of(answers, case).0;
    let body = |case: &str| json_of(answers, case).1;
    let error = |case: &str| body(case)["error"].as_str().unwrap_or_default().to_owned();

    // Keys: upper case in, lower case out; text keys keep their case.
    assert_eq!(status("supplier with every type"), 201, "{:?}", body("supplier with every type"));
    let supplier = body("supplier with every type");
    assert_eq!(supplier["id"], SUPPLIER);
    assert_eq!(supplier["contact"], json!({"email": "a@acme.test", "phone": "+977 1"}));
    assert_eq!(supplier["account_number"], "12345678901234567890123456789012345678");
    assert_eq!(supplier["created_at"], "1969-07-20T14:32:40Z");
    assert_eq!(status("supplier 39-digit account"), 400);
    assert!(error("supplier 39-digit account").contains("account_number"), "{}", error("supplier 39-digit account"));
    assert_eq!(status("defaults: supplier without a key"), 201);
    assert_eq!(body("defaults: supplier without a key")["id"], "<made by the database>");
    let defaults = body("defaults: product with only what it needs");
    assert_eq!(defaults["status"], "draft");
    assert_eq!(defaults["attributes"], json!({}));
    assert_eq!(defaults["created_at"], "<now>");
    assert_eq!(status("category Tools differs by case"), 201);
    assert_eq!(status("category duplicate"), 409);

    // Decimals: strings, with the column's scale, never rounded.
    let price = |case: &str| body(case)["price"].clone();
    assert_eq!(price("price plain"), "12.50");
    assert_eq!(price("price negative zero"), "0.00");
    assert_eq!(price("price at its precision"), "9999999999.99");
    assert_eq!(price("price whole JSON number"), "12.00");
    assert_eq!(price("price exponent"), "1500.00");
    for refused in [
        "price fractional JSON number",
        "price too many places",
        "price too many digits",
        "price exponent too big",
        "price NaN",
        "price infinity",
        "price words",
        "price empty",
        "price null",
    ] {
        assert_eq!(status(refused), 400, "{refused}: {:?}", body(refused));
        assert!(error(refused).contains("price"), "{refused}: {}", error(refused));
    }
    assert_eq!(body("weight three places")["weight_kg"], "0.125");
    assert_eq!(body("weight empty is null")["weight_kg"], Value::Null);

    // Instants: any offset in, UTC with Z out.
    let created = |case: &str| body(case)["created_at"].clone();
    assert_eq!(created("created before 1970"), "1970-01-01T05:44:59.500Z");
    assert_eq!(created("created after 2038"), "2040-02-29T06:15:00Z");
    assert_eq!(created("created leap day UTC"), "2024-02-29T23:59:59.999999Z");
    assert_eq!(created("created without offset"), "2024-01-01T00:00:00Z");
    for refused in
        ["created year 0", "created year 10000", "created not a date", "created leap second", "created a number"]
    {
        assert_eq!(status(refused), 400, "{refused}: {:?}", body(refused));
        assert!(error(refused).contains("created_at"), "{refused}: {}", error(refused));
    }

    // JSON: any document, keys in order; NUL and null refused.
    assert_eq!(
        body("attributes keys out of order")["attributes"],
        json!({"a": {"b": null, "y": [1, 2.5, "x"]}, "z": 1})
    );
    let (_, raw) = answers.get("attributes keys out of order").cloned().unwrap_or_default();
    assert!(raw.contains(r#""attributes":{"a":{"b":null,"y":[1,2.5,"x"]},"z":1}"#), "{raw}");
    assert_eq!(body("attributes a string")["attributes"], "just text");
    assert_eq!(body("attributes empty object")["attributes"], json!({}));
    assert_eq!(status("attributes NUL"), 400);
    assert_eq!(status("attributes null"), 400);

    // Bytes: base64 both ways; zero bytes are not null.
    assert_eq!(body("image zero bytes")["image"], "");
    assert_eq!(body("image bytes")["image"], Base64::encode_string(&[0, 255, 7, 128]));
    assert_eq!(status("image not base64"), 400);
    assert_eq!(status("image a number"), 400);

    // Foreign keys of every key type.
    assert_eq!(body("supplier upper-case UUID")["supplier_id"], SUPPLIER);
    assert_eq!(body("supplier UUID without hyphens")["supplier_id"], SUPPLIER);
    assert_eq!(status("supplier not a UUID"), 400);
    assert!(error("supplier not a UUID").contains("supplier_id"), "{}", error("supplier not a UUID"));
    assert_eq!(status("category other case"), 201);
    assert_eq!(status("category unknown"), 400, "{:?}", body("category unknown"));

    // Choices: their values only, named in the refusal.
    assert_eq!(body("status another choice")["status"], "discontinued");
    for refused in ["status not a choice", "status in another case", "status a number"] {
        assert_eq!(status(refused), 400, "{refused}: {:?}", body(refused));
        assert!(error(refused).contains("status"), "{refused}: {}", error(refused));
    }
    assert!(error("status not a choice").contains("draft, active, discontinued"), "{}", error("status not a choice"));

    // Detail URLs.
    assert_eq!(status("detail by key"), 200);
    assert_eq!(body("detail by upper-case key")["id"], HAMMER);
    assert_eq!(status("detail by a key that is not a UUID"), 404);
    assert_eq!(status("detail of no row"), 404);
    assert_eq!(body("detail by text key")["name"], "Tools");
    assert_eq!(body("detail by text key in the other case")["name"], "Big tools");
    assert_eq!(status("detail by text key no row"), 404);

    // Filters and ordering.
    let skus = |case: &str| -> Vec<String> {
        body(case)["objects"].as_array().map_or_else(Vec::new, |objects| {
            objects.iter().map(|o| o["sku"].as_str().or(o["slug"].as_str()).unwrap_or_default().to_owned()).collect()
        })
    };
    assert_eq!(skus("price equals"), ["HAM-1"]);
    assert_eq!(skus("price equals with another scale"), ["HAM-1"], "19.990 is 19.99");
    assert_eq!(
        skus("price between"),
        ["HAM-1", "V-0", "V-3", "SAW-1"],
        "{:?} {:?} {:?}",
        body("price between"),
        skus("price above"),
        skus("price at most")
    );
    let by_price = skus("list by price");
    assert!(by_price.iter().position(|s| s == "HAM-1") < by_price.iter().position(|s| s == "SAW-1"), "{by_price:?}");
    assert_eq!(by_price.last().map(String::as_str), Some("V-2"), "9999999999.99 is dearest: {by_price:?}");
    assert_eq!(skus("status filter"), ["V-47"]);
    assert_eq!(status("status filter not a choice"), 400);
    assert_eq!(skus("key equals upper case"), ["HAM-1"]);
    assert_eq!(skus("key like"), ["HAM-1"]);
    assert_eq!(skus("key ilike"), ["HAM-1"]);
    assert_eq!(status("key not a UUID"), 400);
    assert_eq!(skus("foreign key through relation"), ["HAM-1", "V-40", "V-41"]);
    assert_eq!(skus("foreign key relation key"), ["HAM-1", "V-40", "V-41"]);
    assert_eq!(status("foreign key bad relation key"), 400);
    assert_eq!(skus("two hops"), ["SAW-1"]);
    assert_eq!(skus("instant before 1970 in UTC"), ["V-17"]);
    assert_eq!(skus("instant equals"), ["SAW-1"]);
    for refused in [
        "price beyond its scale",
        "price not a decimal",
        "price NaN",
        "price like",
        "instant not a date",
        "JSON equals",
        "JSON like",
        "bytes equals",
        "bytes in",
    ] {
        assert_eq!(status(refused), 400, "{refused}: {:?}", body(refused));
    }
    assert!(error("JSON equals").contains("is=null"), "{}", error("JSON equals"));
    assert_eq!(body("big decimal equals")["objects"][0]["name"], "Acme");
    assert_eq!(body("big decimal above")["objects"][0]["name"], "Acme");
    assert_eq!(status("cursor by key"), 200);
    assert_eq!(status("cursor by price"), 200);
    assert_eq!(
        body("price report")["products"],
        json!([["V-2", "9999999999.99"], ["V-7", "1500.00"], ["SAW-1", "100.00"], ["HAM-1", "19.99"]])
    );
    assert_eq!(status("price report bad"), 400);

    // Writes and deletes.
    assert_eq!(status("price change"), 201, "{:?}", body("price change"));
    assert_eq!(body("price change")["changed_at"], "2024-03-01T13:30:00Z");
    assert_eq!(body("price change")["new_price"], "17.50");
    assert_eq!(status("price change bad product"), 400);
    assert_eq!(body("after edits")["price"], "17.50");
    assert_eq!(body("after edits")["name"], "Hammer");
    assert_eq!(body("after edits")["attributes"], json!({"a": "", "b": []}));
    assert_eq!(status("edit bad JSON type"), 400);
    assert_eq!(status("delete a category with dependents"), 200, "{:?}", body("delete a category with dependents"));
    let after = body("after the delete");
    let objects = after["objects"].as_array().cloned().unwrap_or_default();
    let hammer = objects.iter().find(|o| o["sku"] == "HAM-1").cloned().unwrap_or_default();
    assert_eq!(hammer["category_id"], Value::Null, "a nullable foreign key is cleared: {hammer}");
    assert_eq!(
        body("categories after the delete")["objects"],
        json!([
            {"slug": "Tools", "name": "Big tools", "parent_id": null},
            {"slug": "saws", "name": "Saws", "parent_id": null},
        ])
    );
    assert_eq!(status("delete a product with dependents"), 200, "{:?}", body("delete a product with dependents"));
    assert_eq!(status("the product after its delete"), 404);
    assert_eq!(body("price changes after the delete")["objects"], json!([]), "its price changes went with it");

    // OpenAPI says what the JSON holds.
    let document = body("openapi");
    let product = &document["components"]["schemas"]["Product"]["properties"];
    assert_eq!(product["id"]["format"], "uuid");
    assert_eq!(product["price"]["format"], "decimal");
    assert_eq!(product["created_at"]["format"], "date-time");
    assert_eq!(product["image"]["contentEncoding"], "base64");
    assert_eq!(status("browsable list"), 200);
}
