//! Filters through foreign keys: one hop, three hops, two keys to one
//! model, and nullable keys.

use hangar_tests::backends::each_backend;
use hangar_tests::models::{BModel, DModel, FModel, Link, Message, Note};

use crate::support::ids;

#[test]
fn a_relation_path_filters_on_the_related_model() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Message>(conn, "user__username=normal"), [2, 3]);
        assert_eq!(ids::<Message>(conn, "user__admin=true"), [1]);
        assert_eq!(ids::<Message>(conn, "user__username__in=admin,inactive"), [1, 4]);
        assert_eq!(ids::<Message>(conn, "-user__username=normal"), [1, 4]);
        assert_eq!(ids::<Note>(conn, "user__active=false"), [4]);
    });
}

#[test]
fn a_bare_relation_compares_the_foreign_key() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Message>(conn, "user=2"), [2, 3]);
        assert_eq!(ids::<Message>(conn, "user__in=1,3"), [1, 4]);
        assert_eq!(ids::<Message>(conn, "user_id=2"), [2, 3]);
        assert_eq!(ids::<Message>(conn, "user__ne=2"), [1, 4]);
    });
}

#[test]
fn two_foreign_keys_to_one_model_filter_independently() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Link>(conn, "src__username=admin&dst__username=normal"), [1]);
        assert_eq!(ids::<Link>(conn, "src__username=admin"), [1, 3]);
        assert_eq!(ids::<Link>(conn, "dst__username=admin"), [2]);
        assert_eq!(ids::<Link>(conn, "-src__username=admin"), [2, 4]);
        assert_eq!(ids::<Link>(conn, "src__admin=false&dst__admin=false"), [4]);
    });
}

#[test]
fn a_nullable_foreign_key_is_null_or_not_and_negation_keeps_nulls() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<FModel>(conn, "e__is=null"), [2]);
        assert_eq!(ids::<FModel>(conn, "e__is=None"), [2]);
        assert_eq!(ids::<FModel>(conn, "e__is=notnull"), [1, 3]);
        assert_eq!(ids::<FModel>(conn, "e__is_not=null"), [1, 3]);
        assert_eq!(ids::<FModel>(conn, "-e__is=null"), [1, 3]);
        assert_eq!(ids::<FModel>(conn, "e__e_field=e1"), [1]);
        assert_eq!(ids::<FModel>(conn, "-e__e_field=e1"), [2, 3]);
        assert_eq!(ids::<FModel>(conn, "e=2"), [3]);
        assert_eq!(ids::<Link>(conn, "-dst__username=normal"), [2, 3, 4]);
        assert_eq!(ids::<Link>(conn, "dst__ne=1"), [1, 3, 4]);
    });
}

#[test]
fn paths_follow_up_to_three_relations() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<BModel>(conn, "a__a_field=a2"), [2]);
        assert_eq!(ids::<DModel>(conn, "c__c_field=c1"), [1]);
        assert_eq!(ids::<DModel>(conn, "c__b__b_field=b2"), [2]);
        assert_eq!(ids::<DModel>(conn, "c__b__a__a_field=a1"), [1]);
        assert_eq!(ids::<DModel>(conn, "c__b__a=2"), [2]);
        assert_eq!(ids::<DModel>(conn, "c__b__a__a_field__in=a1,a2&-c__b__a__a_field=a2"), [1]);
        assert_eq!(ids::<DModel>(conn, "c__b__a__a_field__startswith=A"), [1, 2]);
    });
}
