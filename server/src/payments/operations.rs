//! Merchant operations on a paid session: capture (PRIOR_AUTH_CAPTURE),
//! void (VOID) and refund (CREDIT). Each takes the session out of its state
//! with a conditional UPDATE (so two operations never race, across relay
//! instances too), writes its ledger row before the call, and resolves an
//! uncertain outcome by resending the identical request.

use authnet_proto::aim::TransactionType;
use checkout_api::{OperationResponse, SessionStatus};
use checkout_domain::Amount;

use super::answer::{Answer, Decision, Sent, decide, send_resolving};
use super::request;
use super::session::{effective_status, merchant_view};
use crate::AppState;
use crate::error::AppError;
use crate::storage::{self, AttemptRow, SessionRow, new_id, now};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Capture,
    Void,
    Refund,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Capture => "capture",
            Op::Void => "void",
            Op::Refund => "refund",
        }
    }

    fn kind(self) -> TransactionType {
        match self {
            Op::Capture => TransactionType::PriorAuthCapture,
            Op::Void => TransactionType::Void,
            Op::Refund => TransactionType::Credit,
        }
    }

    pub fn from_kind(kind: &str) -> Option<Op> {
        match kind {
            "prior_auth_capture" => Some(Op::Capture),
            "void" => Some(Op::Void),
            "credit" => Some(Op::Refund),
            _ => None,
        }
    }
}

fn amt(s: &str) -> Result<Amount, AppError> {
    storage::amount(s).map_err(AppError::from)
}

fn amount_error(code: &str, message: &str) -> AppError {
    AppError::field("amount", code, message)
}

/// Checks the operation against the session and returns (status to lock
/// from, amount).
fn plan(op: Op, s: &SessionRow, requested: Option<Amount>) -> Result<(String, Amount), AppError> {
    let status = effective_status(s);
    let not_now = |what: &str| {
        AppError::conflict(
            "invalid_state",
            format!("Cannot {} a session that is {what}.", op.name()),
        )
    };
    let status_name = format!("{status:?}").to_lowercase();
    match op {
        Op::Capture => {
            if status != SessionStatus::Authorized {
                return Err(match status {
                    SessionStatus::Captured => AppError::conflict(
                        "already_captured",
                        "This authorization was already captured.",
                    ),
                    SessionStatus::Approved => AppError::conflict(
                        "already_captured",
                        "This session was charged with auth_capture; there is nothing to capture.",
                    ),
                    _ => not_now(&status_name),
                });
            }
            let authorized = amt(&s.amount_authorized)?;
            let amount = requested.unwrap_or(authorized);
            if !amount.is_positive() {
                return Err(amount_error(
                    "amount.not_positive",
                    "The amount must be more than zero.",
                ));
            }
            if amount > authorized {
                return Err(amount_error(
                    "amount.above_authorized",
                    "Cannot capture more than was authorized.",
                ));
            }
            Ok((s.status.clone(), amount))
        }
        Op::Void => {
            if requested.is_some() {
                return Err(amount_error(
                    "amount.not_allowed",
                    "A void takes no amount.",
                ));
            }
            if amt(&s.amount_refunded)?.is_positive() {
                return Err(AppError::conflict(
                    "already_settled",
                    "This payment has settled and been partly refunded; refund the rest instead of voiding.",
                ));
            }
            match status {
                SessionStatus::Approved | SessionStatus::Authorized | SessionStatus::Captured => {
                    Ok((s.status.clone(), Amount::ZERO))
                }
                SessionStatus::Voided => Err(AppError::conflict(
                    "already_voided",
                    "This payment was already voided.",
                )),
                _ => Err(not_now(&status_name)),
            }
        }
        Op::Refund => {
            match status {
                SessionStatus::Approved | SessionStatus::Captured => {}
                SessionStatus::Refunded => {
                    return Err(AppError::conflict(
                        "already_refunded",
                        "This payment was already refunded in full.",
                    ));
                }
                SessionStatus::Authorized => {
                    return Err(AppError::conflict(
                        "not_captured",
                        "This authorization was never captured; void it instead.",
                    ));
                }
                _ => return Err(not_now(&status_name)),
            }
            let captured = amt(&s.amount_captured)?;
            let refunded = amt(&s.amount_refunded)?;
            let left = captured
                .checked_sub(refunded)
                .ok_or_else(|| AppError::Internal("refunded above captured".into()))?;
            let amount = requested.unwrap_or(left);
            if !amount.is_positive() {
                return Err(amount_error(
                    "amount.not_positive",
                    "The amount must be more than zero.",
                ));
            }
            if amount > left {
                return Err(amount_error(
                    "amount.above_refundable",
                    &format!("At most {left} can still be refunded."),
                ));
            }
            Ok((s.status.clone(), amount))
        }
    }
}

