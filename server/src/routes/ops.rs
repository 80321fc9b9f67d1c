//! Operations: health, metrics, the OpenAPI document, fallbacks.

use std::any::Any;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;
use crate::error::AppError;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "anet-checkout relay",
        description = "Merchant API (secret key) and widget API (client token) of the anet-checkout relay. Amounts are decimal strings in USD."
    ),
    paths(
        super::merchant::create_session,
        super::merchant::get_session,
        super::merchant::capture,
        super::merchant::void,
        super::merchant::refund,
        super::merchant::list_payment_methods,
        super::merchant::delete_payment_method,
        super::merchant::list_addresses,
        super::merchant::delete_address,
        super::widget::get_session,
        super::widget::pay,
    ),
    components(schemas(
        checkout_api::CreateSessionRequest,
        checkout_api::CreateSessionResponse,
        checkout_api::SessionView,
        checkout_api::CaptureRequest,
        checkout_api::RefundRequest,
        checkout_api::OperationResponse,
        checkout_api::PaymentMethodView,
        checkout_api::AddressView,
        checkout_api::WidgetSession,
        checkout_api::PayRequest,
        checkout_api::PayResponse,
        checkout_api::ErrorBody,
    )),
    modifiers(&Security),
    tags((name = "merchant", description = "Server to server, `Authorization: Bearer <secret key>`; every POST honours `Idempotency-Key`."),
         (name = "widget", description = "The checkout iframe, `Authorization: Bearer <client token>`."))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "merchant_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "client_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    let db = state.db.ping().await.is_ok();
    let body = serde_json::json!({
        "status": if db { "ok" } else { "degraded" },
        "database": if db { "ok" } else { "unavailable" },
        "gateway": state.config.gateway.name(),
        "payments_in_flight": state.inflight.current(),
    });
    let status = if db {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut resp = state.metrics.render().into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    resp
}

pub async fn not_found() -> AppError {
    AppError::NotFound("route")
}

/// A panicking handler answers 500 with the standard body; the panic
/// message is not echoed (it could contain anything).
pub fn panic_response(_err: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    AppError::Internal("panic".into()).into_response()
}
