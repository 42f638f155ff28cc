//! The payloads: each breaks out of one HTML context and, if it gets
//! through, leaves an element or attribute marked `data-xss` in the page
//! and, where script may run, sets `window.__xss`.

/// The context a payload is made to break out of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// Text in the page's body.
    Body,
    /// A double-quoted attribute value.
    DoubleQuoted,
    /// A single-quoted attribute value.
    SingleQuoted,
    /// Inside `<textarea>`.
    Textarea,
    /// Inside `<title>`.
    Title,
    /// Inside an inline `<script type="application/json">`.
    Script,
    /// Inside `<style>`.
    Style,
    /// Inside an HTML comment.
    Comment,
    /// An `href`.
    Href,
    /// Text that a careless page decodes (entities, `\u003c`, `%3C`,
    /// fullwidth brackets) before writing it raw.
    Decoded,
}

/// One payload: its text, the context it breaks, and whether its script
/// runs on page load where nothing stops it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Payload {
    pub(crate) text: &'static str,
    pub(crate) context: Context,
    pub(crate) runs: bool,
}

const fn p(text: &'static str, context: Context, runs: bool) -> Payload {
    Payload { text, context, runs }
}

/// The corpus.
pub(crate) const PAYLOADS: &[Payload] = &[
    p("<script data-xss>window.__xss=1</script>", Context::Body, true),
    p("<img data-xss src=x onerror=\"window.__xss=1\">", Context::Body, true),
    p("<svg data-xss onload=\"window.__xss=1\"></svg>", Context::Body, true),
    p("<IMG DATA-XSS SRC=x ONERROR=window.__xss=1>", Context::Body, true),
    p("<img/data-xss/src=\"x\"/onerror=\"window.__xss=1\">", Context::Body, true),
    p("<details data-xss open ontoggle=\"window.__xss=1\"></details>", Context::Body, true),
    p("<img data-xss src=x onerror=alert(1)>", Context::Body, true),
    p("{{#with this}}<img data-xss src=x onerror=window.__xss=1>{{/with}}{{7*7}}", Context::Body, true),
    p("\"><img data-xss src=x onerror=\"window.__xss=1\">", Context::DoubleQuoted, true),
    p("\" data-xss=\"1\" autofocus onfocus=\"window.__xss=1", Context::DoubleQuoted, false),
    p("'><img data-xss src=x onerror='window.__xss=1'>", Context::SingleQuoted, true),
    p("' data-xss='1' onmouseover='window.__xss=1", Context::SingleQuoted, false),
    p("</textarea><img data-xss src=x onerror=\"window.__xss=1\">", Context::Textarea, true),
    p("</title><img data-xss src=x onerror=\"window.__xss=1\">", Context::Title, true),
    p("</script><img data-xss src=x onerror=\"window.__xss=1\">", Context::Script, true),
    p("</ScRiPt ><script data-xss>window.__xss=1</script>", Context::Script, true),
    p("</style><img data-xss src=x onerror=\"window.__xss=1\">", Context::Style, true),
    p("--><img data-xss src=x onerror=\"window.__xss=1\">", Context::Comment, true),
    p("https://x.test/\"><img data-xss src=x onerror=window.__xss=1>", Context::Body, true),
    p("http://x.test/\" data-xss=\"1\" onmouseover=\"window.__xss=1", Context::DoubleQuoted, false),
    p("javascript:window.__xss=1", Context::Href, false),
    p(" JaVaScRiPt:window.__xss=1", Context::Href, false),
    p("&lt;img data-xss src=x onerror=window.__xss=1&gt;", Context::Decoded, true),
    p("\\u003cimg data-xss src=x onerror=window.__xss=1\\u003e", Context::Decoded, true),
    p("%3Cimg%20data-xss%20src=x%20onerror=window.__xss=1%3E", Context::Decoded, true),
    p("\u{FF1C}img data-xss src=x onerror=window.__xss=1\u{FF1E}", Context::Decoded, true),
];

/// Every payload, one after another: one text that tries them all.
pub(crate) fn omnibus() -> String {
    PAYLOADS.iter().map(|p| p.text).collect::<Vec<_>>().join(" ")
}
