//! The wire under the WebDriver client: one HTTP/1.1 exchange with
//! `chromedriver` per command, `Connection: close`, JSON bodies.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use serde_json::Value;

use super::COMMAND_TIMEOUT;

/// Sends one WebDriver command and returns the response's `value`, or
/// WebDriver's error as `error: message`.
pub(super) fn command(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let (status, mut response) = http(port, method, path, body)?;
    let value = response["value"].take();
    match value["error"].as_str() {
        Some(error) => {
            let message = value["message"].as_str().unwrap_or_default();
            let message = message.lines().next().unwrap_or_default();
            // chromedriver's messages usually start with the error's name.
            let message = message.strip_prefix(error).and_then(|m| m.strip_prefix(": ")).unwrap_or(message);
            Err(format!("{error}: {message}"))
        }
        None if !(200..300).contains(&status) => Err(format!("HTTP {status} from chromedriver: {response}")),
        None => Ok(value),
    }
}

/// One HTTP/1.1 exchange with the server on 127.0.0.1:`port`: the status
/// code and the JSON body.
pub(super) fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<(u16, Value), String> {
    let fail = |e: std::io::Error| format!("{method} {path} on chromedriver: {e}");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(fail)?;
    stream.set_read_timeout(Some(COMMAND_TIMEOUT)).map_err(fail)?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(fail)?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).map_err(fail)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| format!("{method} {path}: not an HTTP response: {line:?}"))?;
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        reader.read_line(&mut line).map_err(fail)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            }
        }
    }
    let mut bytes = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line).map_err(fail)?;
            let size = line.trim().split(';').next().unwrap_or_default();
            let size = usize::from_str_radix(size, 16).map_err(|_| format!("{method} {path}: bad chunk {line:?}"))?;
            if size == 0 {
                break;
            }
            let start = bytes.len();
            bytes.resize(start + size, 0);
            reader.read_exact(&mut bytes[start..]).map_err(fail)?;
            line.clear();
            reader.read_line(&mut line).map_err(fail)?;
        }
    } else if let Some(length) = length {
        bytes.resize(length, 0);
        reader.read_exact(&mut bytes).map_err(fail)?;
    } else {
        reader.read_to_end(&mut bytes).map_err(fail)?;
    }
    let json =
        if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).map_err(|e| e.to_string())? };
    Ok((status, json))
}
