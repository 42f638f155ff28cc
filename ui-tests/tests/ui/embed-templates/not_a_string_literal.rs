// The folder must be written as a string literal.
static TEMPLATES: &[(&str, &str)] = hangar::embed_templates!(templates);

fn main() {
    let _ = TEMPLATES;
}
