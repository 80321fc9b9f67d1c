//! Building gateway requests from a session. Deterministic: the same session
//! and ledger row always give the same request, which is what lets an
//! uncertain attempt be resolved by resending it.

use std::str::FromStr;

use authnet_proto::aim::request::Customer;
use authnet_proto::aim::{self, AimRequest, AimResponse, CardData, Charge, TransactionType};
use authnet_proto::api::{
    self, ApiRequest, ApiResponse, CreateCustomerProfileTransactionRequest, ExtendedAmount,
    NumericString, Order, ProfileTransOrder, ProfileTransaction, SecretText,
};
use checkout_api::{CreateSessionRequest, ExtraCharge};
use checkout_domain::{BillingAddress, CardCode, ValidCard};
use rust_decimal::Decimal;

use super::Shipping;
use super::answer::Answer;
use crate::AppState;
use crate::error::AppError;
use crate::http::ClientIp;
use crate::storage::{self, AttemptRow, SessionRow};

fn charge(c: &Option<ExtraCharge>) -> Option<Charge> {
    c.as_ref().map(|c| match (&c.name, &c.description) {
        (None, None) => Charge::Amount(c.amount.value()),
        (name, desc) => Charge::Itemized {
            name: name.clone().unwrap_or_default(),
            description: desc.clone().unwrap_or_default(),
            amount: c.amount.value(),
        },
    })
}

fn extended(c: &Option<ExtraCharge>) -> Option<ExtendedAmount> {
    c.as_ref().map(|c| ExtendedAmount {
        amount: c.amount.value(),
        name: c.name.clone(),
        description: c.description.clone(),
    })
}

fn quantity(q: &str) -> Decimal {
    Decimal::from_str(q.trim()).unwrap_or(Decimal::ONE)
}

