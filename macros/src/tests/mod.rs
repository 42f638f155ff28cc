//! Expansion snapshots: a readable record of what the derives generate for
//! a few real models and a choice enum. Review a changed snapshot with
//! `cargo insta review`, or accept it with
//! `INSTA_UPDATE=always cargo test -p hangar-macros`.

fn expand(source: &str) -> String {
    let input: syn::DeriveInput = syn::parse_str(source).expect("the input parses");
    let tokens = crate::model::expand(&input);
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as a file");
    prettyplease::unparse(&file)
}

#[test]
fn message_with_belongs_to() {
    insta::assert_snapshot!(expand(
        r#"
        #[diesel(table_name = message, belongs_to(User))]
        #[model(verbose_name = "Post")]
        struct Message {
            id: i32,
            user_id: i32,
            content: String,
            pub_date: NaiveDateTime,
        }
        "#
    ));
}

#[test]
fn link_with_two_references_to_one_model() {
    insta::assert_snapshot!(expand(
        r#"
        #[diesel(table_name = crate::schema::link)]
        struct Link {
            id: i32,
            #[model(references = User)]
            src_id: i32,
            #[model(references = User, verbose_name = "Destination")]
            dst_id: Option<i32>,
            #[diesel(column_name = label_text)]
            label: String,
        }
        "#
    ));
}

#[test]
fn a_failed_derive_emits_its_errors_and_a_stub() {
    insta::assert_snapshot!(expand(
        r#"
        #[diesel(table_name = message, belongs_to(User))]
        #[model(verbose_nme = "Post")]
        struct Message {
            id: i32,
            user_id: i32,
            tags: Vec<String>,
        }
        "#
    ));
}

fn expand_rest(source: &str) -> String {
    let input: syn::DeriveInput = syn::parse_str(source).expect("the input parses");
    let tokens = crate::rest::expand(&input);
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as a file");
    prettyplease::unparse(&file)
}

#[test]
fn rest_resource_with_owner_and_include() {
    insta::assert_snapshot!(expand_rest(
        r#"
        #[diesel(table_name = message, belongs_to(User))]
        #[rest(owner = user, include(user = UserResource), exclude(content), paginate_by = 10)]
        struct Message {
            id: i32,
            user_id: i32,
            content: String,
        }
        "#
    ));
}

fn expand_admin(source: &str) -> String {
    let input: syn::DeriveInput = syn::parse_str(source).expect("the input parses");
    let tokens = crate::admin::expand(&input);
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as a file");
    prettyplease::unparse(&file)
}

#[test]
fn admin_model_with_paths_into_a_related_model() {
    insta::assert_snapshot!(expand_admin(
        r#"
        #[diesel(table_name = message, belongs_to(User))]
        #[admin(
            columns(user__username, content, method = excerpt),
            search_fields(content, user__username),
            foreign_key_lookups(user = username),
            readonly_fields(pub_date),
            ordering("-pub_date")
        )]
        struct Message {
            id: i32,
            user_id: i32,
            #[admin(widget = textarea, help_text = "What is on your mind")]
            content: String,
            pub_date: NaiveDateTime,
        }
        "#
    ));
}

fn expand_choice(source: &str) -> String {
    let input: syn::DeriveInput = syn::parse_str(source).expect("the input parses");
    let tokens = crate::choice::expand(&input);
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as a file");
    prettyplease::unparse(&file)
}

#[test]
fn choice_with_a_value_and_a_label_given() {
    insta::assert_snapshot!(expand_choice(
        r#"
        enum Stock {
            InStock,
            #[choice(label = "Ordered, not yet here")]
            Backorder,
            #[choice(value = "gone", label = "Sold out")]
            SoldOut,
        }
        "#
    ));
}

#[test]
fn a_failed_choice_derive_emits_its_errors_and_a_stub() {
    insta::assert_snapshot!(expand_choice(
        r#"
        enum Stock {
            InStock,
            #[choice(valeu = "in_stock")]
            Available,
            Sold(u32),
        }
        "#
    ));
}
