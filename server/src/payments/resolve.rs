//! Resolving attempts whose outcome is unknown.
//!
//! - In the request: [`super::answer::send_resolving`] resends at once.
//! - In the background: a new-card charge still unknown after those resends
//!   keeps being resent (the card is only in memory) while the duplicate
//!   window lasts.
//! - At start-up: every `pending`/`uncertain` ledger row left by a previous
//!   run is resent identically (CIM charges, captures, voids, refunds: all
//!   their data is in the database) and the answer applied. A new-card AIM
//!   charge cannot be resent (the card number is never stored): the relay
//!   looks its invoice number up in the gateway's unsettled transaction list
//!   (`getUnsettledTransactionListRequest`); a gateway without that call, or
//!   an unexpected listing, leaves it `unresolved`: its session stays
//!   `processing` (so it can never be charged twice) and the audit log tells
//!   the merchant which invoice to check.

use std::time::Duration;

use authnet_proto::aim::{AimRequest, TransactionType};
use checkout_domain::Amount;

use super::answer::{Answer, Decision, Sent, decide, send_resolving};
use super::operations::{self, Op};
use super::{finish_charge, request};
use crate::AppState;
use crate::gateway::reporting::Lookup;
use crate::http::ClientIp;
use crate::storage::{self, AttemptResult, AttemptRow, SessionRow};

fn kind_of(row: &AttemptRow) -> TransactionType {
    TransactionType::parse(&row.kind).unwrap_or(TransactionType::AuthCapture)
}

/// The status a session had before an operation locked it.
fn status_before_op(s: &SessionRow) -> String {
    let captured = storage::amount(&s.amount_captured).unwrap_or(Amount::ZERO);
    if s.mode == "auth_only" {
        if captured.is_positive() {
            "captured"
        } else {
            "authorized"
        }
        .to_owned()
    } else {
        "approved".to_owned()
    }
}

pub async fn resolve_at_startup(state: &AppState) -> Result<(), sqlx::Error> {
    let rows = state.db.unresolved_attempts().await?;
    if rows.is_empty() {
        return Ok(());
    }
    tracing::warn!(
        count = rows.len(),
        "resolving payments left uncertain by a previous run"
    );
    for row in rows {
        let Some(s) = state.db.get_session(&row.session_id).await? else {
            continue;
        };
        if let Err(e) = resolve_one(state, &s, &row).await {
            tracing::error!(attempt = %row.id, error = %e, "could not resolve attempt");
        }
    }
    Ok(())
}