fn address(a: &BillingAddress) -> aim::request::Address {
    aim::request::Address {
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

fn ship_to(s: Option<&Shipping>) -> aim::request::Address {
    match s {
        None => aim::request::Address::default(),
        Some(Shipping::New(a)) => address(a),
        Some(Shipping::Saved(a)) => {
            let o = |v: &str| Some(v.to_owned()).filter(|v| !v.is_empty());
            aim::request::Address {
                first_name: o(&a.first_name),
                last_name: o(&a.last_name),
                company: o(&a.company),
                address: o(&a.address),
                city: o(&a.city),
                state: o(&a.state),
                zip: o(&a.zip),
                country: o(&a.country),
            }
        }
    }
}

fn bad_order(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("cannot build gateway request: {e}"))
}

/// AIM AUTH_CAPTURE / AUTH_ONLY for a new card.
#[allow(clippy::too_many_arguments)]
pub fn aim_charge(
    state: &AppState,
    s: &SessionRow,
    order: &CreateSessionRequest,
    kind: TransactionType,
    card: &ValidCard,
    shipping: Option<&Shipping>,
    ip: &ClientIp,
    row: &AttemptRow,
) -> Result<AimRequest, AppError> {
    let amount = storage::amount(&s.amount).map_err(bad_order)?.value();
    let data = CardData::full(card.number.clone(), card.expiry, card.card_code.clone());
    let creds = state.gateway.credentials();
    let mut r = match kind {
        TransactionType::AuthOnly => AimRequest::auth_only(creds, amount, data),
        _ => AimRequest::auth_capture(creds, amount, data),
    }
    .with_invoice(s.invoice_number.clone())
    .with_duplicate_window(window_of(state, row))
    .with_bill_to(address(&card.billing))
    .with_ship_to(ship_to(shipping))
    .with_customer(Customer {
        phone: card.billing.phone.clone(),
        fax: None,
        email: card
            .billing
            .email
            .clone()
            .or_else(|| s.shopper_email.clone()),
        cust_id: s.shopper_reference.clone(),
        customer_ip: ip.for_aim(),
    });
    r.description = order.description.clone();
    r.po_num = order.po_number.clone();
    r.tax = charge(&order.tax);
    r.freight = charge(&order.freight);
    r.duty = charge(&order.duty);
    r.tax_exempt = order.tax_exempt.then_some(true);
    for item in &order.line_items {
        r = r.with_line_item(aim::LineItem {
            id: item.item_id.clone(),
            name: item.name.clone(),
            description: item.description.clone().unwrap_or_default(),
            quantity: quantity(&item.quantity),
            unit_price: item.unit_price.value(),
            taxable: item.taxable,
        });
    }
    r.validate().map_err(bad_order)?;
    Ok(r)
}

/// The attempt's own duplicate window (see `payments::attempt_window`).
fn window_of(state: &AppState, row: &AttemptRow) -> u32 {
    row.duplicate_window
        .and_then(|w| u32::try_from(w).ok())
        .unwrap_or(state.config.duplicate_window_secs)
}

fn numeric(s: &str) -> Result<NumericString, AppError> {
    NumericString::new(s).ok_or_else(|| AppError::Internal(format!("non-numeric gateway id {s:?}")))
}

/// CIM `createCustomerProfileTransactionRequest` for a saved card.
pub fn cim_charge(
    state: &AppState,
    s: &SessionRow,
    order: &CreateSessionRequest,
    kind: TransactionType,
    row: &AttemptRow,
    card_code: Option<&CardCode>,
    ip: &ClientIp,
) -> Result<ApiRequest, AppError> {
    let amount = storage::amount(&s.amount).map_err(bad_order)?.value();
    let cpid = row
        .customer_profile_id
        .as_deref()
        .ok_or_else(|| bad_order("no customer profile"))?;
    let ppid = row
        .payment_profile_id
        .as_deref()
        .ok_or_else(|| bad_order("no payment profile"))?;
    let tx = ProfileTransOrder {
        amount,
        tax: extended(&order.tax),
        shipping: extended(&order.freight),
        duty: extended(&order.duty),
        line_items: order
            .line_items
            .iter()
            .map(|i| api::LineItem {
                item_id: i.item_id.clone(),
                name: i.name.clone(),
                description: i.description.clone(),
                quantity: quantity(&i.quantity),
                unit_price: i.unit_price.value(),
                taxable: Some(i.taxable),
            })
            .collect(),
        customer_profile_id: numeric(cpid)?,
        customer_payment_profile_id: numeric(ppid)?,
        customer_shipping_address_id: row
            .shipping_address_id
            .as_deref()
            .map(numeric)
            .transpose()?,
        order: Some(Order {
            invoice_number: Some(s.invoice_number.clone()),
            description: order.description.clone(),
            purchase_order_number: order.po_number.clone(),
        }),
        tax_exempt: order.tax_exempt.then_some(true),
        card_code: card_code.map(|c| SecretText::new(c.expose())),
        ..ProfileTransOrder::default()
    };
    let transaction = match kind {
        TransactionType::AuthOnly => ProfileTransaction::AuthOnly(tx),
        _ => ProfileTransaction::AuthCapture(tx),
    };
    let mut extra = format!("x_duplicate_window={}", window_of(state, row));
    if let Some(ip) = ip_from_row(row).or_else(|| ip.for_aim()) {
        extra.push_str(&format!("&x_customer_ip={ip}"));
    }
    Ok(ApiRequest::CreateCustomerProfileTransaction(
        CreateCustomerProfileTransactionRequest {
            merchant_authentication: state.gateway.merchant_authentication(),
            transaction,
            extra_options: Some(extra),
            ..CreateCustomerProfileTransactionRequest::default()
        },
    ))
}

/// The IPv4 address recorded on the ledger row (so a resend at start-up is
/// identical to the original).
fn ip_from_row(row: &AttemptRow) -> Option<String> {
    let ip: std::net::IpAddr = row.client_ip.as_deref()?.parse().ok()?;
    ClientIp(Some(ip)).for_aim()
}

/// Reads a CIM profile transaction answer: its `directResponse` when there is
/// one (approvals and payment declines), else the CIM error.
pub fn cim_answer(resp: ApiResponse) -> Answer {
    let messages = resp.messages().clone();
    let code = messages.first_code().unwrap_or("E00001").to_owned();
    let text = messages
        .message
        .first()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    if let ApiResponse::CreateCustomerProfileTransaction(r) = &resp
        && let Some(direct) = &r.direct_response
        && let Ok(parsed) = AimResponse::parse_auto(direct.as_bytes())
    {
        return Answer::Aim(Box::new(parsed));
    }
    if messages.is_ok() {
        // Ok without a readable directResponse: we cannot tell the result.
        return Answer::Cim {
            code: "E00001".into(),
            text: "approved without a readable directResponse".into(),
        };
    }
    Answer::Cim { code, text }
}

/// AIM PRIOR_AUTH_CAPTURE (amount only when less than authorised).
pub fn capture(state: &AppState, s: &SessionRow, row: &AttemptRow) -> Result<AimRequest, AppError> {
    let trans_id = row
        .ref_transaction_id
        .clone()
        .ok_or_else(|| bad_order("no transaction to capture"))?;
    let amount = storage::amount(&row.amount).map_err(bad_order)?;
    let authorized = storage::amount(&s.amount_authorized).map_err(bad_order)?;
    let partial = (amount != authorized).then_some(amount.value());
    let mut r = AimRequest::prior_auth_capture(state.gateway.credentials(), trans_id, partial)
        .with_duplicate_window(state.config.duplicate_window_secs);
    r.authorized_amount = Some(authorized.value());
    r.validate().map_err(bad_order)?;
    Ok(r)
}

/// AIM VOID.
pub fn void(state: &AppState, row: &AttemptRow) -> Result<AimRequest, AppError> {
    let trans_id = row
        .ref_transaction_id
        .clone()
        .ok_or_else(|| bad_order("no transaction to void"))?;
    let r = AimRequest::void(state.gateway.credentials(), trans_id)
        .with_duplicate_window(state.config.duplicate_window_secs);
    r.validate().map_err(bad_order)?;
    Ok(r)
}

/// AIM CREDIT against the settled charge, identified by the last four digits.
/// Each refund carries its own invoice number (from its ledger row), so two
/// equal partial refunds are not duplicates while a resend of one is.
pub fn credit(state: &AppState, s: &SessionRow, row: &AttemptRow) -> Result<AimRequest, AppError> {
    let trans_id = row
        .ref_transaction_id
        .clone()
        .ok_or_else(|| bad_order("no transaction to refund"))?;
    let last4 = s
        .last4
        .clone()
        .ok_or_else(|| bad_order("no last four digits"))?;
    let amount = storage::amount(&row.amount).map_err(bad_order)?.value();
    let invoice = row
        .invoice_number
        .clone()
        .unwrap_or_else(|| s.invoice_number.clone());
    let r = AimRequest::credit(
        state.gateway.credentials(),
        trans_id,
        amount,
        CardData::LastFour(last4),
    )
    .with_invoice(invoice)
    .with_description(format!("Refund of {}", s.invoice_number))
    .with_duplicate_window(state.config.duplicate_window_secs);
    r.validate().map_err(bad_order)?;
    Ok(r)
}
