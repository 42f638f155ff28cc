//! The set of named templates: the library's own, embedded in the binary,
//! and the app's, which override them by name.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use handlebars::Handlebars;
use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::{Build, Rocket};
use serde::Serialize;

use crate::Error;

/// The library's templates, by name: every file under `runtime/templates/`.
const EMBEDDED: &[(&str, &str)] = crate::embed_templates!("templates");

/// A set of named Handlebars templates. Cheap to clone.
///
/// Names are paths without the `.hbs` extension: `notes/list` is
/// `templates/notes/list.hbs`. The library's templates live under
/// `hangar/`; an app replaces one by putting a file of the same name in its
/// own templates folder.
#[derive(Clone)]
pub struct Templates {
    registry: Arc<Handlebars<'static>>,
    /// The library's templates the app has replaced by its own.
    replaced: Arc<BTreeSet<String>>,
}

impl Templates {
    /// The library's embedded templates only.
    pub fn embedded() -> Result<Self, Error> {
        let mut registry = Handlebars::new();
        for (name, source) in EMBEDDED {
            register(&mut registry, name, source)?;
        }
        Ok(Templates { registry: Arc::new(registry), replaced: Arc::default() })
    }

    /// The embedded templates, then every `.hbs` file under `dir`, which
    /// override embedded ones of the same name. A missing `dir` adds nothing.
    pub fn with_dir(dir: impl AsRef<Path>) -> Result<Self, Error> {
        let mut templates = Self::embedded()?;
        let dir = dir.as_ref();
        if dir.is_dir() {
            load_dir(&mut templates, dir, dir)?;
        }
        Ok(templates)
    }

    /// Adds or replaces the template `name`.
    pub fn add(&mut self, name: &str, source: &str) -> Result<(), Error> {
        register(Arc::make_mut(&mut self.registry), name, source)?;
        if EMBEDDED.iter().any(|(embedded, _)| *embedded == name) {
            Arc::make_mut(&mut self.replaced).insert(name.to_owned());
        }
        Ok(())
    }

    /// Whether `name` is one of the library's templates that the app has
    /// replaced by its own (with [`add`](Self::add) or a file of that name
    /// in its templates folder).
    ///
    /// ```
    /// let mut templates = hangar::templates::Templates::embedded()?;
    /// assert!(!templates.is_replaced("hangar/admin/list_row"));
    /// templates.add("hangar/admin/list_row", "<tr><td>{{display}}</td></tr>")?;
    /// assert!(templates.is_replaced("hangar/admin/list_row"));
    /// # Ok::<(), hangar::Error>(())
    /// ```
    pub fn is_replaced(&self, name: &str) -> bool {
        self.replaced.contains(name)
    }

    /// Adds or replaces every template of `list`, `(name, source)` pairs in
    /// order, such as [`embed_templates!`](crate::embed_templates) gives for
    /// an app's templates folder. A template of `list` named like one of
    /// the library's (`hangar/base`) replaces it.
    ///
    /// ```
    /// use hangar::templates::Templates;
    ///
    /// let mut templates = Templates::embedded()?;
    /// // Every `.hbs` file under this crate's `templates/`, named by its path
    /// // there: `templates/hangar/login.hbs` is `hangar/login`.
    /// templates.add_all(hangar::embed_templates!("templates"))?;
    /// templates.add_all(&[("greeting", "Hello {{name}}!"), ("hangar/flashes", "")])?;
    /// assert_eq!(templates.render("greeting", &serde_json::json!({"name": "Ann"}))?, "Hello Ann!");
    /// assert!(templates.has("hangar/login"));
    /// # Ok::<(), hangar::Error>(())
    /// ```
    pub fn add_all(&mut self, list: &[(&str, &str)]) -> Result<(), Error> {
        for (name, source) in list {
            self.add(name, source)?;
        }
        Ok(())
    }

    /// Whether a template called `name` exists.
    pub fn has(&self, name: &str) -> bool {
        self.registry.has_template(name)
    }

