//! The fixture rows, the same on every backend.

use diesel::connection::SimpleConnection;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use hangar::db::AnyConnection;

use crate::schema::users;

/// Users 1 admin, 2 normal, 3 inactive; their messages, notes and links;
/// the chains A←B←C←D; F rows with and without an E; kitchen rows.
pub const SEED: &str = r#"
INSERT INTO users (username, password, email, join_date, active, admin) VALUES
    ('admin', 'x', 'admin@example.com', '2024-01-01 00:00:00', TRUE, TRUE),
    ('normal', 'x', 'normal@example.com', '2024-01-02 00:00:00', TRUE, FALSE),
    ('inactive', 'x', 'inactive@example.com', '2024-01-03 00:00:00', FALSE, FALSE);
INSERT INTO message (user_id, content, pub_date) VALUES
    (1, 'hello from admin', '2024-01-01 10:00:00'),
    (2, 'Hello from normal', '2024-01-02 10:00:00'),
    (2, 'normal again', '2024-01-03 10:00:00'),
    (3, '100% inactive_user', '2024-01-04 10:00:00');
INSERT INTO note (user_id, message, status, created_date) VALUES
    (1, 'note 1', 1, '2024-02-01 00:00:00'),
    (1, 'note 2', 2, '2024-02-02 00:00:00'),
    (2, 'note 3', 1, '2024-02-03 00:00:00'),
    (3, 'note 4', 1, '2024-02-04 00:00:00');
INSERT INTO link (src_id, dst_id, label) VALUES
    (1, 2, 'a->b'),
    (2, 1, 'b->a'),
    (1, NULL, 'a->nobody'),
    (3, 3, 'self');
INSERT INTO amodel (a_field) VALUES ('a1'), ('a2');
INSERT INTO bmodel (a_id, b_field) VALUES (1, 'b1'), (2, 'b2');
INSERT INTO cmodel (b_id, c_field) VALUES (1, 'c1'), (2, 'c2');
INSERT INTO dmodel (c_id, d_field) VALUES (1, 'd1'), (2, 'd2');
INSERT INTO ddetail (d_id, detail) VALUES (1, 'x1'), (2, 'x2');
INSERT INTO api_key ("key", secret) VALUES ('k', 's');
INSERT INTO api_token (token, user_id) VALUES ('admintoken', 1), ('normaltoken', 2);
INSERT INTO api_doc (data) VALUES ('d1'), ('d2');
INSERT INTO bearer_doc (data) VALUES ('b1');
INSERT INTO tweet (user_id, content) VALUES (2, 'hi from normal'), (1, 'hi from admin');
INSERT INTO emodel (e_field) VALUES ('e1'), ('e2');
INSERT INTO fmodel (e_id, f_field) VALUES (1, 'f1'), (NULL, 'f2'), (2, 'f3');
INSERT INTO kitchen (small, big, ratio, score, flag, day, at, stamp, label,
                     maybe_int, maybe_text, maybe_flag, maybe_day, maybe_stamp) VALUES
    (1, 10000000000, 0.5, 1.25, TRUE, '2024-01-01', '08:00:00', '2024-01-01 08:00:00', 'Alpha',
     7, 'x', TRUE, '2024-01-01', '2024-01-01 08:00:00'),
    (2, 20000000000, 1.5, 2.5, FALSE, '2024-06-15', '12:30:00', '2024-06-15 12:30:00', 'beta',
     NULL, NULL, NULL, NULL, NULL),
    (3, 30000000000, 2.5, 3.75, TRUE, '2024-12-31', '23:59:59', '2024-12-31 23:59:59', 'Gamma_ray',
     9, 'y', FALSE, '2024-12-31', '2024-12-31 23:59:59');
"#;

/// Inserts [`SEED`], then gives each user a password equal to its name.
pub fn seed(conn: &mut AnyConnection) {
    let sql = match conn.dialect() {
        hangar::db::Dialect::Mysql => SEED.replace("\"key\"", "`key`"),
        _ => SEED.to_owned(),
    };
    conn.batch_execute(&sql).expect("the fixture rows insert");
    for name in ["admin", "normal", "inactive"] {
        diesel::update(users::table.filter(users::username.eq(name)))
            .set(users::password.eq(hangar::utils::make_password(name)))
            .execute(conn)
            .expect("the password is set");
    }
}