/// Runs a capture, void or refund.
#[tracing::instrument(skip_all, fields(session = %id, op = op.name()))]
pub async fn run(
    state: &AppState,
    id: &str,
    op: Op,
    requested: Option<Amount>,
) -> Result<OperationResponse, AppError> {
    let s = state
        .db
        .get_session(id)
        .await?
        .ok_or(AppError::NotFound("session"))?;
    let (from, amount) = plan(op, &s, requested)?;
    let trans_id = s
        .transaction_id
        .clone()
        .ok_or_else(|| AppError::conflict("invalid_state", "This session has no transaction."))?;
    if !state.db.transition_session(id, &from, "processing").await? {
        return Err(AppError::conflict(
            "concurrent_operation",
            "Another operation on this session is in progress; retry shortly.",
        ));
    }
    let st = state.clone();
    let sid = id.to_owned();
    let task = tokio::spawn(async move {
        let _guard = st.inflight.enter();
        execute(&st, &sid, s, op, from, amount, trans_id).await
    });
    task.await
        .map_err(|e| AppError::Internal(format!("operation task failed: {e}")))?
}

async fn execute(
    state: &AppState,
    id: &str,
    s: SessionRow,
    op: Op,
    from: String,
    amount: Amount,
    trans_id: String,
) -> Result<OperationResponse, AppError> {
    let attempt_id = new_id("pa_");
    let invoice = match op {
        // Each refund gets its own invoice number (see request::credit).
        Op::Refund => format!("RF{}", attempt_id.get(3..15).unwrap_or("0").to_uppercase()),
        _ => s.invoice_number.clone(),
    };
    let row = AttemptRow {
        id: attempt_id,
        session_id: id.to_owned(),
        kind: op.kind().as_response_str().to_owned(),
        channel: "aim".into(),
        state: "pending".into(),
        amount: amount.to_string(),
        invoice_number: Some(invoice),
        ref_transaction_id: Some(trans_id),
        brand: s.brand.clone(),
        last4: s.last4.clone(),
        created_at: now(),
        ..AttemptRow::default()
    };
    let release = |state: &AppState| {
        let state = state.clone();
        let from = from.clone();
        let id = id.to_owned();
        async move {
            let _ = state.db.transition_session(&id, "processing", &from).await;
        }
    };
    if let Err(e) = state.db.insert_attempt(&row).await {
        release(state).await;
        return Err(e.into());
    }
    let req = match op {
        Op::Capture => request::capture(state, &s, &row),
        Op::Void => request::void(state, &row),
        Op::Refund => request::credit(state, &s, &row),
    };
    let req = match req {
        Ok(r) => r,
        Err(e) => {
            release(state).await;
            return Err(e);
        }
    };
    let sent = send_resolving(state, &row.id, || async {
        state
            .gateway
            .aim(&req)
            .await
            .map(|r| Answer::Aim(Box::new(r)))
    })
    .await;
    let answer = match sent {
        Sent::Answered { answer, .. } => answer,
        Sent::NotSent(reason) => {
            let d = Decision::Error {
                code: "error.try_again".into(),
                retryable: true,
                reason: 0,
                gateway_text: reason,
            };
            state.db.settle_attempt(&row.id, &d.to_result(None)).await?;
            release(state).await;
            state.metrics.operation(op.name(), "not_sent");
            return Err(AppError::Gateway {
                code: "gateway_unavailable",
                message: "The gateway could not be reached; nothing was done. Retry later.".into(),
            });
        }
        Sent::Unknown(_) => {
            // Left `processing` with an uncertain ledger row; resolved at the
            // next start-up (or by the merchant in the gateway's interface).
            state.metrics.operation(op.name(), "uncertain");
            return Err(AppError::Gateway {
                code: "outcome_unknown",
                message: format!(
                    "The gateway did not answer; the {} may or may not have been done. It will be resolved automatically; check the session later.",
                    op.name()
                ),
            });
        }
    };
    let d = decide(&answer, op.kind());
    state
        .db
        .settle_attempt(&row.id, &d.to_result(Some(&answer)))
        .await?;
    apply(state, id, &s, op, &from, amount, &row, &d).await
}