    /// Renders `name` with `context`.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Error> {
        let context = serde_json::to_value(context)
            .map_err(|e| Error::Template(format!("the context of the template `{name}` is not JSON: {e}")))?;
        self.render_json(name, context)
    }

    /// Renders `name` with a context that is JSON already, which it takes
    /// as it is rather than copy.
    pub fn render_json(&self, name: &str, context: serde_json::Value) -> Result<String, Error> {
        self.render_context(name, &handlebars::Context::from(context))
    }

    /// Renders `template` with `context`, then takes the keys `keys` out of
    /// the context, moved rather than copied: what a layout around it (a
    /// site's frame around each page) shows, with the rendered template.
    /// Unlike a partial block (`{{#> layout}}…{{/layout}}`), which hands the
    /// layout a copy of the page's whole context, a layout drawn from these
    /// gets only what it shows.
    pub(crate) fn render_taking(
        &self,
        template: &str,
        context: serde_json::Value,
        keys: &[&str],
    ) -> Result<(String, serde_json::Map<String, serde_json::Value>), Error> {
        let mut context = handlebars::Context::from(context);
        let content = self.render_context(template, &context)?;
        let mut taken = serde_json::Map::new();
        if let serde_json::Value::Object(values) = context.data_mut() {
            for key in keys {
                if let Some(value) = values.remove(*key) {
                    taken.insert((*key).to_owned(), value);
                }
            }
        }
        Ok((content, taken))
    }

    /// Renders `name` with a context Handlebars holds already.
    fn render_context(&self, name: &str, context: &handlebars::Context) -> Result<String, Error> {
        if !self.has(name) {
            return Err(Error::Template(format!("there is no template named `{name}`")));
        }
        self.registry
            .render_with_context(name, context)
            .map_err(|e| Error::Template(format!("rendering the template `{name}` failed: {e}")))
    }

    /// The app's templates when it manages them (see
    /// [`fairing`](Templates::fairing)), else the library's own.
    pub fn of(request: &rocket::Request<'_>) -> Result<Templates, Error> {
        if let Some(templates) = request.rocket().state::<Templates>() {
            return Ok(templates.clone());
        }
        static EMBEDDED_ONLY: OnceLock<Result<Templates, String>> = OnceLock::new();
        EMBEDDED_ONLY.get_or_init(|| Templates::embedded().map_err(|e| e.to_string())).clone().map_err(Error::Template)
    }

    /// A fairing that loads the templates at launch, from the folder named by
    /// `template_dir` in Rocket's configuration (default `templates`), and
    /// manages them as state.
    pub fn fairing() -> TemplatesFairing {
        TemplatesFairing
    }
}

impl fmt::Debug for Templates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<_> = self.registry.get_templates().keys().collect();
        names.sort();
        f.debug_struct("Templates").field("names", &names).finish()
    }
}

fn register(registry: &mut Handlebars<'static>, name: &str, source: &str) -> Result<(), Error> {
    registry
        .register_template_string(name, source)
        .map_err(|e| Error::Template(format!("the template `{name}` does not parse: {e}")))
}

fn load_dir(templates: &mut Templates, root: &Path, dir: &Path) -> Result<(), Error> {
    let unreadable =
        |e: std::io::Error| Error::Template(format!("cannot read the templates in {}: {e}", dir.display()));
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.is_dir() {
            load_dir(templates, root, &path)?;
        } else if path.extension().is_some_and(|e| e == "hbs") {
            let name = path.strip_prefix(root).unwrap_or(&path).with_extension("");
            let name = name.to_string_lossy().replace('\\', "/");
            let source = std::fs::read_to_string(&path).map_err(unreadable)?;
            templates.add(&name, &source)?;
        }
    }
    Ok(())
}

/// Loads [`Templates`] at launch; see [`Templates::fairing`].
#[derive(Debug, Clone, Copy)]
pub struct TemplatesFairing;

