//! AIM (`transact.dll`): form-encoded `x_` fields in, one delimited line out.
//!
//! - [`AimRequest`]: client-side builder for the six `x_type`s, validated
//!   against the guide's limits, encoded with `serde_urlencoded`.
//! - [`ParsedAimRequest`] / [`decode_form`]: the server direction (the sandbox).
//! - [`AimResponse`]: the 3.1 response, `parse` from bytes and `encode` to text
//!   (also CIM's `directResponse`).
//! - [`outcome`]: the one table from (response code, reason, AVS, card code) to
//!   what the relay does.
//! - [`reason`]: reason code → response code and gateway text.
//! - [`md5`]: the response hash (§3.10); [`AimResponse::verify_md5`].
//!
//! Client side:
//! ```text
//! let body = AimRequest::auth_capture(creds, amount, CardData::full(number, expiry, code))
//!     .with_invoice("INV-1").with_duplicate_window(120).encode()?;   // validates first
//! let resp = AimResponse::parse(&bytes, b'|', Some(b'"'))?;            // framing sent by default
//! match classify(&resp) { Outcome::Approved { .. } => …, Outcome::Declined { blame, .. } => …, … }
//! ```
//! Server side (the sandbox): `decode_form(bytes)` → [`ParsedAimRequest`]
//! (typed accessors return [`AimRequestError`] with `reason_code()`), then
//! `AimResponse::encode(delim, encap)`. CIM `directResponse` strings use
//! `encode(b',', None)` / `parse(bytes, b',', None)` (§5.7).

pub mod codes;
pub mod form;
pub mod md5;
pub mod outcome;
pub mod reason;
pub mod request;
pub mod response;

pub use codes::{AvsResult, CardCodeResult, CavvResult, ResponseCode, TransactionType};
pub use form::{AimRequestError, ParsedAimRequest, decode_form};
pub use outcome::{BlameField, Outcome, classify};
pub use request::{AimRequest, BuildError, CardData, Charge, Credentials, LineItem};
pub use response::{AimParseError, AimResponse, ResponseAddress};
