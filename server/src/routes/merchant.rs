//! The merchant API (`/v1`): server-to-server, `Authorization: Bearer <secret key>`.

use authnet_proto::api::{
    ApiRequest, ApiResponse, DeleteCustomerPaymentProfileRequest,
    DeleteCustomerShippingAddressRequest, NumericString,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use checkout_api::{
    AddressView, CaptureRequest, CreateSessionRequest, CreateSessionResponse, ErrorBody,
    OperationResponse, PaymentMethodView, RefundRequest, SessionView,
};

use crate::AppState;
use crate::error::AppError;
use crate::http::{ApiJson, Merchant, parse_json};
use crate::payments::operations::{self, Op};
use crate::payments::session::{self, address_view, card_view, today};

/// A void takes no parameters: an empty body or `{}` (anything else, e.g. an
/// amount, is refused by name before the gateway is called).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct VoidRequest {}

/// An optional JSON body: empty means the type's default.
fn optional_body<T: serde::de::DeserializeOwned + Default>(
    headers: &HeaderMap,
    bytes: &Bytes,
) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json {
        return Err(AppError::BadRequest(
            "expected a JSON body with Content-Type: application/json".into(),
        ));
    }
    parse_json(bytes)
}

/// Create a checkout session.
#[utoipa::path(
    post, path = "/v1/sessions", tag = "merchant",
    request_body = CreateSessionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses(
        (status = 201, body = CreateSessionResponse),
        (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    ),
    security(("merchant_key" = []))
)]
pub async fn create_session(
    State(state): State<AppState>,
    _m: Merchant,
    ApiJson(req): ApiJson<CreateSessionRequest>,
) -> Result<(StatusCode, Json<CreateSessionResponse>), AppError> {
    let created = session::create(&state, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Read a session: status, transaction, amounts.
#[utoipa::path(
    get, path = "/v1/sessions/{id}", tag = "merchant",
    params(("id" = String, Path)),
    responses((status = 200, body = SessionView), (status = 404, body = ErrorBody)),
    security(("merchant_key" = []))
)]
#[tracing::instrument(skip_all, fields(session = %id))]
pub async fn get_session(
    State(state): State<AppState>,
    _m: Merchant,
    Path(id): Path<String>,
) -> Result<Json<SessionView>, AppError> {
    let s = state
        .db
        .get_session(&id)
        .await?
        .ok_or(AppError::NotFound("session"))?;
    Ok(Json(session::merchant_view(&s)?))
}

/// Capture an `auth_only` payment (PRIOR_AUTH_CAPTURE), in full or in part.
#[utoipa::path(
    post, path = "/v1/sessions/{id}/capture", tag = "merchant",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = Option<CaptureRequest>),
    responses((status = 200, body = OperationResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("merchant_key" = []))
)]
pub async fn capture(
    State(state): State<AppState>,
    _m: Merchant,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<OperationResponse>, AppError> {
    let req: CaptureRequest = optional_body(&headers, &body)?;
    Ok(Json(
        operations::run(&state, &id, Op::Capture, req.amount).await?,
    ))
}

/// Void an unsettled payment (VOID).
#[utoipa::path(
    post, path = "/v1/sessions/{id}/void", tag = "merchant",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = Option<Object>, description = "empty, or `{}`"),
    responses((status = 200, body = OperationResponse), (status = 409, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("merchant_key" = []))
)]
pub async fn void(
    State(state): State<AppState>,
    _m: Merchant,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<OperationResponse>, AppError> {
    let _: VoidRequest = optional_body(&headers, &body)?;
    Ok(Json(operations::run(&state, &id, Op::Void, None).await?))
}

/// Refund a settled payment (CREDIT), in full or in part; the total never
/// exceeds what was captured.
#[utoipa::path(
    post, path = "/v1/sessions/{id}/refunds", tag = "merchant",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = Option<RefundRequest>),
    responses((status = 201, body = OperationResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("merchant_key" = []))
)]
pub async fn refund(
    State(state): State<AppState>,
    _m: Merchant,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<OperationResponse>), AppError> {
    let req: RefundRequest = optional_body(&headers, &body)?;
    let done = operations::run(&state, &id, Op::Refund, req.amount).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// A shopper's saved cards.
#[utoipa::path(
    get, path = "/v1/shoppers/{reference}/payment-methods", tag = "merchant",
    params(("reference" = String, Path)),
    responses((status = 200, body = Vec<PaymentMethodView>)),
    security(("merchant_key" = []))
)]
pub async fn list_payment_methods(
    State(state): State<AppState>,
    _m: Merchant,
    Path(reference): Path<String>,
) -> Result<Json<Vec<PaymentMethodView>>, AppError> {
    let today = today();
    let cards = state.db.list_cards(&reference).await?;
    Ok(Json(cards.iter().map(|c| card_view(c, today)).collect()))
}

