//! The pay flow — the core of the relay.
//!
//! 1. Validate again with the domain crate (nothing changes on a bad input).
//! 2. Card-testing limits (no gateway call when refused).
//! 3. Claim the session: `open → processing` with a conditional UPDATE, so
//!    concurrent pays (double clicks, retries, other relay instances) get one
//!    winner; the others wait for its outcome and report it.
//! 4. Write the ledger row (`pending`) BEFORE calling the gateway.
//! 5. Call the gateway in a task of its own (a client that goes away, or a
//!    shutdown, does not cancel a payment half-way); an uncertain outcome is
//!    resolved by resending the identical request inside the duplicate window.
//! 6. Record the outcome on the ledger row and the session; on approval with
//!    "save", store the card in the shopper's CIM profile (a CIM failure never
//!    hides the approved charge).

pub mod answer;
pub mod messages;
pub mod operations;
pub mod request;
pub mod resolve;
pub mod session;
pub mod wallet;

use std::time::Duration;

use authnet_proto::aim::TransactionType;
use checkout_api::{
    CreateSessionRequest, FieldError, PayRequest, PayResponse, PayResult, PaymentInput,
    PaymentMode, SessionStatus, ShippingInput,
};
use checkout_domain::{
    AddressRequirements, BillingAddress, CardCode, CardCodePolicy, CardForm, CardFormPolicy,
    ValidCard, ValidationError, validate_card_form, validate_shipping,
};

use crate::AppState;
use crate::error::AppError;
use crate::http::ClientIp;
use crate::limits::Refused;
use crate::storage::{
    AddressRow, AttemptRow, CardRow, ChargeOutcome, PaymentFinish, SessionRow, new_id, now,
};
use answer::{Answer, Decision, Sent, decide, send_resolving};
use messages::{blamed_fields, shopper_message};
use session::{effective_status, mode_from_str, today};

/// What the shopper pays with, validated.
pub enum Instrument {
    NewCard(Box<ValidCard>),
    Saved {
        card: CardRow,
        customer_profile_id: String,
        card_code: Option<CardCode>,
    },
}

pub enum Shipping {
    Saved(AddressRow),
    New(BillingAddress),
}

pub struct Prepared {
    pub instrument: Instrument,
    pub shipping: Option<Shipping>,
    pub save: bool,
}

fn field_error(prefix: &str, e: &ValidationError) -> FieldError {
    let name = e.field.as_str();
    let field = if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    };
    FieldError {
        field,
        code: e.code.to_owned(),
        message: e.message.clone(),
    }
}

fn is_card_field(e: &ValidationError) -> bool {
    matches!(
        e.field,
        checkout_domain::Field::CardNumber
            | checkout_domain::Field::Expiry
            | checkout_domain::Field::CardCode
    )
}

