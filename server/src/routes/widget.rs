//! The widget API (`/widget/v1`): same origin as the iframe,
//! `Authorization: Bearer <client token>` scoped to one session.

use axum::Json;
use axum::extract::State;
use checkout_api::{ErrorBody, PayRequest, PayResponse, SessionStatus, WidgetSession};

use crate::AppState;
use crate::error::AppError;
use crate::http::{ApiJson, ClientIp, WidgetSessionAuth};
use crate::payments::{self, session};

fn check_token_fresh(s: &crate::storage::SessionRow) -> Result<(), AppError> {
    // An unpaid session's token dies with the session; a paid one still shows
    // its outcome until then.
    let status = session::effective_status(s);
    if status == SessionStatus::Expired {
        return Err(AppError::Unauthorized {
            code: "token_expired",
            message: "This checkout session has expired. Please return to the store and start again.",
        });
    }
    Ok(())
}

/// What the widget needs to render.
#[utoipa::path(
    get, path = "/widget/v1/session", tag = "widget",
    responses((status = 200, body = WidgetSession), (status = 401, body = ErrorBody)),
    security(("client_token" = []))
)]
#[tracing::instrument(skip_all, fields(session = %auth.0.id))]
pub async fn get_session(
    State(state): State<AppState>,
    auth: WidgetSessionAuth,
) -> Result<Json<WidgetSession>, AppError> {
    check_token_fresh(&auth.0)?;
    Ok(Json(session::widget_view(&state, &auth.0).await?))
}

/// Pay the session with a new or saved card.
#[utoipa::path(
    post, path = "/widget/v1/session/pay", tag = "widget",
    request_body = PayRequest,
    responses(
        (status = 200, description = "approved, declined or gateway error", body = PayResponse),
        (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)
    ),
    security(("client_token" = []))
)]
#[tracing::instrument(skip_all, fields(session = %auth.0.id))]
pub async fn pay(
    State(state): State<AppState>,
    auth: WidgetSessionAuth,
    ip: ClientIp,
    ApiJson(req): ApiJson<PayRequest>,
) -> Result<Json<PayResponse>, AppError> {
    check_token_fresh(&auth.0)?;
    Ok(Json(payments::pay(&state, auth.0, req, ip).await?))
}
