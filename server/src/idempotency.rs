//! `Idempotency-Key` for merchant POSTs: the first request with a key runs
//! and its answer is stored; the same key with the same method, path and body
//! gets the stored answer again (no second effect); the same key with anything
//! else gets `409`. A key whose first request is still running gets `409`
//! too, so two concurrent retries never both run. 5xx answers are not stored
//! (the merchant may retry them).

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;

pub const HEADER: &str = "idempotency-key";
const REPLAYED: &str = "idempotent-replayed";
/// Bodies above this are refused before any handler runs.
pub const MAX_BODY: usize = 64 * 1024;

fn merchant_authenticated(req: &Request, state: &AppState) -> bool {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .map(|(scheme, token)| {
            scheme.eq_ignore_ascii_case("bearer")
                && checkout_domain::secret::constant_time_eq(
                    token.trim().as_bytes(),
                    state.config.merchant_secret.expose_secret().as_bytes(),
                )
        })
        .unwrap_or(false)
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_owned))
    else {
        return next.run(req).await;
    };
    let key = match key {
        Ok(k)
            if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| (0x21..0x7f).contains(&b)) =>
        {
            k
        }
        _ => {
            return AppError::field(
                "Idempotency-Key",
                "idempotency_key.invalid",
                "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            )
            .into_response();
        }
    };
    // Unauthenticated requests go straight to the handler (which refuses them)
    // and never touch the key store.
    if !merchant_authenticated(&req, &state) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return AppError::BadRequest("request body too large".into()).into_response();
    };
    let mut h = Sha256::new();
    h.update(parts.method.as_str().as_bytes());
    h.update(b" ");
    h.update(parts.uri.path().as_bytes());
    h.update(b"\n");
    h.update(&bytes);
    let hash = hex::encode(h.finalize());

    match state.db.begin_idempotent(&key, &hash).await {
        Err(e) => AppError::from(e).into_response(),
        Ok(Some(prev)) => {
            if prev.request_hash != hash {
                return AppError::conflict(
                    "idempotency_key_reused",
                    "This Idempotency-Key was already used with a different request (method, path or body).",
                )
                .into_response();
            }
            match (prev.state.as_str(), prev.status_code, prev.response_body) {
                ("done", Some(code), Some(body)) => {
                    let status = u16::try_from(code)
                        .ok()
                        .and_then(|c| StatusCode::from_u16(c).ok())
                        .unwrap_or(StatusCode::OK);
                    let mut resp = (status, body).into_response();
                    resp.headers_mut().insert(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    );
                    resp.headers_mut()
                        .insert(REPLAYED, HeaderValue::from_static("true"));
                    resp
                }
                _ => AppError::conflict(
                    "idempotency_in_progress",
                    "A request with this Idempotency-Key is still being processed; retry shortly.",
                )
                .into_response(),
            }
        }
        Ok(None) => {
            let req = Request::from_parts(parts, Body::from(bytes));
            let resp = next.run(req).await;
            let (mut rparts, rbody) = resp.into_parts();
            let Ok(rbytes) = to_bytes(rbody, 4 * 1024 * 1024).await else {
                let _ = state.db.forget_idempotent(&key).await;
                return AppError::Internal("response body unreadable".into()).into_response();
            };
            if rparts.status.is_server_error() {
                if let Err(e) = state.db.forget_idempotent(&key).await {
                    tracing::warn!(error = %e, "could not release idempotency key");
                }
            } else {
                let text = String::from_utf8_lossy(&rbytes).into_owned();
                if let Err(e) = state
                    .db
                    .finish_idempotent(&key, rparts.status.as_u16(), &text)
                    .await
                {
                    tracing::warn!(error = %e, "could not store idempotent answer");
                }
            }
            rparts
                .headers
                .insert(REPLAYED, HeaderValue::from_static("false"));
            Response::from_parts(rparts, Body::from(rbytes))
        }
    }
}
