//! Creating sessions and presenting them (merchant view, widget view).

use std::str::FromStr;

use checkout_api::{
    AddressView, CreateSessionRequest, CreateSessionResponse, FieldError, PaymentMethodView,
    PaymentMode, SessionStatus, SessionView, WidgetSession,
};
use checkout_domain::{Amount, YearMonth};
use rust_decimal::Decimal;

use crate::AppState;
use crate::error::AppError;
use crate::http::token_hash;
use crate::storage::{self, AddressRow, CardRow, SessionRow, new_id, now, rfc3339};

pub fn status_from_str(s: &str) -> SessionStatus {
    match s {
        "open" => SessionStatus::Open,
        "processing" => SessionStatus::Processing,
        "approved" => SessionStatus::Approved,
        "declined" => SessionStatus::Declined,
        "authorized" => SessionStatus::Authorized,
        "captured" => SessionStatus::Captured,
        "voided" => SessionStatus::Voided,
        "refunded" => SessionStatus::Refunded,
        _ => SessionStatus::Expired,
    }
}

pub fn mode_str(m: PaymentMode) -> &'static str {
    match m {
        PaymentMode::AuthCapture => "auth_capture",
        PaymentMode::AuthOnly => "auth_only",
    }
}

pub fn mode_from_str(s: &str) -> PaymentMode {
    if s == "auth_only" {
        PaymentMode::AuthOnly
    } else {
        PaymentMode::AuthCapture
    }
}

/// "Today" for expiry checks: the earliest calendar month any shopper can be
/// in right now (UTC−12), so that a card valid in the shopper's local month is
/// never refused by the relay's clock.
pub fn today() -> YearMonth {
    let t = time::OffsetDateTime::now_utc() - time::Duration::hours(12);
    YearMonth {
        year: u16::try_from(t.year()).unwrap_or(2000),
        month: u8::from(t.month()),
    }
}

fn fe(field: impl Into<String>, code: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

fn check_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: Option<&str>,
    max: usize,
    required: bool,
) {
    match value {
        None | Some("") if required => {
            errors.push(fe(field, "required", "This field is required."))
        }
        Some(v) if v.chars().count() > max => {
            errors.push(fe(field, "too_long", &format!("At most {max} characters.")))
        }
        Some(v) if v.contains("<|>") || v.chars().any(|c| c.is_control()) => errors.push(fe(
            field,
            "invalid_characters",
            "Contains characters the gateway does not accept.",
        )),
        _ => {}
    }
}

fn check_reference(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    if value.is_empty() || value.len() > 20 {
        errors.push(fe(field, "length", "Must be 1 to 20 characters."));
    } else if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'@'))
    {
        errors.push(fe(
            field,
            "invalid_characters",
            "Use letters, digits and - _ . @ only.",
        ));
    }
}

