//! `embed_templates!("templates")`: every `.hbs` file under a folder of the
//! calling crate, as `(name, source)` pairs, each source embedded with
//! `include_str!`.
//!
//! The expansion names no hangar path: it is a slice of string literals and
//! `::core::include_str!` calls, so it works in any crate, the runtime
//! included.

use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token};

/// A template found under the folder.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Template {
    /// Its path under the folder, without `.hbs`, with `/` separators.
    pub(crate) name: String,
    /// Where it is, for `include_str!`.
    pub(crate) path: PathBuf,
}

/// The macro's argument: the folder, relative to the crate's root.
struct Folder(LitStr);

impl Parse for Folder {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let example = "`embed_templates!` takes the templates folder as a string literal, relative to the crate's \
                       root (where its Cargo.toml is), like embed_templates!(\"templates\")";
        let folder: LitStr = input.parse().map_err(|e| syn::Error::new(e.span(), example))?;
        input.parse::<Option<Token![,]>>()?;
        if !input.is_empty() {
            return Err(input.error("`embed_templates!` takes one folder; remove what follows it"));
        }
        Ok(Folder(folder))
    }
}

/// Expands `embed_templates!(...)` in the crate being compiled.
pub(crate) fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let Folder(folder) = syn::parse2(input)?;
    let Some(root) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return Err(syn::Error::new(
            folder.span(),
            "`embed_templates!` finds the folder from CARGO_MANIFEST_DIR, which cargo sets; build the crate with cargo",
        ));
    };
    embed(&folder, Path::new(&root))
}

