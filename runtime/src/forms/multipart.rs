//! `multipart/form-data` bodies: what an HTML form with a file input sends
//! (RFC 7578). Each part is a text field, read into [`Params`], or a file,
//! kept as an [`Upload`].

use std::fmt;

use super::Params;

/// A file a form sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    /// The file input's name.
    pub name: String,
    /// The file's name as the browser gave it: empty when the input was
    /// left without a file.
    pub filename: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Upload {
    /// Whether a file was chosen: browsers send a part with an empty file
    /// name for a file input left empty.
    pub fn is_chosen(&self) -> bool {
        !self.filename.is_empty()
    }
}

impl fmt::Debug for Upload {
    /// The name and the size, never the bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("name", &self.name)
            .field("filename", &self.filename)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A multipart body read: its text fields and its files, in order.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    /// The text fields.
    pub params: Params,
    /// The files.
    pub files: Vec<Upload>,
}

/// Why a multipart body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartError(&'static str);

impl fmt::Display for MultipartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the multipart body could not be read: {}", self.0)
    }
}

impl std::error::Error for MultipartError {}

/// The first index at or after `from` where `needle` starts in `haystack`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let rest = haystack.get(from..)?;
    let (&first, tail) = needle.split_first()?;
    let mut at = 0;
    while let Some(offset) = rest.get(at..).and_then(|r| r.iter().position(|&b| b == first)) {
        let start = at + offset;
        if rest.get(start + 1..start + needle.len()) == Some(tail) {
            return Some(from + start);
        }
        at = start + 1;
    }
    None
}

/// The parameters of a `Content-Disposition` header: `form-data;
/// name="field"; filename="a.png"`, each value unquoted.
fn disposition_params(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    // The disposition type, up to the first `;`.
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ';') {
            chars.next();
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ';' {
                break;
            }
            key.push(c);
            chars.next();
        }
        if key.is_empty() {
            return out;
        }
        let mut val = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => val.extend(chars.next()),
                        c => val.push(c),
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ';' {
                        break;
                    }
                    val.push(c);
                    chars.next();
                }
            }
        }
        out.push((key.trim().to_ascii_lowercase(), val.trim_end().to_owned()));
    }
}

