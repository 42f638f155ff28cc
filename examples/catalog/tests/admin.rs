//! The catalog's admin on every field type hangar reads: instants shown
//! and read in UTC, decimals stepped by their scale, JSON pretty and
//! checked, bytes uploaded and downloaded but never drawn into a page,
//! choices by their labels; the list's cells, quick filters and sorting;
//! CSV and JSON exports in the REST API's text forms; edit, delete,
//! history and picker URLs with UUID keys and a text key with spaces,
//! slashes, `%`, `?`, `#` and non-ASCII letters; dependents and recursive
//! deletes; the audit log's before and after. Every case runs on every
//! backend, each database session in the zone +05:45, and bad input
//! answers a form error naming its field, or a 4xx, never a 5xx.

use std::str::FromStr;

use base64ct::{Base64, Encoding};
use bigdecimal::BigDecimal;
use hangar::auth::{create_superuser, NewSuperuser, User};
use hangar::db::Dialect;
use hangar::forms::encode_component;
use hangar_tests::backends::{backends, TestDb};
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use serde_json::{json, Value};

const ZONE: &str = "+05:45";
const ACME: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";
const HAMMER: &str = "0c1f2e3d-4b5a-4978-8a9b-0c1d2e3f4a5b";
const SAW: &str = "f0e1d2c3-b4a5-4687-9a8b-7c6d5e4f3a2b";
/// A text key a URL must encode: a space, a slash, `%`, `?`, `#`, and
/// letters outside ASCII.
const ODD_SLUG: &str = "hand tools/50% off?#Ünïcödé";
/// The hammer's image: a PNG's signature, a NUL and `</textarea>`, which
/// must never reach a page.
const IMAGE: &[u8] = b"\x89PNG\r\n\x1a\n\x00</textarea><script>";
const BOUNDARY: &str = "hangar-test-7MA4YWxkTrZu0gW";

/// The catalog on a fresh database, with an admin logged in.
struct Site {
    client: Client,
    basic: String,
    dialect: Dialect,
    _db: TestDb,
}

impl Site {
    async fn start(dialect: Dialect) -> Site {
        let test = TestDb::bare_in_zone(dialect, ZONE);
        test.db.migrate(&catalog::MIGRATIONS).expect("the catalog's migrations run");
        let admin = NewSuperuser { username: "admin".into(), email: None, password: "secret".into() };
        create_superuser::<User>(&mut test.conn(), &admin).expect("an admin");
        let level = std::env::var("ADMIN_TEST_LOG").unwrap_or_else(|_| "off".into());
        let figment = rocket::Config::figment().merge(("log_level", level));
        let client =
            Client::tracked(catalog::app_on(rocket::custom(figment), test.db.clone())).await.expect("launches");
        let site =
            Site { client, basic: format!("Basic {}", Base64::encode_string(b"admin:secret")), dialect, _db: test };
        let login = site.client.get("/accounts/login/").dispatch().await.into_string().await.unwrap_or_default();
        let token = token_in(&login);
        let body = format!("csrf_token={token}&username=admin&password=secret");
        let status =
            site.client.post("/accounts/login/").header(ContentType::Form).body(body).dispatch().await.status();
        assert_eq!(status, Status::SeeOther, "{dialect}: the admin logs in");
        site
    }

    /// A write through the REST API, which must succeed.
    async fn api(&self, method: &str, uri: &str, body: Value) -> Value {
        let request = self.client.req(method.parse().expect("a method"), uri.to_owned());
        let response = request
            .header(Header::new("Authorization", self.basic.clone()))
            .header(ContentType::JSON)
            .body(body.to_string())
            .dispatch()
            .await;
        let status = response.status();
        let text = response.into_string().await.unwrap_or_default();
        assert!(status.code < 300, "{}: {method} {uri} answered {status}: {text}", self.dialect);
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// An object as the REST API reads it.
    async fn read(&self, uri: &str) -> Value {
        let response =
            self.client.get(uri.to_owned()).header(Header::new("Authorization", self.basic.clone())).dispatch().await;
        response.into_json().await.unwrap_or(Value::Null)
    }

    /// A page: its status and HTML. No page may answer 5xx.
    async fn page(&self, uri: &str) -> (Status, String) {
        let response = self.client.get(uri.to_owned()).dispatch().await;
        let status = response.status();
        let body = response.into_string().await.unwrap_or_default();
        assert!(status.code < 500, "{}: GET {uri} answered {status}: {body}", self.dialect);
        (status, body)
    }

    /// The HTML of a page that must answer 200.
    async fn html(&self, uri: &str) -> String {
        let (status, body) = self.page(uri).await;
        assert_eq!(status, Status::Ok, "{}: GET {uri}: {body}", self.dialect);
        body
    }

    /// The session's CSRF token, from a page of the admin.
    async fn token(&self) -> String {
        token_in(&self.html("/admin/").await)
    }

    /// Posts a urlencoded form with the session's token.
    async fn post(&self, uri: &str, fields: &[(&str, &str)]) -> LocalResponse<'_> {
        let token = self.token().await;
        let mut pairs = vec![("csrf_token", token.as_str())];
        pairs.extend_from_slice(fields);
        let body = hangar::forms::query_string(pairs);
        let response = self.client.post(uri.to_owned()).header(ContentType::Form).body(body).dispatch().await;
        if response.status().code >= 500 {
            let status = response.status();
            panic!("{}: POST {uri} answered {status}: {:?}", self.dialect, response.into_string().await);
        }
        response
    }

