//! Writing through the REST API: bodies, typed values, nested writes in one
//! transaction, and deletes with dependents.

use rocket::http::{Method, Status};
use serde_json::json;

use crate::rest_support::{Api, Body, ADMIN, NORMAL};

#[rocket::async_test]
async fn a_create_answers_201_with_the_object() {
    Api::each(async |api: &Api| {
        let created = api.post("/api/amodel/", None, &json!({"a_field": "ax"})).await;
        assert_eq!(created.status, Status::Created);
        assert_eq!(created.json, json!({"id": 3, "a_field": "ax"}));
        let round_trip = api.post("/api/kitchen/", None, &json!({
            "small": 4, "big": 40000000000_i64, "ratio": 0.25, "score": 9.5, "flag": "t", "day": "2025-03-04",
            "at": "07:08", "stamp": "2025-03-04 05:06:07.5Z", "label": "new", "maybe_day": "", "maybe_flag": null
        })).await;
        assert_eq!(round_trip.status, Status::Created, "{round_trip:?}");
        assert_eq!(round_trip.json["stamp"], "2025-03-04T05:06:07.500");
        assert_eq!(round_trip.json["at"], "07:08:00");
        assert_eq!(round_trip.json["flag"], true);
        assert_eq!(round_trip.json["maybe_day"], json!(null));
        assert_eq!(round_trip.json["big"], 40_000_000_000_i64);
    })
    .await;
}

