//! The XSS corpus and its detector, with a page made to be vulnerable that
//! proves the detector fires for every payload.

mod corpus;

pub(crate) use corpus::{omnibus, Context, PAYLOADS};
use hangar::templates::HtmlPage;
use rocket::response::content::RawHtml;
use serde_json::Value;

use crate::site::Site;

/// What the detector saw on a page.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    /// Elements or attributes marked `data-xss`: markup got through.
    pub(crate) marked: u64,
    /// Links whose scheme is `javascript:`.
    pub(crate) script_links: u64,
    /// Whether a payload's script ran (`window.__xss`).
    pub(crate) ran: bool,
    /// The text of a dialog a payload opened.
    pub(crate) alert: Option<String>,
}

impl Seen {
    /// Whether any payload got through.
    pub(crate) fn fired(&self) -> bool {
        self.marked > 0 || self.script_links > 0 || self.ran || self.alert.is_some()
    }
}

/// Reads the page the browser shows: markup marked `data-xss`, links to
/// `javascript:`, the flag a script sets, an open dialog.
const DETECT: &str = "return {
    marked: document.querySelectorAll('[data-xss]').length,
    links: Array.from(document.querySelectorAll('a[href], area[href]')).filter(a => a.protocol === 'javascript:').length,
    ran: window.__xss === 1
};";

/// Opens `path` and runs the detector.
pub(crate) fn visit(site: &Site, path: &str) -> Seen {
    let opened = site.browser.try_goto(&site.app.url(path));
    let alert = site.browser.take_alert();
    if let Err(e) = opened {
        assert!(alert.is_some(), "could not open {path}: {e}");
    }
    let found: Value = site.browser.execute(DETECT, &[]);
    Seen {
        marked: found["marked"].as_u64().unwrap_or_default(),
        script_links: found["links"].as_u64().unwrap_or_default(),
        ran: found["ran"].as_bool().unwrap_or_default(),
        alert,
    }
}

/// `GET /xss-control?<context>&<csp>&<payload>`: the payload written raw
/// into the context it is made for. With `csp`, as a hangar page with its
/// headers (markup gets through, script is stopped); without, as bare
/// HTML (script runs too). Mounted only by this test.
#[rocket::get("/xss-control?<context>&<csp>&<payload>")]
pub(crate) fn control(context: &str, csp: bool, payload: &str) -> Result<HtmlPage, RawHtml<String>> {
    let html = vulnerable(context, payload);
    if csp {
        Ok(HtmlPage::ok(html))
    } else {
        Err(RawHtml(html))
    }
}

/// The name of `context` in the control's query.
pub(crate) fn context_name(context: Context) -> String {
    format!("{context:?}")
}

fn vulnerable(context: &str, payload: &str) -> String {
    let (head, body) = match context {
        "Body" => (String::new(), payload.to_owned()),
        "DoubleQuoted" => (String::new(), format!("<input value=\"{payload}\">")),
        "SingleQuoted" => (String::new(), format!("<input value='{payload}'>")),
        "Textarea" => (String::new(), format!("<textarea>{payload}</textarea>")),
        "Title" => (format!("<title>{payload}</title>"), "control".to_owned()),
        "Script" => (String::new(), format!("<script type=\"application/json\">{payload}</script>")),
        "Style" => (String::new(), format!("<style>{payload}</style>")),
        "Comment" => (String::new(), format!("<!-- {payload} -->")),
        "Href" => (String::new(), format!("<a href=\"{payload}\">link</a>")),
        "Decoded" => (String::new(), decoded(payload)),
        other => panic!("no context {other}"),
    };
    format!("<!doctype html><html><head><meta charset=\"utf-8\">{head}</head><body>{body}</body></html>")
}

/// What a careless page does: decodes entities, JSON escapes, percent
/// escapes and fullwidth brackets, then writes the result raw.
fn decoded(text: &str) -> String {
    let mut out = text.to_owned();
    for (from, to) in [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("\\u003c", "<"),
        ("\\u003e", ">"),
        ("%3C", "<"),
        ("%3E", ">"),
        ("%20", " "),
        ("\u{FF1C}", "<"),
        ("\u{FF1E}", ">"),
    ] {
        out = out.replace(from, to);
    }
    out
}
