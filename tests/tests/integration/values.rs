//! Values of every type, plain and nullable, parsed and compared.

use hangar_tests::backends::each_backend;
use hangar_tests::models::Kitchen;

use crate::support::ids;

#[test]
fn integers_of_every_width() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Kitchen>(conn, "small=2"), [2]);
        assert_eq!(ids::<Kitchen>(conn, "small__gte=2"), [2, 3]);
        assert_eq!(ids::<Kitchen>(conn, "big__gt=15000000000"), [2, 3]);
        assert_eq!(ids::<Kitchen>(conn, "big__in=10000000000,30000000000"), [1, 3]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_int=9"), [3]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_int__lt=100"), [1, 3]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_int__ne=7"), [2, 3]);
    });
}

#[test]
fn floats_and_doubles() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Kitchen>(conn, "ratio__lt=1"), [1]);
        assert_eq!(ids::<Kitchen>(conn, "ratio=1.5"), [2]);
        assert_eq!(ids::<Kitchen>(conn, "score__between=2,3"), [2]);
        assert_eq!(ids::<Kitchen>(conn, "score__gte=1.25"), [1, 2, 3]);
    });
}

#[test]
fn booleans_plain_and_nullable() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Kitchen>(conn, "flag=t"), [1, 3]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_flag=false"), [3]);
        assert_eq!(ids::<Kitchen>(conn, "-maybe_flag=true"), [2, 3]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_flag__is=null"), [2]);
    });
}

#[test]
fn dates_times_and_timestamps() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Kitchen>(conn, "day=2024-06-15"), [2]);
        assert_eq!(ids::<Kitchen>(conn, "day__gte=2024-06-01"), [2, 3]);
        assert_eq!(ids::<Kitchen>(conn, "at__lt=12:00"), [1]);
        assert_eq!(ids::<Kitchen>(conn, "at__gte=12:30:00"), [2, 3]);
        assert_eq!(ids::<Kitchen>(conn, "stamp=2024-06-15T12:30:00"), [2]);
        assert_eq!(ids::<Kitchen>(conn, "stamp=2024-06-15+12:30:00"), [2]);
        assert_eq!(ids::<Kitchen>(conn, "stamp=2024-06-15T12:30:00Z"), [2]);
        // An offset is converted to UTC: 14:30 at +02:00 is 12:30.
        assert_eq!(ids::<Kitchen>(conn, "stamp__gte=2024-06-15T14:30:00%2B02:00"), [2, 3]);
        assert_eq!(ids::<Kitchen>(conn, "stamp__lt=2024-06-15"), [1]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_day__lt=2024-06-01"), [1]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_stamp__gt=2024-06-01T00:00:00"), [3]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_stamp__is=null"), [2]);
    });
}

#[test]
fn text_plain_and_nullable() {
    each_backend(|t| {
        let conn = &mut t.conn();
        assert_eq!(ids::<Kitchen>(conn, "label=beta"), [2]);
        assert_eq!(ids::<Kitchen>(conn, "label__like=alpha"), Vec::<i64>::new());
        assert_eq!(ids::<Kitchen>(conn, "label__ilike=alpha"), [1]);
        assert_eq!(ids::<Kitchen>(conn, "label__like=Gamma_ray"), [3]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_text__in=x,y"), [1, 3]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_text__contains=X"), [1]);
        assert_eq!(ids::<Kitchen>(conn, "-maybe_text__contains=X"), [2, 3]);
        assert_eq!(ids::<Kitchen>(conn, "maybe_text__is_not=null"), [1, 3]);
    });
}
