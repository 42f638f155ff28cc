//! A blocking HTTP client that never turns a status into an error: the
//! suites count statuses, they do not stop at the first 5xx. Every body it
//! reads is searched for a password hash; one found fails the run at its end
//! ([`hashes_shown`]).

use std::sync::Mutex;
use std::time::Duration;

/// Each answer that showed a password hash, as `METHOD url: prefix`.
static HASHES_SHOWN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// `Some("METHOD url: prefix")` when `body` shows a password hash.
fn hash_in(method: &str, url: &str, body: &str) -> Option<String> {
    hangar::utils::find_password_hash(body).map(|prefix| format!("{method} {url}: `{prefix}`"))
}

/// An error naming every answer so far that showed a password hash.
pub(crate) fn hashes_shown() -> Result<(), String> {
    let shown = HASHES_SHOWN.lock().map(|s| s.clone()).unwrap_or_default();
    match shown.as_slice() {
        [] => Ok(()),
        [first, ..] => Err(format!("{} answers showed a password hash, first {first}", shown.len())),
    }
}

/// What came back.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    /// `Set-Cookie` values, each cut at its first `;`.
    pub(crate) cookies: Vec<String>,
    pub(crate) content_type: String,
    /// Every header, names in lower case, in the order received.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    /// The body as JSON, or `Null`.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The first value of header `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One client: no redirects followed, a timeout on every request.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    agent: ureq::Agent,
}

impl Default for Client {
    fn default() -> Self {
        Client::new(Duration::from_secs(30))
    }
}

impl Client {
    pub(crate) fn new(timeout: Duration) -> Self {
        Client { agent: ureq::AgentBuilder::new().redirects(0).timeout(timeout).build() }
    }

    /// Sends `method url` with `headers` and `body`. A connection that
    /// fails is an `Err`; any status is an `Ok`.
    pub(crate) fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Reply, String> {
        let mut request = self.agent.request(method, url);
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let result = match body {
            Some(body) => request.send_string(body),
            None => request.call(),
        };
        let response = match result {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(e) => return Err(format!("{method} {url}: {e}")),
        };
        let status = response.status();
        let cookies =
            response.all("set-cookie").iter().map(|c| c.split(';').next().unwrap_or_default().to_owned()).collect();
        let content_type = response.content_type().to_owned();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|name| response.header(&name).map(|value| (name.clone(), value.to_owned())))
            .collect();
        let body = response.into_string().map_err(|e| format!("{method} {url}: reading the body: {e}"))?;
        if let Some(shown) = hash_in(method, url, &body) {
            HASHES_SHOWN.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(shown);
        }
        Ok(Reply { status, cookies, content_type, headers, body })
    }

    pub(crate) fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<Reply, String> {
        self.send("GET", url, headers, None)
    }

    /// Logs in through `/accounts/login/` and answers the session's
    /// `Cookie` header value.
    pub(crate) fn login(&self, base: &str, username: &str, password: &str) -> Result<String, String> {
        let page = self.get(&format!("{base}/accounts/login/"), &[])?;
        let token = csrf_token(&page.body).ok_or("the login page has no CSRF token")?;
        let cookie = page.cookies.join("; ");
        let body = format!(
            "csrf_token={}&username={}&password={}",
            hangar::forms::encode_component(&token),
            hangar::forms::encode_component(username),
            hangar::forms::encode_component(password)
        );
        let reply = self.send(
            "POST",
            &format!("{base}/accounts/login/"),
            &[("Cookie", &cookie), ("Content-Type", "application/x-www-form-urlencoded")],
            Some(&body),
        )?;
        if !(300..400).contains(&reply.status) || reply.cookies.is_empty() {
            return Err(format!("logging in as {username} at {base} answered {}", reply.status));
        }
        Ok(reply.cookies.join("; "))
    }
}

/// The `csrf_token` hidden field of a page.
pub(crate) fn csrf_token(page: &str) -> Option<String> {
    page.split("name=\"csrf_token\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).map(str::to_owned)
}

/// `Authorization: Basic ...` for `username:password`.
pub(crate) fn basic(username: &str, password: &str) -> String {
    use base64ct::{Base64, Encoding};
    format!("Basic {}", Base64::encode_string(format!("{username}:{password}").as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn basic_credentials_are_base64() {
        assert_eq!(super::basic("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(super::basic("a", "b"), "Basic YTpi");
    }

    #[test]
    fn a_body_showing_a_password_hash_is_caught() {
        let hash = hangar::utils::make_password_with("secret", hangar::utils::TEST_ITERATIONS);
        let body = format!(r#"{{"username": "ada", "password": "{hash}"}}"#);
        let shown = super::hash_in("GET", "http://127.0.0.1/api/user/1/", &body);
        assert_eq!(shown.as_deref(), Some("GET http://127.0.0.1/api/user/1/: `$pbkdf2`"));
        for werkzeug in ["pbkdf2:sha256:600000$salt$abc", "scrypt:32768:8:1$salt$abc"] {
            assert!(super::hash_in("GET", "/", werkzeug).is_some(), "{werkzeug}");
        }
        assert_eq!(super::hash_in("GET", "/", r#"{"username": "ada"}"#), None);
    }
}
