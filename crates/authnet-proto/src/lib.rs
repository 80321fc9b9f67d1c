//! Authorize.Net wire protocol, sans-IO: encode requests to bytes and parse
//! responses from bytes, in both directions (the relay is a client, the
//! sandbox a server), with no sockets and no clock.
//!
//! - [`aim`]: the AIM name/value protocol (`transact.dll`): request builder,
//!   delimited response parser/encoder, and the one outcome table.
//! - [`api`]: the XML API (`request.api`), in XML and in the official SDKs'
//!   JSON shape: CIM functions, `createTransactionRequest`, and the
//!   Transaction Reporting calls `getUnsettledTransactionListRequest` and
//!   `getTransactionDetailsRequest`.

pub mod aim;
pub mod api;
