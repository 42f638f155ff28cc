// The folder is relative to the crate's root, and this crate has none of
// this name.
static TEMPLATES: &[(&str, &str)] = hangar::embed_templates!("no_such_templates");

fn main() {
    let _ = TEMPLATES;
}
