//! Reading a request body under a size limit.

use rocket::data::{Data, ToByteUnit};

use crate::Error;

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// It is larger than the limit, in bytes.
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// The connection failed while reading it.
    Unreadable(String),
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::TooLarge { limit } => write!(f, "the request body is larger than the limit of {limit} bytes"),
            BodyError::Unreadable(why) => write!(f, "the request body could not be read: {why}"),
        }
    }
}

impl std::error::Error for BodyError {}

impl From<BodyError> for Error {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge { limit } => Error::PayloadTooLarge { limit },
            e @ BodyError::Unreadable(_) => Error::BadRequest(e.to_string()),
        }
    }
}

/// The whole body, if it is at most `limit` bytes. A longer one is not
/// read past the limit.
pub async fn read_body(data: Data<'_>, limit: u64) -> Result<Vec<u8>, BodyError> {
    let capped = data.open(limit.bytes()).into_bytes().await.map_err(|e| BodyError::Unreadable(e.to_string()))?;
    if !capped.is_complete() {
        return Err(BodyError::TooLarge { limit });
    }
    Ok(capped.into_inner())
}