/// Applies a decided operation to the session (also used by start-up resolution).
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    state: &AppState,
    id: &str,
    s: &SessionRow,
    op: Op,
    from: &str,
    amount: Amount,
    row: &AttemptRow,
    d: &Decision,
) -> Result<OperationResponse, AppError> {
    match d {
        Decision::Approved { .. } => {
            let captured = amt(&s.amount_captured)?;
            let refunded = amt(&s.amount_refunded)?;
            let (status, captured, refunded) = match op {
                Op::Capture => ("captured".to_owned(), amount, refunded),
                Op::Void => ("voided".to_owned(), captured, refunded),
                Op::Refund => {
                    let total = refunded
                        .checked_add(amount)
                        .ok_or_else(|| AppError::Internal("refund total overflow".into()))?;
                    let status = if total >= captured {
                        "refunded".to_owned()
                    } else {
                        from.to_owned()
                    };
                    (status, captured, total)
                }
            };
            state
                .db
                .update_session_money(
                    id,
                    "processing",
                    &status,
                    &captured.to_string(),
                    &refunded.to_string(),
                )
                .await?;
            state.metrics.operation(op.name(), "approved");
            state
                .db
                .audit(
                    Some(id),
                    "merchant",
                    &format!("{}.approved", op.name()),
                    &format!("attempt={} amount={amount}", row.id),
                )
                .await?;
            let fresh = state
                .db
                .get_session(id)
                .await?
                .ok_or(AppError::NotFound("session"))?;
            Ok(OperationResponse {
                transaction_id: d
                    .trans_id()
                    .map(str::to_owned)
                    .or_else(|| s.transaction_id.clone())
                    .unwrap_or_default(),
                amount,
                session: merchant_view(&fresh)?,
            })
        }
        other => {
            let _ = state.db.transition_session(id, "processing", from).await;
            state.metrics.operation(op.name(), other.state());
            let reason = other.reason().unwrap_or(0);
            let gateway_text = match other {
                Decision::Error { gateway_text, .. } => gateway_text.clone(),
                _ => String::new(),
            };
            state
                .db
                .audit(
                    Some(id),
                    "merchant",
                    &format!("{}.refused", op.name()),
                    &format!("attempt={} reason={reason}", row.id),
                )
                .await?;
            Err(refusal(op, reason, &gateway_text))
        }
    }
}

/// The merchant-facing explanation of a refused operation.
fn refusal(op: Op, reason: u16, gateway_text: &str) -> AppError {
    let detail = if gateway_text.is_empty() {
        format!("gateway reason {reason}")
    } else {
        format!("gateway reason {reason}: {gateway_text}")
    };
    match (op, reason) {
        (Op::Refund, 50 | 54) => AppError::conflict(
            "not_settled",
            format!(
                "The payment has not settled yet, so it cannot be refunded. Void it before settlement, or refund after the settlement batch has run ({detail})."
            ),
        ),
        (Op::Refund, 51 | 55) => AppError::conflict(
            "refund_exceeds_settled",
            format!("The refunds would exceed the settled amount ({detail})."),
        ),
        (Op::Void, 16 | 33 | 54 | 304) => AppError::conflict(
            "already_settled",
            format!(
                "The payment can no longer be voided (it has probably settled); refund it instead ({detail})."
            ),
        ),
        (Op::Capture, 47) => AppError::conflict(
            "amount_above_authorized",
            format!("The capture amount is above the authorized amount ({detail})."),
        ),
        (Op::Capture, 16 | 33) => AppError::conflict(
            "authorization_unavailable",
            format!("The authorization can no longer be captured (expired or voided) ({detail})."),
        ),
        _ => AppError::Gateway {
            code: "gateway_refused",
            message: format!("The gateway refused the {} ({detail}).", op.name()),
        },
    }
}

/// Best-effort VOID of an unwanted authorisation (partial approvals).
pub async fn void_quietly(state: &AppState, trans_id: &str) {
    if trans_id.is_empty() || trans_id == "0" {
        return;
    }
    let req =
        authnet_proto::aim::AimRequest::void(state.gateway.credentials(), trans_id.to_owned());
    match state.gateway.aim(&req).await {
        Ok(_) => tracing::info!(transaction = %trans_id, "voided a partial approval"),
        Err(e) => {
            tracing::error!(transaction = %trans_id, error = %e, "could not void a partial approval")
        }
    }
}