#[rocket::async_test]
async fn bodies_are_json_with_or_without_a_content_type_or_form_fields() {
    Api::each(async |api: &Api| {
        let bare = api.send(Method::Post, "/api/amodel/", None, Body::Bare(r#"{"a_field": "bare"}"#)).await;
        assert_eq!((bare.status, bare.json["a_field"].clone()), (Status::Created, json!("bare")));
        let data =
            api.send(Method::Post, "/api/amodel/", None, Body::Form("data=%7B%22a_field%22%3A%22wrapped%22%7D")).await;
        assert_eq!((data.status, data.json["a_field"].clone()), (Status::Created, json!("wrapped")));
        let fields = api.send(Method::Post, "/api/kitchen/", None, Body::Form(
            "small=1&big=2&ratio=0.5&score=1&flag=false&day=2024-01-01&at=10:00&stamp=2024-01-01+10:00:00&label=form",
        )).await;
        assert_eq!(fields.status, Status::Created, "{fields:?}");
        assert_eq!((fields.json["flag"].clone(), fields.json["label"].clone()), (json!(false), json!("form")));
    })
    .await;
}

#[rocket::async_test]
async fn a_bad_body_is_400_naming_the_field_and_writes_nothing() {
    Api::each(async |api: &Api| {
        let cases = [
            (
                json!({"a_field": "ok", "a_feild": "typo"}),
                "unknown field `a_feild` on `amodel`; fields are: id, a_field; did you mean `a_field`?",
            ),
            (json!({"a_field": 5}), "`a_field` value `5` is not a text field"),
            (json!({"a_field": null}), "`a_field` may not be null"),
            (json!({"a_field": ["x"]}), "`a_field` takes a single value"),
        ];
        for (body, error) in cases {
            let answer = api.post("/api/amodel/", None, &body).await;
            assert_eq!((answer.status, answer.json), (Status::BadRequest, json!({ "error": error })), "{body}");
        }
        let kitchen = api.post("/api/kitchen/", None, &json!({"small": 70000})).await;
        assert_eq!(kitchen.json, json!({"error": "`small` value `70000` is not a small integer"}));
        let stamp = api.post("/api/kitchen/", None, &json!({"stamp": "not-a-date"})).await;
        assert_eq!(
            stamp.json,
            json!({"error": "`stamp` value `not-a-date` is not a timestamp (use 2024-01-01T13:45:00)"})
        );
        let invalid = api.send(Method::Post, "/api/amodel/", None, Body::Bare("{oops")).await;
        assert_eq!(
            (invalid.status, invalid.json),
            (Status::BadRequest, json!({"error": "Request body is not valid JSON."}))
        );
        let array = api.send(Method::Post, "/api/amodel/", None, Body::Bare("[1]")).await;
        assert_eq!(array.json, json!({"error": "the request body must be a JSON object"}));
        let missing = api.post("/api/bmodel/", None, &json!({"b_field": "orphan"})).await;
        assert_eq!((missing.status, missing.json), (Status::BadRequest, json!({"error": "`a_id` is required"})));
        assert_eq!(api.ids("/api/amodel/").await, [1, 2]);
        assert_eq!(api.ids("/api/bmodel/").await, [1, 2]);
    })
    .await;
}

#[rocket::async_test]
async fn the_primary_key_and_readonly_fields_in_a_body_change_nothing() {
    Api::each(async |api: &Api| {
        let created = api.post("/api/amodel/", None, &json!({"id": 1, "a_field": "new"})).await;
        assert_eq!(created.json, json!({"id": 3, "a_field": "new"}), "a body never retargets a write");
        let edited = api.put("/api/amodel/2/", None, &json!({"id": 99, "a_field": "edited"})).await;
        assert_eq!(edited.json, json!({"id": 2, "a_field": "edited"}));
        assert_eq!(api.get("/api/amodel/99/").await.status, Status::NotFound);
        let escalate = api.put("/api/user/2/", ADMIN, &json!({"username": "normal", "admin": true})).await;
        assert_eq!(escalate.status, Status::Ok);
        assert_eq!(escalate.json["admin"], false, "admin is read-only");
        // Ignored, but never of the wrong type.
        let object = api.put("/api/amodel/2/", None, &json!({"id": {"": {}}, "a_field": "edited"})).await;
        assert_eq!(object.status, Status::BadRequest, "{:?}", object.json);
        assert!(object.json["error"].as_str().is_some_and(|e| e.contains("`id`")), "{:?}", object.json);
        let flag = api.put("/api/user/2/", ADMIN, &json!({"username": "normal", "admin": "yes"})).await;
        assert_eq!(flag.status, Status::BadRequest, "{:?}", flag.json);
    })
    .await;
}

#[rocket::async_test]
async fn edits_are_partial_by_put_or_post_to_the_detail_url() {
    Api::each(async |api: &Api| {
        let put = api.put("/api/bmodel/2/", None, &json!({"b_field": "b2-put"})).await;
        assert_eq!(put.json, json!({"id": 2, "a_id": 2, "b_field": "b2-put", "a": {"id": 2, "a_field": "a2"}}));
        let post = api.post("/api/bmodel/2/", None, &json!({"a": 1})).await;
        assert_eq!(post.json["a"], json!({"id": 1, "a_field": "a1"}), "a scalar re-points the key");
        assert_eq!(post.json["b_field"], "b2-put");
        let missing = api.put("/api/bmodel/9/", None, &json!({"b_field": "x"})).await;
        assert_eq!(missing.status, Status::NotFound);
    })
    .await;
}

#[rocket::async_test]
async fn nested_objects_create_and_update_the_related_rows() {
    Api::each(async |api: &Api| {
        let created = api
            .post("/api/cmodel/", None, &json!({"c_field": "cz", "b": {"b_field": "bz", "a": {"a_field": "az"}}}))
            .await;
        assert_eq!(created.status, Status::Created, "{created:?}");
        assert_eq!(created.json["b"]["a"], json!({"id": 3, "a_field": "az"}));
        let updated = api.put("/api/bmodel/2/", None, &json!({"a": {"a_field": "a2-renamed"}})).await;
        assert_eq!(updated.json["a"], json!({"id": 2, "a_field": "a2-renamed"}), "the existing row is edited");
        assert_eq!(api.ids("/api/amodel/").await, [1, 2, 3]);
        let nullable = api.post("/api/fmodel/", None, &json!({"f_field": "fz"})).await;
        assert_eq!(nullable.json["e"], json!(null));
        let refused = api.post("/api/fmodel/", None, &json!({"f_field": "fy", "e": {"e_field": "new"}})).await;
        assert_eq!(
            (refused.status, refused.json),
            (Status::BadRequest, json!({"error": "`e` takes the key of a emodel, not an object"})),
            "`nested_writes = false` refuses nested objects"
        );
        let by_key = api.post("/api/fmodel/", None, &json!({"f_field": "fx", "e": 2})).await;
        assert_eq!(by_key.json["e"], json!({"id": 2, "e_field": "e2"}));
    })
    .await;
}

#[rocket::async_test]
async fn a_nested_write_failing_half_way_leaves_nothing_written() {
    Api::each(async |api: &Api| {
        // The innermost A is written, then B fails for lack of `b_field`.
        let failed = api.post("/api/cmodel/", None, &json!({"c_field": "c", "b": {"a": {"a_field": "orphan"}}})).await;
        assert_eq!((failed.status, failed.json), (Status::BadRequest, json!({"error": "`b_field` is required"})));
        assert_eq!(api.ids("/api/amodel/").await, [1, 2], "the nested A was rolled back");
        // A nested unknown key is named with its path.
        let typo = api.post("/api/bmodel/", None, &json!({"b_field": "b", "a": {"a_feild": "x"}})).await;
        assert_eq!(
            typo.json["error"],
            "unknown field `a__a_feild` on `amodel`; fields are: id, a_field; did you mean `a_field`?"
        );
        // A nested resource's checks apply: only admins write users.
        let body = json!({"message": "n", "user": {"username": "sneaky", "password": "pw", "email": "s@x"}});
        let refused = api.post("/api/note/", NORMAL, &body).await;
        assert_eq!((refused.status, refused.json), (Status::Forbidden, json!({"error": "Forbidden"})));
        assert_eq!(api.ids("/api/note/").await, [1, 2, 3, 4]);
        let allowed = api.post("/api/note/", ADMIN, &body).await;
        assert_eq!(allowed.status, Status::Created, "{allowed:?}");
        assert_eq!(allowed.json["user"]["username"], "sneaky");
        assert_eq!(allowed.json["user"]["admin"], false);
    })
    .await;
}

#[rocket::async_test]
async fn a_unique_value_taken_is_409() {
    Api::each(async |api: &Api| {
        let taken =
            api.post("/api/user/", ADMIN, &json!({"username": "normal", "password": "x", "email": "x@x"})).await;
        assert_eq!(taken.status, Status::Conflict, "{taken:?}");
        assert_eq!(taken.json["error"], "this `username` is already taken", "the field, never the constraint's name");
        let fresh =
            api.post("/api/user/", ADMIN, &json!({"username": "fresh", "password": "pw", "email": "f@x"})).await;
        assert_eq!(fresh.status, Status::Created, "{fresh:?}");
        let id = fresh.json["id"].clone();
        let login = api
            .send(
                Method::Post,
                "/api/note/",
                Some(("fresh", "pw")),
                Body::Json(&json!({"message": "m", "user_id": id})),
            )
            .await;
        assert_eq!(login.status, Status::Created, "prepare_data hashed the password: {login:?}");
    })
    .await;
}

#[rocket::async_test]
async fn a_body_over_the_limit_is_413() {
    Api::each(async |api: &Api| {
        let big = format!(r#"{{"a_field": "{}"}}"#, "x".repeat(20 * 1024));
        let answer = api.send(Method::Post, "/api/amodel/", None, Body::Raw(big.into_bytes())).await;
        assert_eq!(answer.status, Status::PayloadTooLarge);
        assert_eq!(answer.json, json!({"error": "the request body is larger than the limit of 16384 bytes"}));
    })
    .await;
}

#[rocket::async_test]
async fn delete_takes_the_dependents_and_clears_nullable_keys() {
    Api::each(async |api: &Api| {
        let deleted = api.delete("/api/amodel/1/", None).await;
        assert_eq!((deleted.status, deleted.json), (Status::Ok, json!({"deleted": 1})));
        assert_eq!(api.ids("/api/bmodel/").await, [2]);
        assert_eq!(api.ids("/api/cmodel/").await, [2]);
        assert_eq!(api.ids("/api/dmodel/").await, [2]);
        assert_eq!(api.ids("/api/ddetail/").await, [2], "four levels down");
        let nulled = api.delete("/api/emodel/1/", None).await;
        assert_eq!(nulled.json, json!({"deleted": 1}));
        assert_eq!(api.ids("/api/fmodel/").await, [1, 2, 3], "rows with a nullable key stay");
        assert_eq!(api.get("/api/fmodel/1/").await.json["e_id"], json!(null));
        let user = api.delete("/api/user/2/", ADMIN).await;
        assert_eq!(user.json, json!({"deleted": 1}));
        assert_eq!(api.ids("/api/message/").await, [1, 4]);
        assert_eq!(api.ids("/api/link/?ordering=id").await, [1, 3, 4], "links from the user go");
        assert_eq!(api.get("/api/link/1/").await.json["dst_id"], json!(null), "links to the user lose their dst");
        assert_eq!(api.delete("/api/amodel/1/", None).await.status, Status::NotFound);
    })
    .await;
}

#[rocket::async_test]
async fn a_blank_username_or_a_value_past_its_column_is_refused_naming_the_field() {
    Api::each(async |api: &Api| {
        for username in ["", "   "] {
            let blank = api.post("/api/user/", ADMIN, &json!({"username": username, "password": "x"})).await;
            assert_eq!(blank.status, Status::BadRequest, "{blank:?}");
            assert_eq!(blank.json["error"], "`username` may not be blank");
        }
        let long = "u".repeat(151);
        let answer = api.post("/api/user/", ADMIN, &json!({"username": long, "password": "x"})).await;
        assert_eq!(answer.json["error"], "`username` is longer than 150 characters", "{answer:?}");
        let nested = api.post("/api/link/", None, &json!({"src_id": 1, "label": "x".repeat(256)})).await;
        assert_eq!(nested.json["error"], "`label` is longer than 255 characters", "{nested:?}");
        let users = api.ids("/api/user/?limit=100").await;
        assert_eq!(users.len(), 2, "nothing was written: {users:?}");
    })
    .await;
}
