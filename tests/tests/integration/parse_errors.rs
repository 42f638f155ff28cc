//! Every rejected parameter answers with one sentence that names it.

use hangar::forms::Params;
use hangar::query::{ListOptions, ListQuery, QueryError};
use hangar_tests::models::{DDetail, Kitchen, Message, User};

use crate::support::error;

#[test]
fn an_unknown_field_lists_the_fields() {
    assert_eq!(
        error::<Message>("usrname=x"),
        "unknown filter field `usrname` on `message`; fields are: id, user_id, content, pub_date; relations are: user"
    );
    assert_eq!(
        error::<Message>("user__usrname=x"),
        "unknown filter field `usrname` on `user` in `user__usrname`; fields are: id, username, password, email, \
         join_date, active, admin, staff; did you mean `username`?"
    );
    assert_eq!(
        error::<User>("emial__ilike=x"),
        "unknown filter field `emial` on `user` in `emial__ilike`; fields are: id, username, password, email, \
         join_date, active, admin, staff; did you mean `email`?"
    );
    assert!(error::<User>("=x").starts_with("unknown filter field `` on `user`"));
}

#[test]
fn a_misspelt_operator_is_named_with_a_suggestion() {
    let message = error::<Message>("content__contians=x");
    assert!(
        message.starts_with("unknown operator `contians` in `content__contians`; operators are: eq, ne,"),
        "{message}"
    );
    assert!(message.ends_with("; did you mean `contains`?"), "{message}");
}

#[test]
fn only_relations_can_be_followed() {
    assert_eq!(
        error::<Message>("content__user__id=1"),
        "`content` is a field of `message`, not a relation, so `content__user__id` cannot go through it"
    );
}

#[test]
fn at_most_three_hops() {
    assert_eq!(
        error::<DDetail>("d__c__b__a__a_field=a1"),
        "`d__c__b__a__a_field` goes through more than 3 relations; a filter may go through at most 3"
    );
}

#[test]
fn an_operator_must_suit_the_field_type() {
    assert_eq!(error::<Message>("pub_date__ilike=x"), "`ilike` needs a text field; `pub_date` is a timestamp");
    assert_eq!(error::<User>("active__lt=1"), "`lt` needs a field whose values have an order; `active` is a boolean");
    assert_eq!(error::<Message>("id__contains=1"), "`contains` needs a text field; `id` is an integer");
    assert_eq!(
        error::<Message>("user__join_date__startswith=2"),
        "`startswith` needs a text field; `join_date` is a timestamp"
    );
}

#[test]
fn a_bad_value_for_every_type_is_named() {
    let cases = [
        ("small=70000", "`small` value `70000` is not a small integer"),
        ("id__in=1,x", "`id__in` value `x` is not an integer"),
        ("big=1.5", "`big` value `1.5` is not a big integer"),
        ("ratio=abc", "`ratio` value `abc` is not a number"),
        ("score__gt=NaN", "`score__gt` value `NaN` is not a number"),
        ("flag=maybe", "`flag` value `maybe` is not a boolean (use true, false, 1, 0, t or f)"),
        ("day=2024-02-30", "`day` value `2024-02-30` is not a date (use 2024-01-01)"),
        ("at__lt=25:00", "`at__lt` value `25:00` is not a time (use 13:45:00)"),
        ("stamp__gte=yesterday", "`stamp__gte` value `yesterday` is not a timestamp (use 2024-01-01T13:45:00)"),
        (
            "maybe_int=null",
            "`maybe_int` value `null` is not an integer; to match empty values use `maybe_int__is=null`",
        ),
        ("maybe_day__between=2024-01-01,soon", "`maybe_day__between` value `soon` is not a date (use 2024-01-01)"),
        ("-maybe_flag=2", "`-maybe_flag` value `2` is not a boolean (use true, false, 1, 0, t or f)"),
    ];
    for (qs, expected) in cases {
        assert_eq!(error::<Kitchen>(qs), expected, "{qs}");
    }
}

#[test]
fn is_takes_null_or_notnull() {
    assert_eq!(error::<Kitchen>("maybe_int__is=7"), "`maybe_int__is` takes `null` or `notnull`, not `7`");
}

#[test]
fn between_needs_exactly_two_values() {
    assert_eq!(
        error::<Message>("id__between=2"),
        "`id__between` needs two values separated by a comma, like `1,5`, not `2`"
    );
    assert_eq!(
        error::<Message>("id__between=1,2,3"),
        "`id__between` needs two values separated by a comma, like `1,5`, not `1,2,3`"
    );
}

#[test]
fn ordering_and_limit_are_checked() {
    assert_eq!(
        error::<Message>("ordering=-pub_dat"),
        "`ordering` names an unknown field `pub_dat` of `message`; fields are: id, user_id, content, pub_date; did you mean `pub_date`?"
    );
    for bad in ["0", "-1", "abc", "1.5", "00000000000000000000000000", "1e40"] {
        assert_eq!(
            error::<Message>(&format!("limit={bad}")),
            format!("`limit` must be a whole number from 1 up, not `{bad}`")
        );
    }
}

#[test]
fn a_limit_past_the_largest_integer_asks_for_the_maximum() {
    let options = ListOptions { max_paginate_by: Some(100), ..ListOptions::default() };
    let list = ListQuery::<Message>::parse_strict(&Params::parse("limit=63457282622265447389226447405056"), &options)
        .expect("a whole number, however large, is a limit");
    assert_eq!(list.per_page(), Some(100));
}

#[test]
fn the_parse_says_what_was_used_and_what_was_rejected() {
    let list =
        ListQuery::<Message>::parse(&Params::parse("user=1&bogus=2&ordering=id&page=x&id=y"), &ListOptions::default());
    assert_eq!(list.used(), ["ordering", "page", "user"]);
    let rejected: Vec<String> = list.rejected().iter().map(ToString::to_string).collect();
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert!(rejected[0].starts_with("unknown filter field `bogus`"), "{rejected:?}");
    assert_eq!(rejected[1], "`id` value `y` is not an integer");
    assert_eq!(list.page(), 1, "a malformed page falls back to 1");
}

#[test]
fn ignored_parameters_are_neither_used_nor_rejected() {
    let options = ListOptions { ignored: vec!["key".into(), "secret".into()], ..ListOptions::default() };
    let list = ListQuery::<Message>::parse(&Params::parse("key=k&secret=s&id=1"), &options);
    assert_eq!(list.used(), ["id"]);
    assert!(list.rejected().is_empty());
}

#[test]
fn excluded_fields_cannot_be_filtered_on() {
    let options = ListOptions { filter_exclude: vec!["password".into()], ..ListOptions::default() };
    let list = ListQuery::<User>::parse(&Params::parse("password__startswith=pbkdf2&username=admin"), &options);
    assert_eq!(list.used(), ["username"]);
    assert_eq!(
        list.rejected(),
        [QueryError::NotFilterable { param: "password__startswith".into(), field: "password".into() }]
    );
    assert_eq!(
        list.rejected()[0].to_string(),
        "`password__startswith` filters on `password`, which may not be filtered on"
    );
    let only = ListOptions { filter_fields: Some(vec!["user".into()]), ..ListOptions::default() };
    let list = ListQuery::<Message>::parse(&Params::parse("user__username=admin&content=x"), &only);
    assert_eq!(list.used(), ["user__username"]);
    assert_eq!(list.rejected().len(), 1);
}