/// Validates the pay request against the session; every problem is reported.
pub async fn prepare(
    state: &AppState,
    s: &SessionRow,
    req: PayRequest,
) -> Result<Prepared, AppError> {
    let mut errors = Vec::new();
    let today = today();
    let save = req.save && s.offer_save && s.shopper_reference.is_some();
    let instrument = match req.payment {
        PaymentInput::NewCard {
            number,
            expiry,
            card_code,
            billing,
        } => {
            let policy = CardFormPolicy {
                card_code: if s.require_card_code {
                    CardCodePolicy::Required
                } else {
                    CardCodePolicy::Optional
                },
                address: AddressRequirements {
                    require_address: s.require_avs,
                    require_zip: s.require_avs,
                    require_name: false,
                },
                ..CardFormPolicy::default()
            };
            let form = CardForm {
                number: number.0,
                expiry,
                card_code: card_code.0,
                billing,
            };
            match validate_card_form(&form, &policy, today) {
                Ok(card) => Some(Instrument::NewCard(Box::new(card))),
                Err(errs) => {
                    for e in &errs {
                        let prefix = if is_card_field(e) { "" } else { "billing" };
                        errors.push(field_error(prefix, e));
                    }
                    None
                }
            }
        }
        PaymentInput::SavedCard {
            payment_method_id,
            card_code,
        } => {
            let not_found = || FieldError {
                field: "payment_method_id".into(),
                code: "payment_method.not_found".into(),
                message: "This saved card is not available.".into(),
            };
            let shopper = match &s.shopper_reference {
                Some(r) => state.db.get_shopper(r).await?,
                None => None,
            };
            let card = match &shopper {
                Some(sh) => state.db.get_card(&sh.reference, &payment_method_id).await?,
                None => None,
            };
            match (shopper, card) {
                (Some(sh), Some(card)) => {
                    let view = session::card_view(&card, today);
                    let brand = card
                        .brand
                        .as_deref()
                        .and_then(checkout_domain::Brand::from_str_opt);
                    let code = match card_code
                        .as_ref()
                        .map(|c| c.0.trim())
                        .filter(|c| !c.is_empty())
                    {
                        Some(c) => match CardCode::parse(c, brand) {
                            Ok(code) => Some(code),
                            Err(e) => {
                                errors.push(field_error("", &e));
                                None
                            }
                        },
                        None if s.require_card_code => {
                            errors.push(field_error(
                                "",
                                &ValidationError::new(
                                    checkout_domain::Field::CardCode,
                                    "card_code.required",
                                ),
                            ));
                            None
                        }
                        None => None,
                    };
                    if view.expired {
                        errors.push(FieldError {
                            field: "payment_method_id".into(),
                            code: "payment_method.expired".into(),
                            message: "This saved card has expired. Please use a different card."
                                .into(),
                        });
                    }
                    Some(Instrument::Saved {
                        card,
                        customer_profile_id: sh.customer_profile_id,
                        card_code: code,
                    })
                }
                _ => {
                    errors.push(not_found());
                    None
                }
            }
        }
    };
    let shipping = match req.shipping {
        None => None,
        Some(ShippingInput::Saved { address_id }) => {
            let row = match &s.shopper_reference {
                Some(r) => state.db.get_address(r, &address_id).await?,
                None => None,
            };
            match row {
                Some(a) => Some(Shipping::Saved(a)),
                None => {
                    errors.push(FieldError {
                        field: "shipping.address_id".into(),
                        code: "address.not_found".into(),
                        message: "This saved address is not available.".into(),
                    });
                    None
                }
            }
        }
        Some(ShippingInput::New { address }) => match validate_shipping(&address) {
            Ok(a) => Some(Shipping::New(a)),
            Err(errs) => {
                errors.extend(errs.iter().map(|e| field_error("shipping", e)));
                None
            }
        },
    };
    match instrument {
        Some(instrument) if errors.is_empty() => Ok(Prepared {
            instrument,
            shipping,
            save,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

fn rate_limited(state: &AppState, r: Refused) -> AppError {
    let (scope, wait, message) = match r {
        Refused::Ip(w) => (
            "ip",
            w,
            "Too many payment attempts from your network. Please wait a minute and try again.",
        ),
        Refused::Session(w) => (
            "session",
            w,
            "Too many payment attempts on this checkout. Please wait a minute and try again.",
        ),
    };
    state.metrics.rate_limited(scope);
    tracing::warn!(scope, "pay request rate limited");
    AppError::RateLimited {
        message: message.into(),
        retry_after_secs: wait.as_secs().max(1),
    }
}

fn too_many_attempts(state: &AppState) -> AppError {
    state.metrics.rate_limited("session_attempts");
    AppError::RateLimited {
        message:
            "This checkout has reached its limit of payment attempts. Please contact the store."
                .into(),
        retry_after_secs: 3600,
    }
}

/// The pay endpoint's logic.
pub async fn pay(
    state: &AppState,
    s: SessionRow,
    req: PayRequest,
    ip: ClientIp,
) -> Result<PayResponse, AppError> {
    match effective_status(&s) {
        SessionStatus::Open => {}
        SessionStatus::Processing => return wait_for_outcome(state, &s.id).await,
        SessionStatus::Expired => return Err(AppError::Expired),
        SessionStatus::Declined => return Err(too_many_attempts(state)),
        _ => return answer_from_session(state, &s).await,
    }
    let prepared = prepare(state, &s, req).await?;
    if s.attempts >= i64::from(state.config.limits.session_attempts) {
        return Err(too_many_attempts(state));
    }
    state
        .limits
        .check_pay(&s.id, &ip.key())
        .map_err(|r| rate_limited(state, r))?;
    let order: CreateSessionRequest = serde_json::from_str(&s.order_json)
        .map_err(|e| AppError::Internal(format!("stored order unreadable: {e}")))?;
    let (kind, template) = attempt_template(&s, &prepared, &ip);

    // The claim and the attempt run in a task of their own: once the session
    // is claimed the attempt completes even if the client disconnects or the
    // request times out, and shutdown waits for it.
    let st = state.clone();
    let task = tokio::spawn(async move {
        let _guard = st.inflight.enter();
        match claim(&st, s, &template).await? {
            Claim::Won(s, row) => attempt(&st, *s, *row, kind, order, prepared, ip)
                .await
                .map(Paid::Done),
            Claim::Lost(cur) => Ok(Paid::Lost(cur)),
        }
    });
    let paid = task
        .await
        .map_err(|e| AppError::Internal(format!("payment task failed: {e}")))??;
    match paid {
        Paid::Done(resp) => Ok(resp),
        // Waiting for another pay's outcome holds no payment of ours: it
        // happens outside the task shutdown waits for.
        Paid::Lost(cur) => match effective_status(&cur) {
            SessionStatus::Processing => wait_for_outcome(state, &cur.id).await,
            SessionStatus::Expired => Err(AppError::Expired),
            _ => answer_from_session(state, &cur).await,
        },
    }
}

enum Paid {
    Done(PayResponse),
    /// Another pay holds or finished the session (as re-read).
    Lost(Box<SessionRow>),
}

/// How many times a pay that lost the claim to an attempt that has since
/// failed (the session is `open` again, attempts remain) claims again.
const CLAIM_RETRIES: u32 = 3;

enum Claim {
    /// The session is ours (`processing`, attempts counted) and its `pending`
    /// ledger row is written: the session as read, and that row.
    Won(Box<SessionRow>, Box<AttemptRow>),
    /// Another pay holds or finished the session: the session as re-read.
    Lost(Box<SessionRow>),
}

/// `open → processing` for this pay, together with the attempt's ledger row
/// (one transaction). Losing the race says nothing about the attempt limit:
/// the winner's attempt may already have failed and reopened the session, so
/// an `open` session with attempts left is claimed again (a bounded number
/// of times); only a session whose attempts are used up is "limit reached".
async fn claim(state: &AppState, s: SessionRow, template: &AttemptRow) -> Result<Claim, AppError> {
    let limit = state.config.limits.session_attempts;
    let window = state.config.duplicate_window_secs;
    let mut s = s;
    let mut retries = 0;
    loop {
        let won = state
            .db
            .claim_and_record_attempt(&s.id, limit, now(), |n| AttemptRow {
                id: new_id("pa_"),
                duplicate_window: Some(i64::from(attempt_window(window, n))),
                created_at: now(),
                ..template.clone()
            })
            .await?;
        if let Some(row) = won {
            return Ok(Claim::Won(Box::new(s), Box::new(row)));
        }
        let cur = state
            .db
            .get_session(&s.id)
            .await?
            .ok_or(AppError::NotFound("session"))?;
        match effective_status(&cur) {
            SessionStatus::Open if cur.attempts >= i64::from(limit) => {
                return Err(too_many_attempts(state));
            }
            SessionStatus::Open if retries < CLAIM_RETRIES => {
                retries += 1;
                s = cur;
            }
            // Still contended after the retries: other pays keep winning.
            SessionStatus::Open => {
                return Err(AppError::conflict(
                    "payment_in_progress",
                    "A payment for this checkout is in progress. Please wait a moment and try again.",
                ));
            }
            _ => return Ok(Claim::Lost(Box::new(cur))),
        }
    }
}

/// The `x_duplicate_window` of the `n`th charge attempt on a session (from 1):
/// the configured window, one second less per earlier attempt. Attempts on a
/// session share the invoice number; the gateway also compares the window, so
/// a corrected retry (say, only the card code changed, which the duplicate
/// check ignores) is a new transaction, while a resend of the same attempt is
/// recognised as its duplicate.
pub fn attempt_window(base: u32, n: i64) -> u32 {
    if base == 0 {
        return 0;
    }
    let earlier = u32::try_from(n.saturating_sub(1)).unwrap_or(0);
    match base.checked_sub(earlier) {
        Some(w) if w > 0 => w,
        _ => base.saturating_add(earlier),
    }
}

/// The ledger row of a charge attempt on `s`, all but what the claim decides
/// (its id, its duplicate window, its time).
fn attempt_template(s: &SessionRow, p: &Prepared, ip: &ClientIp) -> (TransactionType, AttemptRow) {
    let kind = match mode_from_str(&s.mode) {
        PaymentMode::AuthCapture => TransactionType::AuthCapture,
        PaymentMode::AuthOnly => TransactionType::AuthOnly,
    };
    let (channel, brand, last4, expiry, cpid, ppid) = match &p.instrument {
        Instrument::NewCard(c) => (
            "aim",
            c.number.brand().map(|b| b.as_str().to_owned()),
            c.number.last4().to_owned(),
            format!("{:02}/{:04}", c.expiry.month(), c.expiry.year()),
            None,
            None,
        ),
        Instrument::Saved {
            card,
            customer_profile_id,
            ..
        } => (
            "cim",
            card.brand.clone(),
            card.last4.clone(),
            format!("{:02}/{:04}", card.exp_month, card.exp_year),
            Some(customer_profile_id.clone()),
            Some(card.payment_profile_id.clone()),
        ),
    };
    let shipping_address_id = match &p.shipping {
        Some(Shipping::Saved(a)) if channel == "cim" => Some(a.address_id.clone()),
        _ => None,
    };
    let row = AttemptRow {
        session_id: s.id.clone(),
        kind: kind.as_response_str().to_owned(),
        channel: channel.to_owned(),
        state: "pending".into(),
        amount: s.amount.clone(),
        invoice_number: Some(s.invoice_number.clone()),
        customer_profile_id: cpid,
        payment_profile_id: ppid,
        shipping_address_id,
        brand,
        last4: Some(last4),
        expiry: Some(expiry),
        client_ip: ip.0.map(|i| i.to_string()),
        ..AttemptRow::default()
    };
    (kind, row)
}

#[tracing::instrument(skip_all, fields(session = %s.id))]
async fn attempt(
    state: &AppState,
    s: SessionRow,
    row: AttemptRow,
    kind: TransactionType,
    order: CreateSessionRequest,
    p: Prepared,
    ip: ClientIp,
) -> Result<PayResponse, AppError> {
    let channel = row.channel.as_str();
    let (brand, last4) = (row.brand.clone(), row.last4.clone());
    tracing::info!(attempt = %row.id, channel, kind = %kind.as_response_str(), "sending payment");
    let sent = match &p.instrument {
        Instrument::NewCard(card) => {
            let req = request::aim_charge(
                state,
                &s,
                &order,
                kind,
                card,
                p.shipping.as_ref(),
                &ip,
                &row,
            )?;
            let sent = send_resolving(state, &row.id, || async {
                state
                    .gateway
                    .aim(&req)
                    .await
                    .map(|r| Answer::Aim(Box::new(r)))
            })
            .await;
            if let Sent::Unknown(_) = &sent {
                resolve::spawn_background_aim(state.clone(), s.id.clone(), row.clone(), req);
            }
            sent
        }
        Instrument::Saved { card_code, .. } => {
            let req = request::cim_charge(state, &s, &order, kind, &row, card_code.as_ref(), &ip)?;
            send_resolving(state, &row.id, || async {
                state.gateway.api(&req).await.map(request::cim_answer)
            })
            .await
        }
    };

    match sent {
        Sent::NotSent(reason) => {
            tracing::warn!(attempt = %row.id, %reason, "payment not sent");
            let d = Decision::Error {
                code: "error.try_again".into(),
                retryable: true,
                reason: 0,
                gateway_text: reason,
            };
            finish_charge(state, &s, &row, &d, None).await
        }
        Sent::Unknown(reason) => {
            tracing::error!(attempt = %row.id, %reason, "payment outcome still unknown");
            // Second mark: tells concurrent waiters the in-request resends are over.
            state.db.mark_attempt_uncertain(&row.id).await?;
            state.metrics.payment(channel, "uncertain");
            state
                .db
                .audit(
                    Some(&s.id),
                    "relay",
                    "payment.uncertain",
                    &format!("attempt={}", row.id),
                )
                .await?;
            Ok(PayResponse {
                result: PayResult::Error,
                status: SessionStatus::Processing,
                transaction_id: None,
                brand,
                last4,
                message_code: "error.uncertain".into(),
                message: shopper_message("error.uncertain").into(),
                fields: vec![],
                can_retry: false,
            })
        }
        Sent::Answered { answer, resent } => {
            let d = decide(&answer, kind);
            if resent {
                tracing::info!(attempt = %row.id, outcome = d.state(), "uncertain outcome resolved by resend");
            }
            if let Decision::Partial { trans_id } = &d {
                operations::void_quietly(state, trans_id).await;
            }
            let resp = finish_charge(state, &s, &row, &d, Some(&answer)).await?;
            if matches!(d, Decision::Approved { .. }) {
                if let Instrument::NewCard(card) = &p.instrument {
                    if p.save {
                        let outcome = wallet::save_card(state, &s, card, p.shipping.as_ref()).await;
                        let _ = state.db.set_save_outcome(&s.id, &outcome).await;
                    }
                } else if p.save
                    && let Some(Shipping::New(addr)) = &p.shipping
                {
                    let outcome = wallet::save_address_only(state, &s, addr).await;
                    let _ = state.db.set_save_outcome(&s.id, &outcome).await;
                }
            }
            Ok(resp)
        }
    }
}

/// Writes a charge attempt's outcome to the ledger and the session, and
/// builds the shopper's answer.
pub async fn finish_charge(
    state: &AppState,
    s: &SessionRow,
    row: &AttemptRow,
    d: &Decision,
    answer: Option<&Answer>,
) -> Result<PayResponse, AppError> {
    let auth_only = s.mode == "auth_only";
    let code = d.code();
    let mut f = PaymentFinish {
        brand: row.brand.clone(),
        last4: row.last4.clone(),
        customer_profile_id: row.customer_profile_id.clone(),
        payment_profile_id: row.payment_profile_id.clone(),
        amount_authorized: "0.00".into(),
        amount_captured: "0.00".into(),
        ..PaymentFinish::default()
    };
    let approved = |f: &mut PaymentFinish| {
        f.status = if auth_only { "authorized" } else { "approved" }.into();
        f.transaction_id = d.trans_id().map(str::to_owned);
        f.amount_authorized = s.amount.clone();
        f.amount_captured = if auth_only {
            "0.00".into()
        } else {
            s.amount.clone()
        };
    };
    // A failed attempt asks for `open`; the database makes it `declined`
    // when the session's attempts are used up.
    let (result, retryable) = match d {
        Decision::Approved {
            auth_code,
            avs,
            card_code,
            ..
        } => {
            approved(&mut f);
            f.auth_code = Some(auth_code.clone()).filter(|a| !a.is_empty());
            f.avs_result = avs.clone();
            f.card_code_result = card_code.clone();
            (PayResult::Approved, false)
        }
        Decision::Held { .. } => {
            approved(&mut f);
            f.last_error_code = Some(code.clone());
            f.last_error = Some("Held for review by the gateway's fraud filters.".into());
            (PayResult::Approved, false)
        }
        Decision::Declined { .. } | Decision::Partial { .. } => {
            f.status = "open".into();
            f.last_error_code = Some(code.clone());
            f.last_error = Some(shopper_message(&code).into());
            (PayResult::Declined, true)
        }
        Decision::Error { retryable, .. } => {
            f.status = "open".into();
            f.last_error_code = Some(code.clone());
            f.last_error = Some(shopper_message(&code).into());
            (PayResult::Error, *retryable)
        }
    };
    if let Decision::Error {
        gateway_text,
        reason,
        ..
    } = d
    {
        tracing::warn!(attempt = %row.id, reason = *reason, gateway = %gateway_text, "payment error");
    }
    // Avs/card-code results are kept on declines too (useful to the merchant).
    if let Some(Answer::Aim(r)) = answer {
        if f.avs_result.is_none() {
            f.avs_result = r.avs_result.as_ref().map(|a| a.as_str().to_owned());
        }
        if f.card_code_result.is_none() {
            f.card_code_result = r.card_code_result.as_ref().map(|a| a.as_str().to_owned());
        }
    }
    let result_row = d.to_result(answer);
    let event = format!("payment.{}", d.state());
    let detail = format!(
        "attempt={} code={} reason={} transaction={}",
        row.id,
        code,
        d.reason().unwrap_or(0),
        d.trans_id().unwrap_or("-")
    );
    let recorded = state
        .db
        .record_charge_outcome(
            &ChargeOutcome {
                session_id: &s.id,
                attempt_id: &row.id,
                result: &result_row,
                finish: &f,
                audit_event: &event,
                audit_detail: &detail,
            },
            state.config.limits.session_attempts,
        )
        .await?;
    let status = match recorded {
        Some(status) => status,
        // The session had already left `processing`: report where it is.
        None => {
            state
                .db
                .get_session(&s.id)
                .await?
                .ok_or(AppError::NotFound("session"))?
                .status
        }
    };
    let channel = row.channel.as_str();
    state.metrics.payment(channel, d.state());
    tracing::info!(attempt = %row.id, outcome = d.state(), code = %code, "payment finished");
    let status = session::status_from_str(&status);
    Ok(PayResponse {
        result,
        status,
        transaction_id: f.transaction_id.clone(),
        brand: row.brand.clone(),
        last4: row.last4.clone(),
        message: shopper_message(&code).into(),
        fields: blamed_fields(&code),
        message_code: code,
        can_retry: retryable && status == SessionStatus::Open,
    })
}

/// The answer for a session whose payment already finished (a repeated or
/// concurrent pay): the recorded outcome, never a second charge.
pub async fn answer_from_session(
    state: &AppState,
    s: &SessionRow,
) -> Result<PayResponse, AppError> {
    let status = effective_status(s);
    let attempts = state.db.attempts_for_session(&s.id).await?;
    // The newest charge attempt with an outcome: a concurrent pay may have
    // just claimed the session again and written a `pending` row.
    let last_charge = attempts
        .iter()
        .rev()
        .find(|a| (a.kind == "auth_capture" || a.kind == "auth_only") && a.message_code.is_some());
    let paid = matches!(
        status,
        SessionStatus::Approved
            | SessionStatus::Authorized
            | SessionStatus::Captured
            | SessionStatus::Voided
            | SessionStatus::Refunded
    );
    if paid {
        return Ok(PayResponse {
            result: PayResult::Approved,
            status,
            transaction_id: s.transaction_id.clone(),
            brand: s.brand.clone(),
            last4: s.last4.clone(),
            message_code: "approved".into(),
            message: shopper_message("approved").into(),
            fields: vec![],
            can_retry: false,
        });
    }
    let code = last_charge
        .and_then(|a| a.message_code.clone())
        .unwrap_or_else(|| "declined".into());
    let result = if code.starts_with("error") {
        PayResult::Error
    } else {
        PayResult::Declined
    };
    let can_retry = status == SessionStatus::Open;
    Ok(PayResponse {
        result,
        status,
        transaction_id: None,
        brand: last_charge.and_then(|a| a.brand.clone()),
        last4: last_charge.and_then(|a| a.last4.clone()),
        message: shopper_message(&code).into(),
        fields: blamed_fields(&code),
        message_code: code,
        can_retry,
    })
}

/// Another request is paying this session: wait for it and report its outcome.
async fn wait_for_outcome(state: &AppState, id: &str) -> Result<PayResponse, AppError> {
    let timeout = state.config.gateway_timeout_secs;
    let limit = Duration::from_secs(timeout * 4 + 10);
    let deadline = tokio::time::Instant::now() + limit;
    // Many waiters (a burst of double clicks) must not crowd the database:
    // poll gently, backing off.
    let mut pause = Duration::from_millis(100);
    let mut round = 0u32;
    loop {
        let s = state
            .db
            .get_session(id)
            .await?
            .ok_or(AppError::NotFound("session"))?;
        if s.status != "processing" {
            return answer_from_session(state, &s).await;
        }
        if round % 4 == 3 {
            let attempts = state.db.attempts_for_session(id).await?;
            if attempts.iter().any(|a| a.state == "unresolved") {
                return Err(AppError::conflict(
                    "payment_unresolved",
                    "An earlier payment on this checkout could not be confirmed. Please do not pay again; the store will confirm your order.",
                ));
            }
            // Marked uncertain twice: the in-request resends gave up and the
            // attempt is being resolved in the background.
            let stuck = attempts
                .last()
                .is_some_and(|a| a.state == "uncertain" && a.resends >= 2);
            if stuck {
                break;
            }
        }
        if tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 3 / 2).min(Duration::from_millis(1000));
        round += 1;
    }
    Err(AppError::conflict(
        "payment_in_progress",
        "A payment for this checkout is still being processed. Please do not pay again.",
    ))
}

#[cfg(test)]
mod tests {
    use super::attempt_window;

    #[test]
    fn each_attempt_has_its_own_duplicate_window() {
        assert_eq!(attempt_window(600, 1), 600);
        assert_eq!(attempt_window(600, 2), 599);
        assert_eq!(attempt_window(600, 5), 596);
        assert_eq!(attempt_window(0, 3), 0);
        assert_eq!(attempt_window(2, 4), 5);
    }
}