/// The templates under `root`/`folder`, as a slice of `(name, source)`.
pub(crate) fn embed(folder: &LitStr, root: &Path) -> syn::Result<TokenStream> {
    let templates = find(&root.join(folder.value()), &folder.value()).map_err(|e| syn::Error::new(folder.span(), e))?;
    let mut entries = Vec::with_capacity(templates.len());
    for template in templates {
        let Some(path) = template.path.to_str() else {
            return Err(syn::Error::new(
                folder.span(),
                format!(
                    "the path of the template `{}` is not UTF-8, which include_str! needs: {}",
                    template.name,
                    template.path.display()
                ),
            ));
        };
        let (name, path) = (LitStr::new(&template.name, Span::call_site()), LitStr::new(path, folder.span()));
        entries.push(quote!((#name, ::core::include_str!(#path))));
    }
    Ok(quote!((&[#(#entries),*] as &'static [(&'static str, &'static str)])))
}

/// Every `.hbs` file under `dir`, at any depth, sorted by name; `shown` is
/// `dir` as the user wrote it, for messages. An error is a sentence for the
/// user.
pub(crate) fn find(dir: &Path, shown: &str) -> Result<Vec<Template>, String> {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(format!(
                "`{shown}` is a file, not a folder; `embed_templates!` takes the folder that holds the `.hbs` files"
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "there is no folder `{shown}` in this crate; `embed_templates!` reads a folder relative to the \
                 crate's root, where its Cargo.toml is"
            ))
        }
        Err(e) => return Err(format!("cannot read the folder `{shown}`: {e}")),
    }
    let mut found = Vec::new();
    walk(dir, Path::new(shown), &mut Vec::new(), &mut found)?;
    if found.is_empty() {
        return Err(format!("there is no `.hbs` file under `{shown}`, at any depth"));
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// Adds the templates under `dir` to `found`; `shown` is `dir` as messages
/// name it, `prefix` the names of the folders between the root and `dir`.
fn walk(dir: &Path, shown: &Path, prefix: &mut Vec<String>, found: &mut Vec<Template>) -> Result<(), String> {
    let unreadable = |e: std::io::Error| format!("cannot read the folder `{}`: {e}", shown.display());
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        let Some(file_name) = path.file_name() else {
            continue;
        };
        let shown_path = shown.join(file_name);
        let is_template = path.extension().is_some_and(|e| e == "hbs");
        // Follows symbolic links, as `include_str!` does; what cannot be
        // read matters only for a template.
        let is_dir = match fs::metadata(&path) {
            Ok(meta) => meta.is_dir(),
            Err(e) if is_template => return Err(format!("cannot read the template `{}`: {e}", shown_path.display())),
            Err(_) => continue,
        };
        if !is_dir && !is_template {
            continue;
        }
        let Some(file_name) = file_name.to_str() else {
            return Err(format!(
                "the name of `{}` is not UTF-8, which a template's name must be",
                shown_path.display()
            ));
        };
        if is_dir {
            prefix.push(file_name.to_owned());
            walk(&path, &shown_path, prefix, found)?;
            prefix.pop();
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| format!("cannot read the template `{}`: {e}", shown_path.display()))?;
        if std::str::from_utf8(&bytes).is_err() {
            return Err(format!(
                "the template `{}` is not UTF-8 text, which Handlebars templates must be",
                shown_path.display()
            ));
        }
        let stem = file_name.strip_suffix(".hbs").unwrap_or(file_name);
        let name = prefix.iter().map(String::as_str).chain([stem]).collect::<Vec<_>>().join("/");
        let path = fs::canonicalize(&path).unwrap_or(path);
        found.push(Template { name, path });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, file: &str, text: &[u8]) {
        let path = root.join(file);
        fs::create_dir_all(path.parent().expect("a file has a folder")).expect("the folder is created");
        fs::write(path, text).expect("the file is written");
    }

    fn template_names(found: &[Template]) -> Vec<&str> {
        found.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn every_hbs_file_at_any_depth_sorted_by_name() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        write(dir.path(), "tweepee/index.hbs", b"index");
        write(dir.path(), "tweepee/panels/notes.hbs", b"notes");
        write(dir.path(), "hangar/base.hbs", b"base");
        write(dir.path(), "a.b.hbs", b"dotted");
        write(dir.path(), "README.md", b"not a template");
        write(dir.path(), "tweepee/style.css", b"not a template");
        write(dir.path(), "empty/.keep", b"");
        let found = find(dir.path(), "templates").expect("the folder is read");
        assert_eq!(template_names(&found), ["a.b", "hangar/base", "tweepee/index", "tweepee/panels/notes"]);
        let index = found.iter().find(|t| t.name == "tweepee/index").expect("index is found");
        assert!(index.path.is_absolute(), "{}", index.path.display());
        assert_eq!(fs::read_to_string(&index.path).expect("the path is readable"), "index");
    }

    #[test]
    fn a_missing_folder_is_named() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let error = find(&dir.path().join("nope"), "nope").expect_err("a missing folder is an error");
        assert!(error.starts_with("there is no folder `nope` in this crate"), "{error}");
    }

    #[test]
    fn a_file_is_not_a_folder() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        write(dir.path(), "base.hbs", b"base");
        let error = find(&dir.path().join("base.hbs"), "base.hbs").expect_err("a file is an error");
        assert!(error.starts_with("`base.hbs` is a file, not a folder"), "{error}");
    }

    #[test]
    fn a_folder_without_templates_is_an_error() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        write(dir.path(), "sub/notes.txt", b"text");
        let error = find(dir.path(), "templates").expect_err("no template is an error");
        assert_eq!(error, "there is no `.hbs` file under `templates`, at any depth");
    }

    #[test]
    fn a_template_that_is_not_utf8_is_named() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        write(dir.path(), "good.hbs", b"good");
        write(dir.path(), "sub/bad.hbs", b"caf\xe9");
        let error = find(dir.path(), "templates").expect_err("bad UTF-8 is an error");
        assert_eq!(error, "the template `templates/sub/bad.hbs` is not UTF-8 text, which Handlebars templates must be");
    }

    #[test]
    fn the_expansion_is_a_slice_of_names_and_included_sources() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        write(dir.path(), "templates/hangar/admin/list.hbs", b"list");
        write(dir.path(), "templates/hangar/base.hbs", b"base");
        let folder = LitStr::new("templates", Span::call_site());
        let tokens = embed(&folder, dir.path()).expect("the folder embeds");
        let root = fs::canonicalize(dir.path()).expect("the folder has a path");
        let path = |file: &str| root.join(file).to_str().expect("the path is UTF-8").to_owned();
        let (list, base) = (path("templates/hangar/admin/list.hbs"), path("templates/hangar/base.hbs"));
        let expected = quote!(
            (&[("hangar/admin/list", ::core::include_str!(#list)), ("hangar/base", ::core::include_str!(#base))]
                as &'static [(&'static str, &'static str)])
        );
        assert_eq!(tokens.to_string(), expected.to_string());
    }

    #[test]
    fn the_folder_must_be_one_string_literal() {
        for source in ["templates", "", "\"a\", \"b\"", "concat!(\"a\")"] {
            let input: TokenStream = source.parse().expect("the input lexes");
            assert!(expand(input).is_err(), "{source}");
        }
        let input: TokenStream = "\"templates\",".parse().expect("the input lexes");
        assert!(syn::parse2::<Folder>(input).is_ok());
    }
}
