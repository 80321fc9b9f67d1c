//! Request plumbing shared by the routes: the JSON extractor with per-field
//! errors, the client address, and the two bearer authentications.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use checkout_api::FieldError;
use checkout_domain::secret::constant_time_eq;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::{AppError, scrub_digits};
use crate::storage::SessionRow;

/// JSON body whose errors name the field (`line_items[2].unit_price`) and a
/// reason, never echoing card digits.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(AppError::BadRequest(
                "expected a JSON body with Content-Type: application/json".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::BadRequest("request body too large".into())
            } else {
                AppError::BadRequest("could not read the request body".into())
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Deserializes with the failing path as the field name.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(AppError::BadRequest(format!(
                    "the body is not valid JSON ({})",
                    scrub_digits(&inner.to_string())
                )));
            }
            let text = inner.to_string();
            // Domain types report a stable code as their error text.
            let first = text.split(" at line").next().unwrap_or("").trim();
            let (code, message) = match checkout_domain::known_code(first) {
                Some(code) => (
                    code.to_owned(),
                    checkout_domain::message_en(code).to_owned(),
                ),
                None => {
                    let code = if text.starts_with("missing field") {
                        "required"
                    } else if text.starts_with("unknown field") {
                        "unknown_field"
                    } else if text.starts_with("unknown variant") {
                        "unknown_value"
                    } else {
                        "invalid"
                    };
                    let msg = scrub_digits(text.split(" at line").next().unwrap_or(&text));
                    (code.to_owned(), msg)
                }
            };
            let field = if path == "." {
                // A missing/unknown field at the top level: name it from the message.
                text.split('`').nth(1).unwrap_or("body").to_owned()
            } else {
                path
            };
            Err(AppError::Validation(vec![FieldError {
                field,
                code,
                message,
            }]))
        }
    }
}

/// The client's address: the socket peer, or the first `X-Forwarded-For`
/// entry when `ANET_TRUST_PROXY` is on.
#[derive(Debug, Clone)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    pub fn key(&self) -> String {
        self.0
            .map(|ip| ip.to_string())
            .unwrap_or_else(|| "unknown".into())
    }

    /// AIM's `x_customer_ip` takes dotted IPv4 only.
    pub fn for_aim(&self) -> Option<String> {
        match self.0 {
            Some(IpAddr::V4(v4)) => Some(v4.to_string()),
            Some(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()),
            None => None,
        }
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.trust_proxy
            && let Some(ip) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return Ok(ClientIp(Some(ip)));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(peer))
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then_some(token.trim())
        })
}

/// The merchant backend, authenticated by the secret key.
#[derive(Debug, Clone, Copy)]
pub struct Merchant;

impl FromRequestParts<AppState> for Merchant {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = bearer(parts) else {
            return Err(AppError::Unauthorized {
                code: "unauthorized",
                message: "send the merchant secret key as `Authorization: Bearer <key>`",
            });
        };
        if constant_time_eq(
            token.as_bytes(),
            state.config.merchant_secret.expose_secret().as_bytes(),
        ) {
            Ok(Merchant)
        } else {
            Err(AppError::Unauthorized {
                code: "unauthorized",
                message: "the merchant secret key is not valid",
            })
        }
    }
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The widget, authenticated by a session's client token.
#[derive(Debug, Clone)]
pub struct WidgetSessionAuth(pub SessionRow);

impl FromRequestParts<AppState> for WidgetSessionAuth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = bearer(parts) else {
            return Err(AppError::Unauthorized {
                code: "unauthorized",
                message: "send the client token as `Authorization: Bearer <token>`",
            });
        };
        if !token.starts_with("ct_") || token.len() > 128 {
            return Err(AppError::Unauthorized {
                code: "invalid_token",
                message: "the client token is not valid",
            });
        }
        let session = state
            .db
            .get_session_by_token_hash(&token_hash(token))
            .await?
            .ok_or(AppError::Unauthorized {
                code: "invalid_token",
                message: "the client token is not valid",
            })?;
        Ok(WidgetSessionAuth(session))
    }
}