    /// Posts a `multipart/form-data` form with the session's token:
    /// `files` are `(field, file name, bytes)`.
    async fn upload(&self, uri: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> LocalResponse<'_> {
        let token = self.token().await;
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        let response =
            self.client.post(uri.to_owned()).header(multipart_type()).body(multipart(&all, files)).dispatch().await;
        if response.status().code >= 500 {
            let status = response.status();
            panic!("{}: POST {uri} answered {status}: {:?}", self.dialect, response.into_string().await);
        }
        response
    }

    /// Seeds two categories (one with the odd key, a child of `tools`), a
    /// supplier, the hammer (with an image, JSON, a fraction of a second)
    /// and the saw, and two price changes of the hammer.
    async fn seed(&self) {
        self.api("POST", "/api/category/", json!({"slug": "tools", "name": "Tools"})).await;
        self.api("POST", "/api/category/", json!({"slug": ODD_SLUG, "name": "Odd", "parent_id": "tools"})).await;
        let contact = json!({"phone": "+977 1", "email": "a@acme.test", "note": "x".repeat(80)});
        let supplier = json!({"id": ACME, "name": "Acme", "contact": contact,
                              "account_number": "12345678901234567890123456789012345678",
                              "created_at": "1969-07-20T20:17:40+05:45"});
        self.api("POST", "/api/supplier/", supplier).await;
        let hammer = json!({
            "id": HAMMER, "sku": "HAM-1", "name": "Hammer", "price": "19.99", "weight_kg": null,
            "status": "active", "attributes": {"z": 1, "a": [1, "<b>"]}, "image": Base64::encode_string(IMAGE),
            "category_id": "tools", "supplier_id": ACME, "created_at": "2024-02-29T12:00:00.5+05:45",
            "available_from": null,
        });
        self.api("POST", "/api/product/", hammer).await;
        let saw = json!({
            "id": SAW, "sku": "SAW-1", "name": "Saw", "price": "100", "weight_kg": "2.500", "status": "draft",
            "attributes": {}, "image": null, "category_id": ODD_SLUG, "supplier_id": null,
            "created_at": "1999-12-31T23:59:59Z", "available_from": "2038-01-19T03:14:08Z",
        });
        self.api("POST", "/api/product/", saw).await;
        for (id, old, new) in [(1, "19.99", "17.50"), (2, "17.50", "19.99")] {
            let change = json!({"id": id, "product_id": HAMMER, "old_price": old, "new_price": new,
                                "changed_at": "2024-03-01T10:00:00Z"});
            self.api("POST", "/api/pricechange/", change).await;
        }
    }
}

fn token_in(page: &str) -> String {
    page.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_owned()
}

fn multipart_type() -> ContentType {
    ContentType::new("multipart", "form-data").with_params(("boundary", BOUNDARY))
}

/// A `multipart/form-data` body as a browser writes it.
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    for (name, filename, bytes) in files {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").bytes());
    body
}

/// The product form's fields as a browser sends them, with `changes`
/// applied (an empty value for a field it leaves out).
fn product_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("sku", "HAM-1"),
        ("name", "Hammer"),
        ("price", "19.99"),
        ("weight_kg", ""),
        ("status", "active"),
        ("attributes", "{\n  \"a\": [1, \"<b>\"],\n  \"z\": 1\n}"),
        ("category_id", "tools"),
        ("supplier_id", ACME),
        ("created_at", "2024-02-29T06:15:00"),
        ("available_from", ""),
        ("_save", "1"),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

/// `url` as a page's attribute writes it.
fn attr(url: &str) -> String {
    url.replace('&', "&amp;").replace('=', "&#x3D;")
}

fn location(response: &LocalResponse<'_>) -> String {
    response.headers().get_one("Location").unwrap_or_default().to_owned()
}

fn decimal(value: &Value) -> BigDecimal {
    BigDecimal::from_str(value.as_str().unwrap_or_default()).unwrap_or_default()
}

/// The first `<tag ... id="id_<field>" ...>` of a page, up to its `>`.
fn element<'a>(page: &'a str, field: &str) -> &'a str {
    let id = format!("id=\"id_{field}\"");
    let at = page.find(&id).unwrap_or_else(|| panic!("no element {id} in {page}"));
    let start = page[..at].rfind('<').unwrap_or(0);
    let end = page[at..].find('>').map_or(page.len(), |e| at + e + 1);
    &page[start..end]
}

/// Every test, on every backend.
async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Site) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for dialect in backends() {
        let site = Site::start(dialect).await;
        site.seed().await;
        test(site).await;
    }
}

