//! `/_sandbox/*` control endpoints, mounted only when `enable_control` is set.
//!
//! | Method | Path | Body | Answer |
//! |---|---|---|---|
//! | POST | `/_sandbox/settle` | — | `{"batch_id": n, "settled": n}` |
//! | GET | `/_sandbox/ledger` | — | `[{id, type, state, amount, last4, invoice, …}]` |
//! | GET | `/_sandbox/faults` | — | active faults |
//! | POST | `/_sandbox/faults` | a [`Fault`] | `{"ok": true}` (403 when faults are disabled) |
//! | DELETE | `/_sandbox/faults` | — | `{"ok": true}` |
//! | POST | `/_sandbox/clock` | `{"advance_secs": n}` | `{"now": unix_secs}` |
//! | POST | `/_sandbox/reset` | — | `{"ok": true}` |

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::Sandbox;
use crate::faults::{Fault, FaultsDisabled};
use crate::ledger::LedgerEntry;

/// Errors of the control API, mapped to status + JSON in one place.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error(transparent)]
    FaultsDisabled(#[from] FaultsDisabled),
    #[error("invalid JSON body: {0}")]
    BadJson(String),
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let status = match self {
            ControlError::FaultsDisabled(_) => StatusCode::FORBIDDEN,
            ControlError::BadJson(_) => StatusCode::BAD_REQUEST,
        };
        (status, Json(json!({ "error": self.to_string() }))).into_response()
    }
}

impl From<JsonRejection> for ControlError {
    fn from(r: JsonRejection) -> Self {
        ControlError::BadJson(r.body_text())
    }
}

pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/_sandbox/settle", post(settle))
        .route("/_sandbox/ledger", get(ledger))
        .route(
            "/_sandbox/faults",
            get(list_faults).post(set_fault).delete(clear_faults),
        )
        .route("/_sandbox/clock", post(clock))
        .route("/_sandbox/reset", post(reset))
}

async fn settle(State(sb): State<Sandbox>) -> Json<serde_json::Value> {
    let (batch_id, settled) = sb.settle_now();
    Json(json!({ "batch_id": batch_id, "settled": settled }))
}

async fn ledger(State(sb): State<Sandbox>) -> Json<Vec<LedgerEntry>> {
    Json(sb.ledger())
}

async fn list_faults(State(sb): State<Sandbox>) -> Json<Vec<Fault>> {
    Json(sb.faults())
}

async fn set_fault(
    State(sb): State<Sandbox>,
    body: Result<Json<Fault>, JsonRejection>,
) -> Result<Json<serde_json::Value>, ControlError> {
    let Json(fault) = body?;
    sb.set_fault(fault)?;
    Ok(Json(json!({ "ok": true })))
}

async fn clear_faults(State(sb): State<Sandbox>) -> Json<serde_json::Value> {
    sb.clear_faults();
    Json(json!({ "ok": true }))
}

#[derive(Debug, Deserialize)]
struct ClockBody {
    advance_secs: i64,
}

async fn clock(
    State(sb): State<Sandbox>,
    body: Result<Json<ClockBody>, JsonRejection>,
) -> Result<Json<serde_json::Value>, ControlError> {
    let Json(b) = body?;
    sb.advance_clock(b.advance_secs);
    Ok(Json(json!({ "now": sb.now() })))
}

async fn reset(State(sb): State<Sandbox>) -> Json<serde_json::Value> {
    sb.reset();
    Json(json!({ "ok": true }))
}