/// Validates a session request; every problem is reported.
pub fn validate_create(req: &CreateSessionRequest) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if !req.amount.is_positive() {
        errors.push(fe(
            "amount",
            "amount.not_positive",
            "The amount must be more than zero.",
        ));
    }
    for (name, charge) in [
        ("tax", &req.tax),
        ("freight", &req.freight),
        ("duty", &req.duty),
    ] {
        if let Some(c) = charge {
            check_text(
                &mut errors,
                &format!("{name}.name"),
                c.name.as_deref(),
                31,
                false,
            );
            check_text(
                &mut errors,
                &format!("{name}.description"),
                c.description.as_deref(),
                255,
                false,
            );
            if c.amount > req.amount {
                errors.push(fe(
                    format!("{name}.amount"),
                    "amount.above_total",
                    "Cannot be more than the total amount.",
                ));
            }
        }
    }
    if req.line_items.len() > 30 {
        errors.push(fe("line_items", "too_many", "At most 30 line items."));
    }
    for (i, item) in req.line_items.iter().enumerate() {
        let p = format!("line_items[{i}]");
        check_text(
            &mut errors,
            &format!("{p}.item_id"),
            Some(&item.item_id),
            31,
            true,
        );
        check_text(
            &mut errors,
            &format!("{p}.name"),
            Some(&item.name),
            31,
            true,
        );
        check_text(
            &mut errors,
            &format!("{p}.description"),
            item.description.as_deref(),
            255,
            false,
        );
        match Decimal::from_str(item.quantity.trim()) {
            Ok(q)
                if q > Decimal::ZERO
                    && q.normalize().scale() <= 2
                    && q < Decimal::from(100_000) => {}
            _ => errors.push(fe(
                format!("{p}.quantity"),
                "quantity.invalid",
                "A positive number with at most two decimals.",
            )),
        }
    }
    check_text(
        &mut errors,
        "invoice_number",
        req.invoice_number.as_deref(),
        20,
        false,
    );
    if req.invoice_number.as_deref() == Some("") {
        errors.push(fe("invoice_number", "required", "Omit it or give a value."));
    }
    check_text(
        &mut errors,
        "po_number",
        req.po_number.as_deref(),
        25,
        false,
    );
    check_text(
        &mut errors,
        "description",
        req.description.as_deref(),
        255,
        false,
    );
    if let Some(r) = &req.shopper_reference {
        check_reference(&mut errors, "shopper_reference", r);
    }
    if let Some(email) = &req.shopper_email
        && let Err(e) = checkout_domain::validate_email(email, false)
    {
        errors.push(fe("shopper_email", e.code, &e.message));
    }
    if req.offer_save && req.shopper_reference.is_none() {
        errors.push(fe(
            "offer_save",
            "requires_shopper_reference",
            "Saving cards needs a shopper_reference.",
        ));
    }
    if let Some(u) = &req.return_url
        && (!(u.starts_with("https://") || u.starts_with("http://")) || u.len() > 2048)
    {
        errors.push(fe(
            "return_url",
            "url.invalid",
            "An http(s) URL of at most 2048 characters.",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

fn generate_invoice() -> String {
    let bytes: [u8; 6] = rand::random();
    format!("INV-{}", hex::encode_upper(bytes))
}

pub async fn create(
    state: &AppState,
    req: CreateSessionRequest,
) -> Result<CreateSessionResponse, AppError> {
    validate_create(&req)?;
    let id = new_id("cs_");
    let token_bytes: [u8; 24] = rand::random();
    let client_token = format!("ct_{}", hex::encode(token_bytes));
    let at = now();
    let ttl = i64::try_from(state.config.session_ttl_secs).unwrap_or(3600);
    let expires_at = at + ttl;
    let order_json = serde_json::to_string(&req)
        .map_err(|e| AppError::Internal(format!("encode order: {e}")))?;
    let row = SessionRow {
        id: id.clone(),
        client_token_hash: token_hash(&client_token),
        status: "open".into(),
        mode: mode_str(req.mode).into(),
        amount: req.amount.to_string(),
        currency: "USD".into(),
        order_json,
        invoice_number: req.invoice_number.clone().unwrap_or_else(generate_invoice),
        shopper_reference: req.shopper_reference.clone(),
        shopper_email: req.shopper_email.clone(),
        require_avs: req.require_avs,
        require_card_code: req.require_card_code,
        offer_save: req.offer_save,
        return_url: req.return_url.clone(),
        attempts: 0,
        transaction_id: None,
        auth_code: None,
        brand: None,
        last4: None,
        avs_result: None,
        card_code_result: None,
        customer_profile_id: None,
        payment_profile_id: None,
        amount_authorized: "0.00".into(),
        amount_captured: "0.00".into(),
        amount_refunded: "0.00".into(),
        last_error_code: None,
        last_error: None,
        save_outcome: None,
        expires_at,
        created_at: at,
        updated_at: at,
    };
    state.db.insert_session(&row).await?;
    state
        .db
        .audit(
            Some(&id),
            "merchant",
            "session.created",
            &format!("amount={} mode={}", row.amount, row.mode),
        )
        .await?;
    tracing::info!(session = %id, amount = %row.amount, mode = %row.mode, "session created");
    Ok(CreateSessionResponse {
        id,
        client_token,
        expires_at: rfc3339(expires_at),
        status: SessionStatus::Open,
    })
}

/// The session's status as of now (an open session past its expiry is expired).
pub fn effective_status(s: &SessionRow) -> SessionStatus {
    let st = status_from_str(&s.status);
    if st == SessionStatus::Open && s.expires_at <= now() {
        SessionStatus::Expired
    } else {
        st
    }
}

fn amt(s: &str) -> Result<Amount, AppError> {
    storage::amount(s).map_err(AppError::from)
}

pub fn merchant_view(s: &SessionRow) -> Result<SessionView, AppError> {
    Ok(SessionView {
        id: s.id.clone(),
        status: effective_status(s),
        mode: mode_from_str(&s.mode),
        amount: amt(&s.amount)?,
        currency: s.currency.clone(),
        transaction_id: s.transaction_id.clone(),
        brand: s.brand.clone(),
        last4: s.last4.clone(),
        avs_result: s.avs_result.clone(),
        card_code_result: s.card_code_result.clone(),
        amount_authorized: amt(&s.amount_authorized)?,
        amount_captured: amt(&s.amount_captured)?,
        amount_refunded: amt(&s.amount_refunded)?,
        invoice_number: Some(s.invoice_number.clone()),
        shopper_reference: s.shopper_reference.clone(),
        last_error: s.last_error.clone(),
        save_outcome: s.save_outcome.clone(),
        created_at: rfc3339(s.created_at),
        updated_at: rfc3339(s.updated_at),
    })
}

pub fn card_view(c: &CardRow, today: YearMonth) -> PaymentMethodView {
    let month = u8::try_from(c.exp_month).unwrap_or(1);
    let year = u16::try_from(c.exp_year).unwrap_or(2000);
    let expired = YearMonth { year, month } < today;
    PaymentMethodView {
        id: c.id.clone(),
        brand: c.brand.clone(),
        last4: c.last4.clone(),
        expiry: format!("{month:02}/{year:04}"),
        expired,
    }
}

pub fn address_view(a: &AddressRow) -> AddressView {
    AddressView {
        id: a.id.clone(),
        first_name: a.first_name.clone(),
        last_name: a.last_name.clone(),
        company: a.company.clone(),
        address: a.address.clone(),
        city: a.city.clone(),
        state: a.state.clone(),
        zip: a.zip.clone(),
        country: a.country.clone(),
    }
}

pub async fn widget_view(state: &AppState, s: &SessionRow) -> Result<WidgetSession, AppError> {
    let order: CreateSessionRequest = serde_json::from_str(&s.order_json)
        .map_err(|e| AppError::Internal(format!("stored order unreadable: {e}")))?;
    let today = today();
    let (saved_cards, saved_addresses) = match &s.shopper_reference {
        Some(r) => (
            state
                .db
                .list_cards(r)
                .await?
                .iter()
                .map(|c| card_view(c, today))
                .collect(),
            state
                .db
                .list_addresses(r)
                .await?
                .iter()
                .map(address_view)
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    Ok(WidgetSession {
        amount: amt(&s.amount)?,
        currency: s.currency.clone(),
        merchant_name: state.config.merchant_name.clone(),
        mode: mode_from_str(&s.mode),
        status: effective_status(s),
        require_avs: s.require_avs,
        require_card_code: s.require_card_code,
        offer_save: s.offer_save,
        shopper_known: s.shopper_reference.is_some(),
        saved_cards,
        saved_addresses,
        description: order.description,
    })
}