fn numeric(s: &str) -> Result<NumericString, AppError> {
    NumericString::new(s).ok_or_else(|| AppError::Internal(format!("stored id {s:?} not numeric")))
}

fn cim_result(resp: &ApiResponse) -> Result<(), AppError> {
    let m = resp.messages();
    match m.first_code() {
        // Deleted, or already gone at the gateway.
        Some("I00001" | "I00003" | "E00040") => Ok(()),
        code => Err(AppError::Gateway {
            code: "gateway_refused",
            message: format!(
                "The gateway refused the deletion ({}: {}); nothing was deleted.",
                code.unwrap_or("?"),
                m.message.first().map(|x| x.text.as_str()).unwrap_or("")
            ),
        }),
    }
}

async fn gateway_call(state: &AppState, req: ApiRequest) -> Result<ApiResponse, AppError> {
    state
        .gateway
        .api(&req)
        .await
        .map_err(|e| AppError::Gateway {
            code: "gateway_unavailable",
            message: format!("The gateway could not be reached ({e}); nothing was deleted."),
        })
}

/// Delete a saved card (and its CIM payment profile).
#[utoipa::path(
    delete, path = "/v1/shoppers/{reference}/payment-methods/{id}", tag = "merchant",
    params(("reference" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("merchant_key" = []))
)]
pub async fn delete_payment_method(
    State(state): State<AppState>,
    _m: Merchant,
    Path((reference, id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let shopper = state
        .db
        .get_shopper(&reference)
        .await?
        .ok_or(AppError::NotFound("shopper"))?;
    let card = state
        .db
        .get_card(&reference, &id)
        .await?
        .ok_or(AppError::NotFound("payment method"))?;
    let req = ApiRequest::DeleteCustomerPaymentProfile(DeleteCustomerPaymentProfileRequest {
        merchant_authentication: state.gateway.merchant_authentication(),
        customer_profile_id: numeric(&shopper.customer_profile_id)?,
        customer_payment_profile_id: numeric(&card.payment_profile_id)?,
        ..DeleteCustomerPaymentProfileRequest::default()
    });
    cim_result(&gateway_call(&state, req).await?)?;
    state.db.delete_card(&reference, &id).await?;
    state
        .db
        .audit(
            None,
            "merchant",
            "wallet.card_deleted",
            &format!("shopper={reference} id={id}"),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A shopper's saved shipping addresses.
#[utoipa::path(
    get, path = "/v1/shoppers/{reference}/addresses", tag = "merchant",
    params(("reference" = String, Path)),
    responses((status = 200, body = Vec<AddressView>)),
    security(("merchant_key" = []))
)]
pub async fn list_addresses(
    State(state): State<AppState>,
    _m: Merchant,
    Path(reference): Path<String>,
) -> Result<Json<Vec<AddressView>>, AppError> {
    let rows = state.db.list_addresses(&reference).await?;
    Ok(Json(rows.iter().map(address_view).collect()))
}

/// Delete a saved address (and its CIM shipping address).
#[utoipa::path(
    delete, path = "/v1/shoppers/{reference}/addresses/{id}", tag = "merchant",
    params(("reference" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("merchant_key" = []))
)]
pub async fn delete_address(
    State(state): State<AppState>,
    _m: Merchant,
    Path((reference, id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let shopper = state
        .db
        .get_shopper(&reference)
        .await?
        .ok_or(AppError::NotFound("shopper"))?;
    let addr = state
        .db
        .get_address(&reference, &id)
        .await?
        .ok_or(AppError::NotFound("address"))?;
    let req = ApiRequest::DeleteCustomerShippingAddress(DeleteCustomerShippingAddressRequest {
        merchant_authentication: state.gateway.merchant_authentication(),
        customer_profile_id: numeric(&shopper.customer_profile_id)?,
        customer_address_id: numeric(&addr.address_id)?,
        ..DeleteCustomerShippingAddressRequest::default()
    });
    cim_result(&gateway_call(&state, req).await?)?;
    state.db.delete_address(&reference, &id).await?;
    state
        .db
        .audit(
            None,
            "merchant",
            "wallet.address_deleted",
            &format!("shopper={reference} id={id}"),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