#[rocket::async_test]
async fn the_product_form_has_a_typed_widget_for_every_field() {
    each_backend(|site| async move {
        let d = site.dialect;
        let page = site.html(&format!("/admin/product/{HAMMER}/")).await;
        assert!(page.contains("enctype=\"multipart/form-data\""), "{d}: a form with a file input");
        // An instant: datetime-local, in UTC, to the second, labelled so.
        let created = element(&page, "created_at");
        assert!(
            created.contains("type=\"datetime-local\"") && created.contains("value=\"2024-02-29T06:15:00\""),
            "{d}: {created}"
        );
        assert!(created.contains("step=\"1\""), "{d}: {created}");
        assert!(page.contains("<label for=\"id_created_at\">Created At (UTC)"), "{d}: labelled UTC");
        // Decimals: number inputs stepped by their scale.
        let price = element(&page, "price");
        assert!(price.contains("type=\"number\"") && price.contains("step=\"0.01\""), "{d}: {price}");
        assert!(price.contains("value=\"19.99\""), "{d}: {price}");
        assert!(element(&page, "weight_kg").contains("step=\"0.001\""), "{d}");
        // JSON: a textarea, pretty-printed, its keys in order, escaped.
        let pretty = "{\n  &quot;a&quot;: [\n    1,\n    &quot;&lt;b&gt;&quot;\n  ],\n  &quot;z&quot;: 1\n}</textarea>";
        assert!(element(&page, "attributes").starts_with("<textarea"), "{d}");
        assert!(page.contains(pretty), "{d}: pretty JSON in {page}");
        // Bytes: a size and a download link, a file input and a Clear box;
        // never the bytes themselves.
        let download = format!("/admin/product/{HAMMER}/download/image/");
        assert!(page.contains(&format!("Current file: <a href=\"{download}\" download>28 bytes</a>")), "{d}: {page}");
        assert!(element(&page, "image").contains("type=\"file\""), "{d}");
        assert!(element(&page, "image-clear").contains("type=\"checkbox\""), "{d}");
        assert!(
            !page.contains(&Base64::encode_string(IMAGE)) && !page.contains("<script>"),
            "{d}: no bytes in the page"
        );
        // A choice: a select of labels, the current one chosen.
        let status = &page[page.find("id=\"id_status\"").unwrap_or(0)..];
        let status = &status[..status.find("</select>").unwrap_or(0)];
        for option in
            ["value=\"draft\">Draft", "value=\"active\" selected>On sale", "value=\"discontinued\">Discontinued"]
        {
            assert!(status.contains(option), "{d}: {option} in {status}");
        }
        assert!(!status.contains("value=\"\""), "{d}: a required choice has no empty option when set");
        // Foreign keys with UUID and text keys: selects of the few rows.
        let supplier = &page[page.find("id=\"id_supplier_id\"").unwrap_or(0)..];
        assert!(supplier.contains(&format!("value=\"{ACME}\" selected>Acme")), "{d}: {supplier}");
        let category = &page[page.find("id=\"id_category_id\"").unwrap_or(0)..];
        assert!(category.contains("value=\"tools\" selected>Tools"), "{d}");
        assert!(category.contains("value=\"hand tools/50% off?#Ünïcödé\">Odd"), "{d}");

        // The add form: fields the database fills may stay empty.
        let add = site.html("/admin/product/add/").await;
        assert!(!element(&add, "created_at").contains("required"), "{d}: the database fills created_at");
        assert!(add.contains("<option value=\"\" selected>— (the default)</option>"), "{d}: the status's default");
        assert!(add.contains("No file"), "{d}");
        assert!(!add.contains("id=\"id_image-clear\""), "{d}: nothing to clear");
        // The supplier form: a 38-digit decimal steps by whole numbers.
        let supplier = site.html(&format!("/admin/supplier/{ACME}/")).await;
        let account = element(&supplier, "account_number");
        assert!(account.contains("step=\"1\"") && account.contains("12345678901234567890123456789012345678"), "{d}");
    })
    .await;
}

