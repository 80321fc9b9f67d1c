//! The XML API (`/xml/v1/request.api`): all 15 CIM functions,
//! `createTransactionRequest` and the two Transaction Reporting calls
//! `getUnsettledTransactionListRequest` / `getTransactionDetailsRequest`, in
//! XML and in the JSON shape Authorize.Net's official SDKs use, in both
//! directions.
//!
//! - Server side (the sandbox): [`decode_request`] bytes → [`ApiRequest`],
//!   [`encode_response`] [`ApiResponse`] → bytes.
//! - Client side (the relay): [`encode_request`], [`decode_response`].
//!
//! Wire structs mirror `AnetApiSchema.xsd` (element order is the schema's
//! `xsd:sequence`); newer-schema elements this crate does not model are
//! accepted and dropped. Card numbers, card codes, bank numbers and the
//! transaction key are redacting types (`Debug` prints `***`).
//!
//! Safety: documents with a DTD are rejected (so no entity can expand), and
//! size, depth and element-count limits apply ([`MAX_BODY_BYTES`],
//! [`MAX_DEPTH`], [`MAX_NODES`]); no input makes a decoder panic.

mod codec;
pub mod codes;
mod domain;
mod messages;
mod reporting;
mod transaction;
mod tree;
mod types;

pub use codec::{NumericString, SecretText, mask};
pub use domain::{DomainCard, SavedCard, SavedCardError, parse_direct_response};
pub use messages::*;
pub use reporting::*;
pub use transaction::*;
pub use tree::{MAX_BODY_BYTES, MAX_DEPTH, MAX_NODES, NAMESPACE};
pub use types::*;

use codec::Form;

/// Why a document could not be read. Each maps to the gateway's message code
/// ([`ApiError::code`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The content type is neither XML nor JSON (E00002).
    #[error("The content-type specified is not supported.")]
    UnsupportedContentType,
    /// Not well-formed XML/JSON, or a DTD (E00003).
    #[error("{0}")]
    Parse(String),
    /// Well-formed but not valid against the schema (E00003).
    #[error("{0}")]
    Schema(String),
    /// Over the size or element-count limit (E00003).
    #[error("The request is too large.")]
    TooLarge,
    /// The root does not declare the schema namespace (E00045).
    #[error("The root node does not reference a valid XML namespace.")]
    Namespace,
    /// The root element names no known function (E00004).
    #[error("The name of the requested API method is invalid.")]
    UnknownMethod(String),
}

impl ApiError {
    /// The gateway message code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::UnsupportedContentType => codes::E00002,
            ApiError::Parse(_) | ApiError::Schema(_) | ApiError::TooLarge => codes::E00003,
            ApiError::Namespace => codes::E00045,
            ApiError::UnknownMethod(_) => codes::E00004,
        }
    }

    /// The gateway's message text for this error (E00003 carries the
    /// validator's detail, as the real gateway does).
    pub fn text(&self) -> String {
        match self {
            ApiError::Parse(detail) | ApiError::Schema(detail) => detail.clone(),
            other => other.to_string(),
        }
    }

    /// The `ErrorResponse` the gateway answers with.
    pub fn to_response(&self) -> ApiResponse {
        ApiResponse::Error(ErrorResponse {
            ref_id: None,
            messages: Messages::error(self.code(), self.text()),
        })
    }
}

/// The two wire forms of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// The form named by a `Content-Type` header. XML: `text/xml`,
    /// `application/xml`; JSON: `application/json`, `text/json`. Anything
    /// else is E00002. Without a header the body is sniffed.
    pub fn from_content_type(content_type: Option<&str>, body: &[u8]) -> Result<Format, ApiError> {
        match content_type {
            Some(ct) => {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase();
                match mime.as_str() {
                    "text/xml" | "application/xml" => Ok(Format::Xml),
                    "application/json" | "text/json" => Ok(Format::Json),
                    _ => Err(ApiError::UnsupportedContentType),
                }
            }
            None => Ok(Format::sniff(body)),
        }
    }

    /// `{` first (after a BOM and whitespace) means JSON, anything else XML.
    pub fn sniff(body: &[u8]) -> Format {
        let body = body.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(body);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Format::Json,
            _ => Format::Xml,
        }
    }

    /// The response content type the gateway sends for this form.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "application/xml; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
        }
    }

    fn form(self) -> Form {
        match self {
            Format::Xml => Form::Xml,
            Format::Json => Form::Json,
        }
    }
}

impl Messages {
    /// `Ok` / `I00001 Successful.`
    pub fn ok() -> Messages {
        Messages::single(ResultCode::Ok, codes::I00001, "Successful.")
    }
    /// `Error` with one message.
    pub fn error(code: &str, text: impl Into<String>) -> Messages {
        Messages::single(ResultCode::Error, code, text)
    }
    /// `Error` with the code's standard text.
    pub fn error_code(code: &str) -> Messages {
        Messages::error(
            code,
            codes::message_text(code)
                .unwrap_or("An error occurred during processing. Please try again."),
        )
    }
    fn single(result_code: ResultCode, code: &str, text: impl Into<String>) -> Messages {
        Messages {
            result_code,
            message: vec![Message {
                code: code.to_owned(),
                text: text.into(),
            }],
        }
    }
    /// Whether the result is `Ok`.
    pub fn is_ok(&self) -> bool {
        self.result_code == ResultCode::Ok
    }
    /// The first (primary) message code.
    pub fn first_code(&self) -> Option<&str> {
        self.message.first().map(|m| m.code.as_str())
    }
}

/// Server side: reads a request in either form. Tolerates a UTF-8 BOM and
/// `xmlns:xsi`/`xmlns:xsd` declarations; requires the schema namespace on an
/// XML root (E00045).
pub fn decode_request(bytes: &[u8], format: Format) -> Result<ApiRequest, ApiError> {
    let doc = match format {
        Format::Xml => tree::parse_xml(bytes, true)?,
        Format::Json => tree::parse_json(bytes, None)?,
    };
    ApiRequest::from_tree(&doc.root, format.form())
}

/// Server side: writes a response as the gateway does — XML with a leading
/// UTF-8 BOM, the `xsi`/`xsd` declarations and the default namespace; JSON as
/// a bare object (no root key), also BOM-prefixed, `messages.message` and
/// other repeated elements as arrays.
pub fn encode_response(response: &ApiResponse, format: Format) -> Vec<u8> {
    let root = response.to_tree();
    match format {
        Format::Xml => tree::write_xml(&root, true, true),
        Format::Json => tree::write_json(&root, false, true),
    }
}

/// Client side: writes a request (XML with the default namespace, or JSON
/// `{"<function>Request": {...}}`), no BOM.
pub fn encode_request(request: &ApiRequest, format: Format) -> Vec<u8> {
    let root = request.to_tree();
    match format {
        Format::Xml => tree::write_xml(&root, false, false),
        Format::Json => tree::write_json(&root, true, false),
    }
}

/// Client side: reads a response. XML names its function by the root;
/// a JSON response carries no root key, so `expected` says which function was
/// called (an `ErrorResponse`-shaped body still decodes, as that function's
/// response with only the envelope).
pub fn decode_response(
    bytes: &[u8],
    format: Format,
    expected: Function,
) -> Result<ApiResponse, ApiError> {
    match format {
        Format::Xml => {
            let doc = tree::parse_xml(bytes, false)?;
            ApiResponse::from_tree(&doc.root, Form::Xml)
        }
        Format::Json => {
            let doc = tree::parse_json(bytes, Some(&expected.response_root()))?;
            ApiResponse::from_tree(&doc.root, Form::Json)
        }
    }
}