#[rocket::async_trait]
impl Fairing for TemplatesFairing {
    fn info(&self) -> Info {
        Info { name: "hangar templates", kind: Kind::Ignite }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        let dir: String = rocket.figment().extract_inner("template_dir").unwrap_or_else(|_| "templates".into());
        match Templates::with_dir(&dir) {
            Ok(templates) => Ok(rocket.manage(templates)),
            Err(e) => {
                log::error!("{e}");
                eprintln!("hangar: {e}");
                Err(rocket)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_templates_are_the_files_under_templates_by_name() -> Result<(), Error> {
        let names: Vec<&str> = EMBEDDED.iter().map(|(name, _)| *name).collect();
        let expected = [
            "hangar/admin/action",
            "hangar/admin/base",
            "hangar/admin/change_fields",
            "hangar/admin/delete",
            "hangar/admin/export",
            "hangar/admin/field",
            "hangar/admin/form",
            "hangar/admin/history",
            "hangar/admin/index",
            "hangar/admin/inline_row",
            "hangar/admin/list",
            "hangar/admin/list_header",
            "hangar/admin/list_pagination",
            "hangar/admin/list_row",
            "hangar/admin/nav_link",
            "hangar/admin/page",
            "hangar/api",
            "hangar/base",
            "hangar/error",
            "hangar/flashes",
            "hangar/login",
            "hangar/pagination",
        ];
        assert_eq!(names, expected);
        let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/hangar/base.hbs"))
            .map_err(|e| Error::Template(e.to_string()))?;
        assert_eq!(EMBEDDED.iter().find(|(name, _)| *name == "hangar/base").map(|(_, source)| *source), Some(&*base));
        let templates = Templates::embedded()?;
        assert!(expected.iter().all(|name| templates.has(name)));
        Ok(())
    }

    #[test]
    fn an_app_template_overrides_an_embedded_one() -> Result<(), Error> {
        let dir = tempfile::tempdir().map_err(|e| Error::Template(e.to_string()))?;
        std::fs::create_dir_all(dir.path().join("hangar")).map_err(|e| Error::Template(e.to_string()))?;
        std::fs::write(dir.path().join("hangar/pagination.hbs"), "custom {{page}}")
            .map_err(|e| Error::Template(e.to_string()))?;
        let templates = Templates::with_dir(dir.path())?;
        assert_eq!(templates.render("hangar/pagination", &serde_json::json!({"page": 4}))?, "custom 4");
        assert!(templates.is_replaced("hangar/pagination"));
        assert!(!templates.is_replaced("hangar/base"));
        Ok(())
    }

    #[test]
    fn a_rendered_template_hands_back_the_keys_its_layout_shows() -> Result<(), Error> {
        let mut templates = Templates::embedded()?;
        templates.add("page", "<p>{{title}}: {{body}}</p>")?;
        let context = serde_json::json!({"title": "Hi", "body": "<b>", "user": {"name": "ann"}});
        let (content, taken) = templates.render_taking("page", context, &["title", "user", "absent"])?;
        assert_eq!(content, "<p>Hi: &lt;b&gt;</p>");
        assert_eq!(serde_json::Value::Object(taken), serde_json::json!({"title": "Hi", "user": {"name": "ann"}}));
        assert!(templates
            .render_taking("nope", serde_json::Value::Null, &[])
            .is_err_and(|e| e.to_string().contains("`nope`")));
        Ok(())
    }

    #[test]
    fn a_missing_template_is_an_error_that_names_it() {
        let error = Templates::embedded().and_then(|t| t.render("nope", &())).err();
        assert!(error.is_some_and(|e| e.to_string().contains("`nope`")));
        let error = Templates::embedded().and_then(|t| t.render_json("nope", serde_json::Value::Null)).err();
        assert!(error.is_some_and(|e| e.to_string().contains("`nope`")));
    }

    #[test]
    fn a_context_given_as_json_renders_as_one_given_to_serialize() -> Result<(), Error> {
        let mut templates = Templates::embedded()?;
        templates
            .add("partials", "{{#> hangar/pagination}}{{/hangar/pagination}}|{{#each rows}}<{{this}}>{{/each}}")?;
        let context = serde_json::json!({"page": 3, "page_count": 5, "rows": ["a&b", 2]});
        let rendered = templates.render_json("partials", context.clone())?;
        assert_eq!(rendered, templates.render("partials", &context)?);
        assert!(rendered.ends_with("|<a&amp;b><2>"), "{rendered}");
        Ok(())
    }
}
