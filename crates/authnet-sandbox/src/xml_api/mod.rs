//! `POST /xml/v1/request.api`: the XML API in XML and in the official SDKs'
//! JSON, with the CIM profile store ([`CimStore`], kept in the sandbox as
//! `sandbox.extension::<CimStore>()`).
//!
//! Codec work is `authnet_proto::api`; this module authenticates, applies the
//! CIM rules of the fact sheet §5 (duplicates, limits, masking, cascading
//! deletes, validation modes), and sends every payment — profile transactions,
//! validations and `createTransactionRequest` — through
//! [`crate::Sandbox::transact`], so AIM and the XML API share one ledger;
//! the Transaction Reporting calls (`getUnsettledTransactionListRequest`,
//! `getTransactionDetailsRequest`) read that ledger.
//!
//! Responses are HTTP 200 for every API outcome, XML with a leading UTF-8 BOM
//! and `application/xml; charset=utf-8`, or JSON (also BOM-prefixed, as the
//! gateway sends it; the node SDK's HTTP client strips it) when the request
//! was JSON.

mod handlers;
mod payments;
mod reporting;
pub mod store;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use authnet_proto::api::{self, ApiResponse, Format};

pub use store::{CimError, CimStore, MAX_PAYMENT_PROFILES, MAX_SHIPPING_ADDRESSES};

use crate::Sandbox;

/// Bodies above this are refused by the HTTP layer (413); bodies between
/// [`api::MAX_BODY_BYTES`] and this get an E00003 answer.
const HTTP_BODY_LIMIT: usize = 2 * api::MAX_BODY_BYTES;

/// The XML API routes: `POST /xml/v1/request.api`.
pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/xml/v1/request.api", post(request_api))
        .layer(DefaultBodyLimit::max(HTTP_BODY_LIMIT))
}

#[tracing::instrument(skip_all, fields(function))]
async fn request_api(State(sandbox): State<Sandbox>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let (response, format) = answer(&sandbox, content_type, &body);
    tracing::Span::current().record("function", response.root_name());
    tracing::info!(result = ?response.messages().result_code, code = response.messages().first_code(), "xml api");
    reply(&response, format)
}

/// Decodes, authenticates and dispatches one request; never fails (every
/// problem is an API error answer).
pub fn answer(sandbox: &Sandbox, content_type: Option<&str>, body: &[u8]) -> (ApiResponse, Format) {
    let format = match Format::from_content_type(content_type, body) {
        Ok(f) => f,
        Err(e) => return (e.to_response(), Format::sniff(body)),
    };
    let request = match api::decode_request(body, format) {
        Ok(r) => r,
        Err(e) => return (e.to_response(), format),
    };
    (handlers::dispatch(sandbox, request), format)
}

/// Encodes an answer as the gateway does (200, BOM, charset).
pub fn reply(response: &ApiResponse, format: Format) -> Response {
    let body = api::encode_response(response, format);
    let mut res = (StatusCode::OK, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    res
}