async fn resolve_one(
    state: &AppState,
    s: &SessionRow,
    row: &AttemptRow,
) -> Result<(), crate::AppError> {
    let kind = kind_of(row);
    match (Op::from_kind(&row.kind), row.channel.as_str()) {
        (None, "aim") => {
            // A new card: the number is gone with the previous process, so
            // the charge cannot be resent; ask the gateway's transaction list.
            match by_listing(state, s, row).await {
                Listing::Resolved => {}
                Listing::Unavailable => mark_unresolved(state, s, row).await?,
                Listing::TooRecent => {
                    // Maybe still in flight at the gateway: look again later.
                    let (st, sid, r) = (state.clone(), s.id.clone(), row.clone());
                    let wait = state.config.gateway_timeout_secs * 2 + 5;
                    tokio::spawn(async move {
                        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
                        let Ok(Some(s)) = st.db.get_session(&sid).await else {
                            return;
                        };
                        if !matches!(by_listing(&st, &s, &r).await, Listing::Resolved)
                            && let Err(e) = mark_unresolved(&st, &s, &r).await
                        {
                            tracing::error!(attempt = %r.id, error = %e, "could not mark attempt unresolved");
                        }
                    });
                }
            }
            Ok(())
        }
        (None, _) => {
            let order = serde_json::from_str(&s.order_json)
                .map_err(|e| crate::AppError::Internal(e.to_string()))?;
            let req = request::cim_charge(state, s, &order, kind, row, None, &ClientIp(None))?;
            let sent = send_resolving(state, &row.id, || async {
                state.gateway.api(&req).await.map(request::cim_answer)
            })
            .await;
            if let Sent::Answered { answer, .. } = sent {
                let d = decide(&answer, kind);
                finish_charge(state, s, row, &d, Some(&answer)).await?;
                tracing::info!(session = %s.id, attempt = %row.id, outcome = d.state(), "resolved at start-up");
            }
            Ok(())
        }
        (Some(op), _) => {
            let req = match op {
                Op::Capture => request::capture(state, s, row)?,
                Op::Void => request::void(state, row)?,
                Op::Refund => request::credit(state, s, row)?,
            };
            let sent = send_resolving(state, &row.id, || async {
                state
                    .gateway
                    .aim(&req)
                    .await
                    .map(|r| Answer::Aim(Box::new(r)))
            })
            .await;
            if let Sent::Answered { answer, .. } = sent {
                let d = decide(&answer, kind);
                state
                    .db
                    .settle_attempt(&row.id, &d.to_result(Some(&answer)))
                    .await?;
                let amount = storage::amount(&row.amount)?;
                let from = status_before_op(s);
                // A refusal is an error for a live request; here it is just recorded.
                let applied = operations::apply(state, &s.id, s, op, &from, amount, row, &d).await;
                tracing::info!(session = %s.id, attempt = %row.id, outcome = d.state(), ok = applied.is_ok(), "resolved at start-up");
            }
            Ok(())
        }
    }
}

/// Gives up on a new-card charge: the session stays `processing` (so it is
/// never charged twice) and the audit log names the invoice to check.
async fn mark_unresolved(
    state: &AppState,
    s: &SessionRow,
    row: &AttemptRow,
) -> Result<(), crate::AppError> {
    let result = AttemptResult {
        state: "unresolved".into(),
        message_code: Some("error.uncertain".into()),
        ..AttemptResult::default()
    };
    state.db.settle_attempt(&row.id, &result).await?;
    state
        .db
        .audit(
            Some(&s.id),
            "relay",
            "payment.unresolved",
            &format!(
                "attempt={} invoice={}: outcome unknown after restart; check the gateway for this invoice",
                row.id,
                row.invoice_number.as_deref().unwrap_or("-")
            ),
        )
        .await?;
    state
        .db
        .note_session_error(
            &s.id,
            "payment.unresolved",
            &format!(
                "The outcome of the payment for invoice {} could not be confirmed after a relay restart; check this invoice in the gateway before shipping or asking the shopper to pay again.",
                row.invoice_number.as_deref().unwrap_or(&s.invoice_number)
            ),
        )
        .await?;
    tracing::error!(
        session = %s.id,
        attempt = %row.id,
        invoice = row.invoice_number.as_deref().unwrap_or("-"),
        "new-card charge unresolved after restart; session kept in processing"
    );
    Ok(())
}

enum Listing {
    Resolved,
    TooRecent,
    Unavailable,
}

