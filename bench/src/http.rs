//! Plain HTTP/1.1 over a TCP socket: enough to check answers and to log in
//! before the load starts.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

/// A raw HTTP/1.1 request: the status, the `Set-Cookie` pairs and the body.
pub(crate) fn request(port: u16, request: &str) -> Result<(u16, Vec<String>, String), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(|e| e.to_string())?;
    let response = String::from_utf8_lossy(&response);
    let (head, body) = response.split_once("\r\n\r\n").ok_or("no HTTP head")?;
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    let cookies = head
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .map(|l| l["set-cookie:".len()..].trim().split(';').next().unwrap_or_default().to_owned())
        .collect();
    Ok((status, cookies, body.to_owned()))
}

/// `GET path`: the status and the body.
pub(crate) fn get(port: u16, path: &str) -> Result<(u16, String), String> {
    get_with_cookie(port, path, None)
}

/// `GET path`, with a `Cookie` header when given one.
pub(crate) fn get_with_cookie(port: u16, path: &str, cookie: Option<&str>) -> Result<(u16, String), String> {
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let (status, _, body) =
        request(port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{cookie}\r\n"))?;
    Ok((status, body))
}

/// Logs in through the login form at `/accounts/login/` (hangar's and
/// flask-peewee's alike), sending the CSRF token when the form has one, and
/// answers the `Cookie` header of the logged-in session.
pub(crate) fn login_cookie(port: u16, username: &str, password: &str) -> Result<String, String> {
    let get = "GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let (_, first, page) = request(port, get)?;
    let token = page.split("name=\"csrf_token\" value=\"").nth(1).and_then(|rest| rest.split('"').next());
    let mut body = format!(
        "username={}&password={}",
        hangar::forms::encode_component(username),
        hangar::forms::encode_component(password)
    );
    if let Some(token) = token {
        body = format!("csrf_token={}&{body}", hangar::forms::encode_component(token));
    }
    let cookie = if first.is_empty() { String::new() } else { format!("Cookie: {}\r\n", first.join("; ")) };
    let post = format!(
        "POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{cookie}\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, cookies, _) = request(port, &post)?;
    if !(300..400).contains(&status) || cookies.is_empty() {
        return Err(format!("logging in as {username} on port {port} answered {status} without a session"));
    }
    // The login's flash rides in the session: show it once, so that the
    // pages loaded with this cookie do not each show it and set a new one.
    let cookie = cookies.join("; ");
    let shown = format!("GET /admin/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: {cookie}\r\n\r\n");
    let (_, fresh, _) = request(port, &shown)?;
    Ok(if fresh.is_empty() { cookie } else { fresh.join("; ") })
}

/// A port nothing listens on.
pub(crate) fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}
