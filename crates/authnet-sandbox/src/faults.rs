//! Fault injection for reliability tests. Off unless the sandbox was built
//! with `enable_faults`; set with `POST /_sandbox/faults` or
//! [`Sandbox::set_fault`]. One fault per endpoint; `count` limits how many
//! requests it hits (then it clears itself).
//!
//! JSON (`POST /_sandbox/faults`):
//! `{"endpoint": "aim" | "xml", "kind": "delay" | "status_500" |
//! "status_500_after_commit" | "close_before_commit" | "close_after_commit" |
//! "truncate" | "malformed", "delay_ms": 0, "count": 1}`.
//! The request is processed first (on its own task: a client that gives up
//! cannot cancel the commit), then the response is held back `delay_ms`, then
//! the kind applies (`status_500` and `close_before_commit` never process).
//! `count` absent = until cleared.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;

use crate::{Sandbox, lock};

/// Which gateway endpoint a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultTarget {
    /// `POST /gateway/transact.dll`.
    Aim,
    /// `POST /xml/v1/request.api`.
    Xml,
}

/// What goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Only the delay; then the normal answer.
    Delay,
    /// HTTP 500 without processing the request.
    #[serde(rename = "status_500")]
    Status500,
    /// Process (commit) the request, then answer HTTP 500.
    #[serde(rename = "status_500_after_commit")]
    Status500AfterCommit,
    /// Drop the TCP connection without processing the request.
    CloseBeforeCommit,
    /// Process (commit) the request, then drop the TCP connection without a
    /// response: the client cannot know the charge went through.
    CloseAfterCommit,
    /// Process, then send only the first half of the body.
    Truncate,
    /// Process, then send a body that is not the protocol's format.
    Malformed,
}

/// One configured fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub endpoint: FaultTarget,
    pub kind: FaultKind,
    #[serde(default)]
    pub delay_ms: u64,
    /// How many requests it applies to; `None` = until cleared.
    #[serde(default)]
    pub count: Option<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct FaultTable {
    pub active: HashMap<FaultTarget, Fault>,
}

/// Marker on a response that tells [`crate::serve`] to drop the connection.
#[derive(Debug, Clone, Copy)]
pub struct AbortConnection;

/// Fault injection is disabled on this sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("fault injection is disabled (start with --enable-faults)")]
pub struct FaultsDisabled;

impl Sandbox {
    /// Installs (replaces) the fault for its endpoint.
    pub fn set_fault(&self, fault: Fault) -> Result<(), FaultsDisabled> {
        if !self.0.config.enable_faults {
            return Err(FaultsDisabled);
        }
        lock(&self.0.faults).active.insert(fault.endpoint, fault);
        Ok(())
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        lock(&self.0.faults).active.clear();
    }

    /// Active faults.
    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.0.faults).active.values().cloned().collect()
    }

    /// The fault for the next request to `target`, counting it down.
    fn take_fault(&self, target: FaultTarget) -> Option<Fault> {
        if !self.0.config.enable_faults {
            return None;
        }
        let mut table = lock(&self.0.faults);
        let fault = table.active.get_mut(&target)?;
        let out = fault.clone();
        match fault.count {
            Some(n) if n <= 1 => {
                table.active.remove(&target);
            }
            Some(n) => fault.count = Some(n - 1),
            None => {}
        }
        Some(out)
    }
}

/// A response that makes [`crate::serve`] close the connection. Through any
/// other server it arrives as an empty 500.
pub fn abort_response() -> Response {
    let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    r.extensions_mut().insert(AbortConnection);
    r
}

/// Route layer applying the endpoint's fault around its handler.
pub async fn middleware(
    State((sandbox, target)): State<(Sandbox, FaultTarget)>,
    req: Request,
    next: Next,
) -> Response {
    let Some(fault) = sandbox.take_fault(target) else {
        return next.run(req).await;
    };
    tracing::info!(endpoint = ?target, kind = ?fault.kind, "injecting fault");
    // Process first (on its own task, so a client that gives up cannot cancel
    // the commit), except for the kinds that never reach the handler.
    let processed = match fault.kind {
        FaultKind::Status500 | FaultKind::CloseBeforeCommit => None,
        _ => Some(
            tokio::spawn(next.run(req))
                .await
                .unwrap_or_else(|_| internal_error()),
        ),
    };
    if fault.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
    }
    let Some(resp) = processed else {
        return match fault.kind {
            FaultKind::CloseBeforeCommit => abort_response(),
            _ => internal_error(),
        };
    };
    match fault.kind {
        FaultKind::Delay => resp,
        FaultKind::Status500 | FaultKind::Status500AfterCommit => internal_error(),
        FaultKind::CloseBeforeCommit | FaultKind::CloseAfterCommit => abort_response(),
        FaultKind::Truncate => {
            let (mut parts, body) = resp.into_parts();
            let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024)
                .await
                .unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(cut))
        }
        FaultKind::Malformed => {
            let mut r = (
                StatusCode::OK,
                "<html><head><title>Gateway</title></head><body>\u{1}\u{2}garbled,,|\"</body>",
            )
                .into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        }
    }
}

fn internal_error() -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
}