/// Resolves a new-card charge from the gateway's unsettled transaction list,
/// matched by invoice number (and last four / amount when the list has them).
async fn by_listing(state: &AppState, s: &SessionRow, row: &AttemptRow) -> Listing {
    let invoice = row
        .invoice_number
        .clone()
        .unwrap_or_else(|| s.invoice_number.clone());
    let list = match state.gateway.unsettled_transactions().await {
        Ok(Lookup::Found(list)) => list,
        Ok(Lookup::Unsupported(code)) => {
            tracing::warn!(%code, "gateway has no transaction list; cannot resolve a new-card charge");
            return Listing::Unavailable;
        }
        Err(e) => {
            tracing::warn!(error = %e, "transaction list unavailable");
            return Listing::Unavailable;
        }
    };
    let amount = storage::amount(&row.amount).ok().map(|a| a.value());
    let last4 = row.last4.clone().unwrap_or_default();
    let matching: Vec<_> = list
        .into_iter()
        .filter(|t| t.invoice_number == invoice)
        .filter(|t| {
            t.account_number.is_empty() || last4.is_empty() || t.account_number.ends_with(&last4)
        })
        .collect();
    const CHARGED: [&str; 6] = [
        "authorizedPendingCapture",
        "capturedPendingSettlement",
        "settledSuccessfully",
        "FDSPendingReview",
        "FDSAuthorizedPendingReview",
        "underReview",
    ];
    let charged = matching.iter().find(|t| {
        CHARGED.contains(&t.status.as_str())
            && (t.settle_amount.is_none()
                || amount.is_none()
                || t.settle_amount == amount
                || t.settle_amount.is_some_and(|a| a.is_zero()))
    });
    let decision = if let Some(t) = charged {
        Decision::Approved {
            trans_id: t.trans_id.clone(),
            auth_code: String::new(),
            avs: None,
            card_code: None,
            reason: 1,
        }
    } else if let Some(t) = matching.iter().find(|t| t.status == "declined") {
        Decision::Declined {
            code: "declined".into(),
            reason: 2,
            trans_id: t.trans_id.clone(),
        }
    } else if matching.is_empty() {
        let age = storage::now() - row.created_at;
        let quiet = i64::try_from(state.config.gateway_timeout_secs * 2 + 5).unwrap_or(45);
        if age < quiet {
            return Listing::TooRecent;
        }
        // Long past any timeout and not at the gateway: it was never charged.
        Decision::Error {
            code: "error.try_again".into(),
            retryable: true,
            reason: 0,
            gateway_text: "not in the gateway's transaction list".into(),
        }
    } else {
        return Listing::Unavailable;
    };
    match finish_charge(state, s, row, &decision, None).await {
        Ok(_) => {
            tracing::info!(session = %s.id, attempt = %row.id, outcome = decision.state(), "new-card charge resolved from the transaction list");
            Listing::Resolved
        }
        Err(e) => {
            tracing::error!(session = %s.id, error = %e, "could not record a resolved charge");
            Listing::Unavailable
        }
    }
}

/// Keeps resending a new-card charge whose outcome is still unknown, while
/// the duplicate window lasts; applies the first answer.
pub fn spawn_background_aim(state: AppState, session_id: String, row: AttemptRow, req: AimRequest) {
    // Not counted as in flight: shutdown does not wait for it (the ledger row
    // stays `uncertain` and the next start-up resolves it).
    tokio::spawn(async move {
        let window = u64::from(state.config.duplicate_window_secs);
        let mut waited = 0u64;
        let mut delay = 3u64;
        while waited + delay < window.saturating_sub(30) {
            tokio::time::sleep(Duration::from_secs(delay)).await;
            waited += delay;
            delay = (delay * 2).min(120);
            match state.gateway.aim(&req).await {
                Ok(resp) => {
                    let answer = Answer::Aim(Box::new(resp));
                    let d = decide(&answer, kind_of(&row));
                    let Ok(Some(s)) = state.db.get_session(&session_id).await else {
                        return;
                    };
                    match finish_charge(&state, &s, &row, &d, Some(&answer)).await {
                        Ok(_) => {
                            tracing::info!(session = %session_id, outcome = d.state(), "uncertain payment resolved in background")
                        }
                        Err(e) => {
                            tracing::error!(session = %session_id, error = %e, "could not record resolved payment")
                        }
                    }
                    return;
                }
                Err(e) => {
                    tracing::warn!(session = %session_id, error = %e, "background resend failed")
                }
            }
        }
        let result = AttemptResult {
            state: "unresolved".into(),
            message_code: Some("error.uncertain".into()),
            ..AttemptResult::default()
        };
        let _ = state.db.settle_attempt(&row.id, &result).await;
        tracing::error!(session = %session_id, "payment outcome could not be resolved inside the duplicate window");
    });
}
