//! Every operator, repeated and negated keys, on every backend.

use hangar_tests::backends::each_backend;
use hangar_tests::models::{Message, User};

use crate::support::ids;

#[test]
fn eq_is_the_default_operator() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<User>(conn, "username=admin"), [1]);
        assert_eq!(ids::<User>(conn, "username__eq=normal"), [2]);
        assert_eq!(ids::<User>(conn, "username=nobody"), Vec::<i64>::new());
    });
}

#[test]
fn ordered_comparisons() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<User>(conn, "id__lt=2"), [1]);
        assert_eq!(ids::<User>(conn, "id__lte=2"), [1, 2]);
        assert_eq!(ids::<User>(conn, "id__gt=2"), [3]);
        assert_eq!(ids::<User>(conn, "id__gte=2"), [2, 3]);
        assert_eq!(ids::<User>(conn, "username__gt=b"), [2, 3]);
        assert_eq!(ids::<Message>(conn, "pub_date__gte=2024-01-03"), [3, 4]);
        assert_eq!(ids::<Message>(conn, "pub_date__lt=2024-01-02T10:00:00"), [1]);
    });
}

#[test]
fn a_repeated_key_ors_and_different_keys_and() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<User>(conn, "username=admin&username=inactive"), [1, 3]);
        assert_eq!(ids::<User>(conn, "id__lt=2&id__gt=2"), Vec::<i64>::new());
        assert_eq!(ids::<User>(conn, "id__gt=2&id__gt=0"), [1, 2, 3]);
        assert_eq!(ids::<Message>(conn, "user__username=normal&id__lt=3"), [2]);
        assert_eq!(ids::<User>(conn, "active=true&admin=false"), [2]);
    });
}

#[test]
fn ne_and_negation_select_the_complement_and_repeats_and() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<User>(conn, "id__ne=1"), [2, 3]);
        assert_eq!(ids::<User>(conn, "id__ne=1&id__ne=2"), [3]);
        assert_eq!(ids::<User>(conn, "-username=admin"), [2, 3]);
        assert_eq!(ids::<User>(conn, "-username=admin&-username=normal"), [3]);
        assert_eq!(ids::<User>(conn, "-id__in=1,3"), [2]);
        // A negated negative operator is positive again, and its repeats OR.
        assert_eq!(ids::<User>(conn, "-id__ne=1"), [1]);
        assert_eq!(ids::<User>(conn, "-id__ne=1&-id__ne=3"), [1, 3]);
    });
}

#[test]
fn in_and_not_in_take_comma_lists_and_repeats() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<User>(conn, "id__in=1,2,5"), [1, 2]);
        assert_eq!(ids::<User>(conn, "id__in=1&id__in=3"), [1, 3]);
        assert_eq!(ids::<User>(conn, "id__in=1,2&id__in=3"), [1, 2, 3]);
        assert_eq!(ids::<User>(conn, "username__in=admin,normal"), [1, 2]);
        assert_eq!(ids::<User>(conn, "id__not_in=1,2"), [3]);
        assert_eq!(ids::<User>(conn, "id__not_in=1&id__not_in=2"), [3]);
    });
}

#[test]
fn between_is_inclusive_and_negates() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Message>(conn, "id__between=2,3"), [2, 3]);
        assert_eq!(ids::<Message>(conn, "-id__between=2,3"), [1, 4]);
        assert_eq!(ids::<Message>(conn, "id__between=1,1&id__between=4,9"), [1, 4]);
        // The bounds as two values of one key, as generated clients send arrays.
        assert_eq!(ids::<Message>(conn, "id__between=2&id__between=3"), [2, 3]);
        assert_eq!(ids::<Message>(conn, "-id__between=2&-id__between=3"), [1, 4]);
        assert_eq!(ids::<Message>(conn, "pub_date__between=2024-01-02,2024-01-03T23:00:00"), [2, 3]);
    });
}

#[test]
fn booleans_take_six_spellings() {
    each_backend(|t| {
        let conn = &mut t.conn();
        for yes in ["true", "True", "TRUE", "t", "T", "1"] {
            assert_eq!(ids::<User>(conn, &format!("admin={yes}")), [1], "admin={yes}");
        }
        for no in ["false", "False", "f", "F", "0"] {
            assert_eq!(ids::<User>(conn, &format!("admin={no}")), [2, 3], "admin={no}");
        }
        assert_eq!(ids::<User>(conn, "active=0"), [3]);
    });
}

#[test]
fn like_is_case_sensitive_and_ilike_is_not() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Message>(conn, "content__like=hello%25"), [1]);
        assert_eq!(ids::<Message>(conn, "content__like=%25from%25"), [1, 2]);
        assert_eq!(ids::<Message>(conn, "content__like=normal_again"), [3]);
        assert_eq!(ids::<Message>(conn, "content__ilike=HELLO%25"), [1, 2]);
        assert_eq!(ids::<Message>(conn, "content__ilike=%25AGAIN"), [3]);
        // `\` escapes a wildcard; glob characters are plain text.
        assert_eq!(ids::<Message>(conn, "content__like=100\\%25%25"), [4]);
        assert_eq!(ids::<Message>(conn, "content__like=*"), Vec::<i64>::new());
        assert_eq!(ids::<Message>(conn, "content__like=100[%25"), Vec::<i64>::new());
    });
}

#[test]
fn contains_startswith_endswith_ignore_case_and_match_text_literally() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Message>(conn, "content__contains=FROM"), [1, 2]);
        assert_eq!(ids::<Message>(conn, "content__startswith=NORMAL"), [3]);
        assert_eq!(ids::<Message>(conn, "content__endswith=From+Admin"), [1]);
        // `%` and `_` are text here, not wildcards.
        assert_eq!(ids::<Message>(conn, "content__contains=%25"), [4]);
        assert_eq!(ids::<Message>(conn, "content__startswith=100%25"), [4]);
        assert_eq!(ids::<Message>(conn, "content__endswith=_USER"), [4]);
        assert_eq!(ids::<Message>(conn, "content__contains=l_a"), Vec::<i64>::new());
        assert_eq!(ids::<Message>(conn, "-content__contains=hello"), [3, 4]);
    });
}

#[test]
fn parameters_that_are_not_filters_are_left_alone() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<User>(conn, "page=1&ordering=id"), [1, 2, 3]);
        assert_eq!(ids::<User>(conn, ""), [1, 2, 3]);
    });
}