/// Reads `body`, a `multipart/form-data` body whose parts are separated by
/// `boundary`: text parts into [`Params`] (they must be UTF-8), parts with
/// a `filename` into [`Upload`]s.
pub fn parse_multipart(body: &[u8], boundary: &str) -> Result<Multipart, MultipartError> {
    if boundary.is_empty() || boundary.len() > 70 {
        return Err(MultipartError("its boundary is missing or longer than 70 characters"));
    }
    let delimiter = format!("--{boundary}").into_bytes();
    let next_delimiter = format!("\r\n--{boundary}").into_bytes();
    let mut at = match find(body, &delimiter, 0) {
        Some(start) => start + delimiter.len(),
        None => return Err(MultipartError("it has no part")),
    };
    let mut params = Vec::new();
    let mut files = Vec::new();
    loop {
        // After a delimiter: `--` ends the body, a line break starts a part.
        if body.get(at..at + 2) == Some(b"--") {
            return Ok(Multipart { params: Params::from(params), files });
        }
        while body.get(at).is_some_and(|b| *b == b' ' || *b == b'\t') {
            at += 1;
        }
        if body.get(at..at + 2) != Some(b"\r\n") {
            return Err(MultipartError("a boundary is not followed by a line break"));
        }
        at += 2;
        let headers_end = find(body, b"\r\n\r\n", at).ok_or(MultipartError("a part's headers do not end"))?;
        let headers =
            std::str::from_utf8(&body[at..headers_end]).map_err(|_| MultipartError("a header is not UTF-8"))?;
        let content_start = headers_end + 4;
        let content_end =
            find(body, &next_delimiter, content_start - 2).ok_or(MultipartError("the body ends inside a part"))?;
        // A part with no content has its delimiter right after the headers.
        let content = body.get(content_start..content_end).unwrap_or_default();
        at = content_end + next_delimiter.len();

        let disposition = headers
            .split("\r\n")
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-disposition"))
            .map(|(_, value)| disposition_params(value))
            .ok_or(MultipartError("a part has no Content-Disposition"))?;
        let param = |key: &str| disposition.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let name = param("name").ok_or(MultipartError("a part has no name"))?;
        match param("filename") {
            Some(filename) => files.push(Upload { name, filename, bytes: content.to_vec() }),
            None => {
                let text =
                    String::from_utf8(content.to_vec()).map_err(|_| MultipartError("a text field is not UTF-8"))?;
                params.push((name, text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDARY: &str = "----WebKitFormBoundaryx7Qe";

    fn body(parts: &[&[u8]]) -> Vec<u8> {
        let mut out = b"preamble\r\n".to_vec();
        for part in parts {
            out.extend(format!("--{BOUNDARY}\r\n").as_bytes());
            out.extend(*part);
            out.extend(b"\r\n");
        }
        out.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }

    #[test]
    fn text_fields_and_files_are_read_apart() {
        let image: &[u8] = b"Content-Disposition: form-data; name=\"image\"; filename=\"a \\\"b\\\".png\"\r\n\
                             Content-Type: image/png\r\n\r\n\x89PNG\r\n\x00\xff--not a boundary";
        let parts: [&[u8]; 4] = [
            b"Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok",
            b"content-disposition: form-data; name=\"notes\"\r\n\r\nline one\r\nline two",
            image,
            b"Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\
              Content-Type: application/octet-stream\r\n\r\n",
        ];
        let read = parse_multipart(&body(&parts), BOUNDARY).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.params.get("csrf_token"), Some("tok"));
        assert_eq!(read.params.get("notes"), Some("line one\r\nline two"));
        assert_eq!(read.files.len(), 2);
        assert_eq!(read.files[0].name, "image");
        assert_eq!(read.files[0].filename, "a \"b\".png");
        assert_eq!(read.files[0].bytes, b"\x89PNG\r\n\x00\xff--not a boundary");
        assert!(read.files[0].is_chosen());
        assert_eq!(read.files[1].bytes, b"");
        assert!(!read.files[1].is_chosen(), "an empty file input");
        assert_eq!(
            format!("{:?}", read.files[0]),
            "Upload { name: \"image\", filename: \"a \\\"b\\\".png\", len: 24 }"
        );
    }

    #[test]
    fn broken_bodies_are_errors_not_panics() {
        let whole = body(&[b"Content-Disposition: form-data; name=\"a\"\r\n\r\nxyz"]);
        for cut in 0..whole.len() {
            // Every prefix either reads or is refused.
            let _ = parse_multipart(&whole[..cut], BOUNDARY);
        }
        assert!(parse_multipart(&whole, BOUNDARY).is_ok());
        assert!(parse_multipart(&whole, "other").is_err());
        assert!(parse_multipart(&whole, "").is_err());
        let nameless = body(&[b"Content-Disposition: form-data\r\n\r\nxyz"]);
        assert_eq!(parse_multipart(&nameless, BOUNDARY).err(), Some(MultipartError("a part has no name")));
        let latin1 = body(&[b"Content-Disposition: form-data; name=\"a\"\r\n\r\n\xe9"]);
        assert_eq!(parse_multipart(&latin1, BOUNDARY).err(), Some(MultipartError("a text field is not UTF-8")));
        let unended = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxyz");
        assert!(parse_multipart(unended.as_bytes(), BOUNDARY).is_err());
    }

    #[test]
    fn an_empty_form_has_no_parts() {
        let read = parse_multipart(format!("--{BOUNDARY}--\r\n").as_bytes(), BOUNDARY).unwrap_or_default();
        assert!(read.params.is_empty() && read.files.is_empty());
    }
}