#[rocket::async_test]
async fn an_edit_saves_every_typed_value_and_the_bytes_download() {
    each_backend(|site| async move {
        let d = site.dialect;
        let url = format!("/admin/product/{HAMMER}/");
        let changes = [
            ("price", "25.5"),
            ("weight_kg", "1.250"),
            ("status", "discontinued"),
            ("attributes", "{\"b\": {\"y\": 2, \"x\": null}}"),
            ("created_at", "2024-03-01T10:00"),
            ("available_from", "2030-01-01T00:00:30"),
        ];
        let new_image: &[u8] = &[0, 1, 2, 255, b'\r', b'\n', b'-', b'-'];
        let saved = site.upload(&url, &product_fields(&changes), &[("image", "new.bin", new_image)]).await;
        assert_eq!(saved.status(), Status::SeeOther, "{d}: {:?}", saved.into_string().await);
        assert_eq!(location(&saved), "/admin/product/");
        drop(saved);
        let object = site.read(&format!("/api/product/{HAMMER}/")).await;
        assert_eq!(decimal(&object["price"]), BigDecimal::from_str("25.50").unwrap_or_default(), "{d}: {object}");
        assert_eq!(decimal(&object["weight_kg"]), BigDecimal::from_str("1.25").unwrap_or_default(), "{d}");
        assert_eq!(object["status"], "discontinued");
        assert_eq!(object["attributes"], json!({"b": {"x": null, "y": 2}}));
        assert_eq!(object["created_at"], "2024-03-01T10:00:00Z", "{d}: read in UTC, whatever the session's zone");
        assert_eq!(object["available_from"], "2030-01-01T00:00:30Z");
        assert_eq!(object["image"], Base64::encode_string(new_image), "{d}");

        // The download: the bytes, as an attachment, behind the admin's door.
        let download = format!("/admin/product/{HAMMER}/download/image/");
        let response = site.client.get(download.clone()).dispatch().await;
        assert_eq!(response.status(), Status::Ok);
        assert_eq!(response.content_type(), Some(ContentType::Binary));
        let disposition = response.headers().get_one("Content-Disposition").unwrap_or_default().to_owned();
        assert_eq!(disposition, format!("attachment; filename=\"product-image-{HAMMER}.bin\""));
        assert_eq!(response.headers().get_one("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(response.into_bytes().await.unwrap_or_default(), new_image, "{d}");
        let upper = format!("/admin/product/{}/download/image/", HAMMER.to_uppercase());
        assert_eq!(site.page(&upper).await.0, Status::Ok, "{d}: any case of a UUID");
        for missing in [
            format!("/admin/product/{SAW}/download/image/"),
            format!("/admin/product/{HAMMER}/download/name/"),
            format!("/admin/product/{HAMMER}/download/nothing/"),
            "/admin/product/not-a-uuid/download/image/".to_owned(),
        ] {
            assert_eq!(site.page(&missing).await.0, Status::NotFound, "{d}: {missing}");
        }
        let anonymous =
            Client::untracked(catalog::app_on(rocket::build(), site._db.db.clone())).await.expect("launches");
        let response = anonymous.get(download.clone()).dispatch().await;
        assert_eq!(response.status(), Status::SeeOther, "{d}: the login page first");

        // An empty file input keeps the bytes; the instant's seconds keep
        // their stored fraction when unchanged.
        site.api("PUT", &format!("/api/product/{HAMMER}/"), json!({"created_at": "2024-03-01T10:00:00.25Z"})).await;
        let kept = site.upload(&url, &product_fields(&changes), &[("image", "", b"")]).await;
        assert_eq!(kept.status(), Status::SeeOther);
        drop(kept);
        let object = site.read(&format!("/api/product/{HAMMER}/")).await;
        assert_eq!(object["image"], Base64::encode_string(new_image), "{d}: kept");
        assert_eq!(
            object["created_at"], "2024-03-01T10:00:00.250Z",
            "{d}: the fraction the form does not show is kept"
        );
        // Clear empties a nullable bytes field.
        let mut cleared = product_fields(&changes);
        cleared.push(("image-clear", "on"));
        assert_eq!(site.upload(&url, &cleared, &[("image", "", b"")]).await.status(), Status::SeeOther);
        assert_eq!(site.read(&format!("/api/product/{HAMMER}/")).await["image"], Value::Null, "{d}");
        assert_eq!(site.page(&download).await.0, Status::NotFound, "{d}: no bytes, nothing to download");

        // The audit log: before and after, labels for choices, sizes for bytes.
        let history = site.html(&format!("{url}history/")).await;
        for change in [
            "<dt>price</dt><dd><span class=\"before\">19.99</span> → <span class=\"after\">25.50</span>",
            "<dt>status</dt><dd><span class=\"before\">On sale</span> → <span class=\"after\">Discontinued</span>",
            "<span class=\"after\">2024-03-01T10:00:00Z</span>",
            "<span class=\"before\">28 bytes, SHA-256 ",
            "<span class=\"after\">8 bytes, SHA-256 ",
            "<dt>image</dt><dd><span class=\"before\">8 bytes, SHA-256 ",
            "{&quot;b&quot;:{&quot;x&quot;:null,&quot;y&quot;:2}}",
        ] {
            assert!(history.contains(change), "{d}: `{change}` in {history}");
        }
        assert_eq!(history.matches("<dt>created_at</dt>").count(), 1, "{d}: the unchanged instant made no change");
        assert!(!history.contains(&Base64::encode_string(IMAGE)), "{d}: bytes are summed up in the log");
    })
    .await;
}

#[rocket::async_test]
async fn bad_input_in_each_widget_is_an_error_at_its_field_keeping_the_rest() {
    each_backend(|site| async move {
        let d = site.dialect;
        let url = format!("/admin/product/{HAMMER}/");
        let cases: [(&str, &str, &str); 14] = [
            ("price", "12.345", "`price` value `12.345` does not fit 12 digits with 2 after the point"),
            ("price", "cheap", "`price` value `cheap` is not a decimal (use a decimal like 12.50)"),
            ("price", "NaN", "`price` value `NaN` is not a decimal"),
            ("price", "", "This field is required."),
            ("weight_kg", "0.0001", "`weight_kg` value `0.0001` does not fit 8 digits with 3 after the point"),
            ("attributes", "{\"a\": 1,}", "`attributes` is not valid JSON: trailing comma at line 1 column 9"),
            ("attributes", "{\"a\":\n[1, 2", "`attributes` is not valid JSON: EOF while parsing a list at line 2 column 5"),
            ("attributes", "\"\\u0000\"", "`attributes` contains the NUL character, which cannot be stored"),
            ("created_at", "yesterday", "`created_at` value `yesterday` is not an instant"),
            ("created_at", "10000-01-01T00:00", "`created_at` value `10000-01-01T00:00` is not an instant"),
            ("created_at", "0000-01-01T00:00", "`created_at` value `0000-01-01T00:00:00Z` is outside the years 0001 to 9999"),
            ("status", "sold", "`status` value `sold` is not one of its choices: draft, active, discontinued"),
            ("supplier_id", "not-a-uuid", "`supplier_id` value `not-a-uuid` is not a UUID"),
            ("sku", "SAW-1", "This value is already taken."),
        ];
        for (field, value, error) in cases {
            let changes = [(field, value), ("name", "Kept name")];
            let response = site.upload(&url, &product_fields(&changes), &[("image", "a.png", b"\x89PNG")]).await;
            assert_eq!(response.status(), Status::Ok, "{d}: {field}={value:?} shows the form again");
            let page = response.into_string().await.unwrap_or_default();
            assert!(page.contains("Please correct the errors below."), "{d}: {field}={value:?}");
            let at_field = format!("<p class=\"error\" id=\"error_{field}_0\">");
            let shown = page.split(&at_field).nth(1).and_then(|r| r.split("</p>").next()).unwrap_or_default();
            let escaped = error.replace('"', "&quot;").replace('`', "&#x60;").replace('\'', "&#x27;");
            assert!(shown.starts_with(&escaped) || shown.starts_with(error), "{d}: {field}={value:?}: {shown:?}");
            assert!(element(&page, "name").contains("value=\"Kept name\""), "{d}: the rest is kept");
            if field != "attributes" {
                assert!(page.contains("{\n  &quot;a&quot;: [1, &quot;&lt;b&gt;&quot;],"), "{d}: the typed JSON is kept");
            }
            assert!(page.contains("The file you chose was not saved"), "{d}: a dropped upload says so");
        }
        // Nothing was written.
        let object = site.read(&format!("/api/product/{HAMMER}/")).await;
        assert_eq!((object["name"].as_str(), object["image"].as_str()), (Some("Hammer"), Some(Base64::encode_string(IMAGE).as_str())));

        // Foreign keys to no row, a file and Clear at once: form errors too.
        for (field, value) in [("supplier_id", "00000000-0000-4000-8000-000000000000"), ("category_id", "TOOLS")] {
            let response = site.upload(&url, &product_fields(&[(field, value)]), &[]).await;
            assert_eq!(response.status(), Status::Ok, "{d}: {field}");
            let page = response.into_string().await.unwrap_or_default();
            let error = format!("<p class=\"error\" id=\"error_{field}_0\">&#x60;{field}&#x60; refers to an object that does not exist</p>");
            assert!(page.contains(&error), "{d}: {error} in {page}");
        }
        let both = product_fields(&[("image-clear", "on")]);
        let page = site.upload(&url, &both, &[("image", "a.png", b"x")]).await.into_string().await.unwrap_or_default();
        assert!(page.contains("choose a new file or tick Clear, not both"), "{d}");

        // The body itself: too large, unreadable, without its token.
        let huge = vec![7u8; 3 << 20];
        let response = site.upload(&url, &product_fields(&[]), &[("image", "big.bin", &huge)]).await;
        assert_eq!(response.status(), Status::PayloadTooLarge, "{d}");
        let response = site
            .client
            .post(url.clone())
            .header(multipart_type())
            .body(multipart(&product_fields(&[]), &[]))
            .dispatch()
            .await;
        assert_eq!(response.status(), Status::Forbidden, "{d}: no CSRF token");
        let response = site.client.post(url.clone()).header(multipart_type()).body("--nope").dispatch().await;
        assert_eq!(response.status(), Status::BadRequest, "{d}: not multipart");
        let no_boundary = ContentType::new("multipart", "form-data");
        let response = site.client.post(url.clone()).header(no_boundary).body("x").dispatch().await;
        assert_eq!(response.status(), Status::BadRequest, "{d}: no boundary");
    })
    .await;
}

#[rocket::async_test]
async fn an_add_leaves_what_the_database_fills_to_the_database() {
    each_backend(|site| async move {
        let d = site.dialect;
        let fields = [
            ("sku", "NEW-1"),
            ("name", "New"),
            ("price", "1"),
            ("weight_kg", ""),
            ("status", ""),
            ("attributes", ""),
            ("category_id", ""),
            ("supplier_id", ""),
            ("created_at", ""),
            ("available_from", ""),
            ("_continue", "1"),
        ];
        let response = site.upload("/admin/product/add/", &fields, &[("image", "", b"")]).await;
        assert_eq!(response.status(), Status::SeeOther, "{d}: {:?}", response.into_string().await);
        let to = location(&response);
        let id = to.trim_start_matches("/admin/product/").trim_end_matches('/').to_owned();
        assert!(uuid::Uuid::try_parse(&id).is_ok(), "{d}: to the new row's page by its UUID: {to}");
        drop(response);
        let object = site.read(&format!("/api/product/{id}/")).await;
        assert_eq!((object["status"].as_str(), &object["attributes"]), (Some("draft"), &json!({})), "{d}: {object}");
        assert_eq!(object["image"], Value::Null);
        let created = object["created_at"].as_str().unwrap_or_default();
        let at = chrono::DateTime::parse_from_rfc3339(created).map(|t| t.with_timezone(&chrono::Utc));
        assert!(at.is_ok_and(|t| (chrono::Utc::now() - t).num_seconds().abs() < 600), "{d}: now, in UTC: {created}");
        assert!(site.html(&to).await.contains("Change Product: New"), "{d}");
    })
    .await;
}

#[rocket::async_test]
async fn the_list_shows_sorts_and_filters_the_new_kinds() {
    each_backend(|site| async move {
        let d = site.dialect;
        let list = site.html("/admin/product/?ordering=price").await;
        let rows: Vec<&str> = list.split("<tr><td class=\"select\">").skip(1).collect();
        assert_eq!(rows.len(), 2, "{d}: {list}");
        let hammer = rows[0];
        for cell in [
            "<td class=\"number\">19.99</td>",
            "<td>On sale</td>",
            "<td>Tools</td>",
            "<td>28 bytes</td>",
            "<td>2024-02-29T06:15:00Z</td>",
        ] {
            assert!(hammer.contains(cell), "{d}: {cell} in {hammer}");
        }
        assert!(hammer.contains(&format!("href=\"/admin/product/{HAMMER}/\"")), "{d}");
        let saw = rows[1];
        assert!(
            saw.contains("<td>Draft</td>") && saw.contains("<td>Odd</td>") && saw.contains("<td>—</td>"),
            "{d}: {saw}"
        );
        assert!(!list.contains(&Base64::encode_string(IMAGE)), "{d}");
        // Sorting by a decimal, an instant and a choice, either way.
        let first = |page: &str| page.split("<tr><td class=\"select\">").nth(1).map(|r| r.contains(HAMMER));
        for (ordering, hammer_first) in
            [("-price", false), ("created_at", false), ("-created_at", true), ("status", true), ("-status", false)]
        {
            let page = site.html(&format!("/admin/product/?ordering={ordering}")).await;
            assert_eq!(first(&page), Some(hammer_first), "{d}: ordering={ordering}");
        }
        assert!(
            list.contains(&format!("href=\"{}\"", attr("/admin/product/?ordering=-price"))),
            "{d}: the price header sorts"
        );
        assert!(!list.contains("ordering=image"), "{d}: bytes do not sort");

        // The sidebar: choices by value, labelled; dates; set or not.
        for link in [
            format!("<a href=\"{}\">On sale</a>", attr("/admin/product/?ordering=price&status=active")),
            format!("<a href=\"{}\">Discontinued</a>", attr("/admin/product/?ordering=price&status=discontinued")),
            format!("<a href=\"{}\">Set</a>", attr("/admin/product/?ordering=price&image__is=notnull")),
            "<h3>By Status</h3>".to_owned(),
            "<h3>By Created At</h3>".to_owned(),
            ">Past 7 days</a>".to_owned(),
        ] {
            assert!(list.contains(&link), "{d}: {link} in the sidebar");
        }
        let filtered = site.html("/admin/product/?status=active").await;
        assert!(filtered.contains("1 record") && filtered.contains(HAMMER) && !filtered.contains(SAW), "{d}");
        assert!(filtered.contains("Status equals On sale"), "{d}: the active filter reads the label");
        let selected = format!(
            "<li class=\"selected\"><a href=\"{}\" aria-current=\"true\">On sale</a>",
            attr("/admin/product/?status=active")
        );
        assert!(filtered.contains(&selected), "{d}: the filter in effect is marked");
        let set = site.html("/admin/product/?image__is=notnull").await;
        assert!(set.contains(HAMMER) && !set.contains(SAW), "{d}");
        let year =
            site.html("/admin/product/?created_at__gte=2024-01-01T00:00:00Z&created_at__lt=2025-01-01T00:00:00Z").await;
        assert!(year.contains(HAMMER) && !year.contains(SAW), "{d}");
        let instant = site.html("/admin/product/?created_at__gt=2024-02-29T12:00:00%2B05:45").await;
        assert!(instant.contains(HAMMER), "{d}: 06:15:00.5Z is after 06:15Z");
        // The filter builder knows the kinds and the choices.
        assert!(list.contains("&quot;kind&quot;:&quot;timestamptz&quot;"), "{d}");
        assert!(
            list.contains(
                "&quot;choices&quot;:[{&quot;value&quot;:&quot;draft&quot;,&quot;label&quot;:&quot;Draft&quot;}"
            ),
            "{d}"
        );

        // The supplier list: JSON cut short, a 38-digit decimal as text.
        let suppliers = site.html("/admin/supplier/").await;
        assert!(suppliers.contains("12345678901234567890123456789012345678"), "{d}");
        assert!(suppliers.contains("{&quot;email&quot;:&quot;a@acme.test&quot;,&quot;note&quot;:&quot;xxx"), "{d}");
        assert!(suppliers.contains("x…</td>"), "{d}: cut with an ellipsis");
        assert!(suppliers.contains("<td>1969-07-20T14:32:40Z</td>"), "{d}: before 1970, in UTC");
    })
    .await;
}

#[rocket::async_test]
async fn the_date_filters_read_instants_in_utc_whatever_the_sessions_zone() {
    each_backend(|site| async move {
        let d = site.dialect;
        // The saw was made at 1999-12-31T23:59:59Z, which the session's zone
        // (+05:45) calls 1 January 2000; the hammer on 29 February 2024.
        for (query, hammer, saw) in [
            ("created_at__year=1999", false, true),
            ("created_at__year=2000", false, false),
            ("created_at__month=12", false, true),
            ("created_at__month=1", false, false),
            ("created_at__year=2024&created_at__month=2", true, false),
            ("-created_at__month=12", true, false),
            ("created_at__older_days=30", true, true),
            ("created_at__within_days=30", false, false),
            // No upper bound: what is available from 2038 is within a day.
            ("available_from__within_days=1", false, true),
            ("-available_from__within_days=1", true, false),
        ] {
            let list = site.html(&format!("/admin/product/?{query}")).await;
            assert!(!list.contains("Some parameters were ignored"), "{d}: {query}");
            assert_eq!((list.contains(HAMMER), list.contains(SAW)), (hammer, saw), "{d}: {query}");
        }
        let listed = site.read("/api/product/?created_at__month=12&created_at__year=1999").await;
        assert_eq!(listed["objects"].as_array().map(|o| o.len()), Some(1), "{d}: {listed}");
        assert_eq!(listed["objects"][0]["id"], SAW, "{d}");
    })
    .await;
}

#[rocket::async_test]
async fn exports_write_each_kind_as_the_rest_api_does() {
    each_backend(|site| async move {
        let d = site.dialect;
        let fields = [
            "id",
            "sku",
            "price",
            "weight_kg",
            "status",
            "attributes",
            "image",
            "category_id",
            "supplier_id",
            "created_at",
            "available_from",
        ];
        let query: Vec<String> = fields.iter().map(|f| format!("fields={f}")).collect();
        let json_export = site
            .client
            .get(format!("/admin/product/export/?format=json&ordering=id&{}", query.join("&")))
            .dispatch()
            .await;
        assert_eq!(json_export.status(), Status::Ok);
        let exported: Value = json_export.into_json().await.unwrap_or_default();
        let api = site.read("/api/product/?ordering=id").await;
        let objects = exported.as_array().cloned().unwrap_or_default();
        assert_eq!(objects.len(), 2, "{d}: {exported}");
        for object in &objects {
            let id = object["id"].as_str().unwrap_or_default();
            let rest =
                api["objects"].as_array().into_iter().flatten().find(|o| o["id"] == id).cloned().unwrap_or_default();
            for field in fields {
                assert_eq!(object[field], rest[field], "{d}: `{field}` of {id} exported as the API writes it");
            }
        }

        let csv_export =
            site.client.get(format!("/admin/product/export/?format=csv&{}", query.join("&"))).dispatch().await;
        let text = csv_export.into_string().await.unwrap_or_default();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().map(|h| h.iter().map(str::to_owned).collect()).unwrap_or_default();
        assert_eq!(header, fields);
        let mut seen = 0;
        for record in reader.records() {
            let record = record.unwrap_or_default();
            let id = record.get(0).unwrap_or_default();
            let rest =
                api["objects"].as_array().into_iter().flatten().find(|o| o["id"] == id).cloned().unwrap_or_default();
            for (i, field) in fields.iter().enumerate() {
                let expected = match &rest[*field] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                assert_eq!(record.get(i).unwrap_or_default(), expected, "{d}: `{field}` of {id} in CSV");
            }
            seen += 1;
        }
        assert_eq!(seen, 2, "{d}: {text}");
        let filtered = site.client.get("/admin/product/export/?format=csv&fields=sku&status=draft").dispatch().await;
        assert_eq!(
            filtered.into_string().await.unwrap_or_default(),
            "sku\nSAW-1\n",
            "{d}: a choice filters the export"
        );
    })
    .await;
}

#[rocket::async_test]
async fn a_text_key_with_slashes_spaces_and_unicode_goes_through_every_url() {
    each_backend(|site| async move {
        let d = site.dialect;
        let encoded = encode_component(ODD_SLUG);
        let url = format!("/admin/category/{encoded}/");
        let list = site.html("/admin/category/").await;
        assert!(list.contains(&format!("href=\"{url}\"")), "{d}: the list links the encoded key: {list}");
        let form = site.html(&url).await;
        assert!(form.contains("Change Category: Odd"), "{d}: the route decodes the key");
        assert!(form.contains(&format!("href=\"{url}history/\"")) && form.contains(&format!("href=\"{url}delete/\"")));
        let saved = site.post(&url, &[("name", "Odd renamed"), ("parent_id", ""), ("_continue", "1")]).await;
        assert_eq!(saved.status(), Status::SeeOther, "{d}");
        assert_eq!(location(&saved), url, "{d}: back to the encoded key");
        drop(saved);
        let history = site.html(&format!("{url}history/")).await;
        assert!(
            history.contains("<span class=\"before\">Odd</span> → <span class=\"after\">Odd renamed</span>"),
            "{d}"
        );
        assert!(history.contains("<span class=\"before\">tools</span> → <span class=\"after\">—</span>"), "{d}");
        let dashboard = site.html("/admin/").await;
        assert!(dashboard.contains(&format!("href=\"{url}\"")), "{d}: the recent actions link the key encoded");

        // The saw's category picker shows the odd key selected.
        let saw = site.html(&format!("/admin/product/{SAW}/")).await;
        assert!(saw.contains("value=\"hand tools/50% off?#Ünïcödé\" selected>Odd renamed"), "{d}");

        // Its delete page lists the product that keeps its row with the key cleared.
        let delete = site.html(&format!("{url}delete/")).await;
        assert!(
            delete.contains("1 Product kept, with their `category_id` cleared")
                || delete.contains("1 Product kept, with their &#x60;category_id&#x60; cleared"),
            "{d}: {delete}"
        );
        assert!(delete.contains(&format!("action=\"{url}delete/\"")), "{d}");
        assert!(delete.contains("<li>Saw</li>"), "{d}");
        let deleted = site.post(&format!("{url}delete/"), &[("id", ODD_SLUG)]).await;
        assert_eq!(deleted.status(), Status::SeeOther, "{d}");
        drop(deleted);
        assert_eq!(site.page(&url).await.0, Status::NotFound, "{d}");
        assert_eq!(site.read(&format!("/api/product/{SAW}/")).await["category_id"], Value::Null, "{d}");
        // The audit log keeps the delete under the key.
        let log = site.html("/admin/").await;
        assert!(log.contains("Odd renamed"), "{d}");

        // Keys a URL cannot hold as they are, through the form's redirect.
        for slug in ["a/b", "50%", "x?y=1#z", "ü ü", "..", "a+b"] {
            let response =
                site.post("/admin/category/add/", &[("slug", slug), ("name", slug), ("_continue", "1")]).await;
            assert_eq!(response.status(), Status::SeeOther, "{d}: {slug}");
            let to = location(&response);
            drop(response);
            // `slug` is the key, and a key is read-only once made: the
            // form is found again by the URL the redirect gave.
            assert_eq!(to, format!("/admin/category/{}/", encode_component(slug)), "{d}");
            let page = site.html(&to).await;
            assert!(page.contains("Change Category:"), "{d}: {slug} found by its URL");
        }
    })
    .await;
}

#[rocket::async_test]
async fn uuid_keys_pick_delete_with_dependents_and_bulk_delete() {
    each_backend(|site| async move {
        let d = site.dialect;
        // The price change's form picks its product by UUID.
        let change = site.html("/admin/pricechange/1/").await;
        assert!(change.contains(&format!("value=\"{HAMMER}\" selected>Hammer")), "{d}: {change}");
        // The picker's JSON gives UUID keys.
        let found = site.client.get("/admin/pricechange/lookup/product_id/?q=ham").dispatch().await;
        let found: Value = found.into_json().await.unwrap_or_default();
        assert_eq!(found["objects"], json!([{"id": HAMMER, "repr": "Hammer"}]), "{d}");
        let found: Value = site
            .client
            .get("/admin/product/lookup/category/?q=tools")
            .dispatch()
            .await
            .into_json()
            .await
            .unwrap_or_default();
        assert_eq!(found["objects"][0]["id"], "tools", "{d}: {found}");
        // With more than a hundred suppliers, the product form types ahead;
        // its input holds a UUID, as text.
        for i in 0..101 {
            site.api(
                "POST",
                "/api/supplier/",
                json!({"id": format!("00000000-0000-4000-8000-{i:012}"), "name": format!("S{i}")}),
            )
            .await;
        }
        let form = site.html(&format!("/admin/product/{HAMMER}/")).await;
        let picker = element(&form, "supplier_id");
        assert!(picker.contains("class=\"fk-lookup\"") && picker.contains("type=\"text\""), "{d}: {picker}");
        assert!(
            picker.contains(&format!("value=\"{ACME}\"")) && picker.contains("data-display=\"Acme\""),
            "{d}: {picker}"
        );
        assert!(!picker.contains("step="), "{d}");
        let saved = site
            .upload(
                &format!("/admin/product/{HAMMER}/"),
                &product_fields(&[("supplier_id", &ACME.to_uppercase())]),
                &[],
            )
            .await;
        assert_eq!(saved.status(), Status::SeeOther, "{d}: an upper-case UUID is the same key");
        drop(saved);

        // The supplier's delete page: its product keeps its row.
        let delete = site.html(&format!("/admin/supplier/{ACME}/delete/")).await;
        assert!(delete.contains("1 Product kept, with their"), "{d}: {delete}");
        // The hammer's: its price changes go with it.
        let delete = site.html(&format!("/admin/product/{}/delete/", HAMMER.to_uppercase())).await;
        assert!(delete.contains("2 Price Changes deleted too"), "{d}: {delete}");
        assert!(delete.contains(&format!("name=\"id\" value=\"{HAMMER}\"")), "{d}: the key as the database has it");
        let deleted = site.post(&format!("/admin/product/{HAMMER}/delete/"), &[("id", HAMMER)]).await;
        assert_eq!(deleted.status(), Status::SeeOther, "{d}");
        drop(deleted);
        assert_eq!(site.read("/api/pricechange/").await["objects"], json!([]), "{d}: deleted with it");
        let log = site.html("/admin/").await;
        assert!(log.contains("Hammer"), "{d}: the delete is in the log");

        // Bulk delete by UUID keys, in any case.
        let bulk = site.html(&format!("/admin/product/delete/?id={}", SAW.to_uppercase())).await;
        assert!(bulk.contains("the Product “Saw”"), "{d}: {bulk}");
        let deleted = site.post("/admin/product/delete/", &[("id", SAW)]).await;
        assert_eq!(deleted.status(), Status::SeeOther, "{d}");
        drop(deleted);
        assert_eq!(site.read("/api/product/").await["objects"], json!([]), "{d}");
        assert_eq!(site.page("/admin/product/not-a-uuid/").await.0, Status::NotFound, "{d}");
        assert_eq!(site.page("/admin/product/not-a-uuid/history/").await.0, Status::NotFound, "{d}");
    })
    .await;
}
