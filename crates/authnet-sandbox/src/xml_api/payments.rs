//! Payments from the XML API, all through [`Sandbox::transact`]: payment
//! profile validation, CIM profile transactions (`directResponse`) and
//! `createTransactionRequest` (`transactionResponse`).

use authnet_proto::aim::{AimResponse, ResponseAddress, ResponseCode, TransactionType as AimType};
use authnet_proto::api::{
    ApiResponse, CreateCustomerProfileTransactionRequest, CreateCustomerProfileTransactionResponse,
    CreateTransactionRequest, CreateTransactionResponse, CustomerAddress, CustomerProfileIds,
    Messages, NumericString, ProfileTransaction, SecretText, TransactionError, TransactionMessage,
    TransactionResponse, TransactionType, ValidateCustomerPaymentProfileRequest,
    ValidateCustomerPaymentProfileResponse, ValidationMode, codes,
};
use checkout_domain::Secret;
use rust_decimal::Decimal;

use super::handlers::{Caller, Failure};
use super::store::{CimError, CimStore, StoredPayment, StoredPaymentProfile, StoredProfile, id_of};
use crate::ledger::ProfileRef;
use crate::{Sandbox, TxnRequest};

/// What a validation needs beyond the payment profile.
pub(crate) struct Validation<'a> {
    pub mode: ValidationMode,
    pub merchant_customer_id: Option<&'a str>,
    pub email: Option<&'a str>,
    pub ship_to: Option<(u64, &'a CustomerAddress)>,
    pub card_code: Option<SecretText>,
}

fn response_address(a: Option<&CustomerAddress>) -> ResponseAddress {
    let Some(a) = a else {
        return ResponseAddress::default();
    };
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    ResponseAddress {
        first_name: s(&a.first_name),
        last_name: s(&a.last_name),
        company: s(&a.company),
        address: s(&a.address),
        city: s(&a.city),
        state: s(&a.state),
        zip: s(&a.zip),
        country: s(&a.country),
        phone: s(&a.phone_number),
        fax: s(&a.fax_number),
    }
}

/// Fills the card or bank fields of a transaction from a stored payment profile.
fn pay_with(req: &mut TxnRequest, pp: &StoredPaymentProfile) {
    match &pp.payment {
        StoredPayment::Card { number, expiration } => {
            req.card_number = Some(Secret::new(number.expose().to_owned()));
            req.expiry = Some(expiration.clone());
        }
        StoredPayment::Bank(_) => {
            req.method = "ECHECK".to_owned();
        }
    }
    req.bill_to = response_address(pp.bill_to.as_ref());
}

/// The directResponse framing: `,` without encapsulation unless `extraOptions`
/// says otherwise.
#[derive(Clone, Copy)]
struct Framing {
    delim: u8,
    encap: Option<u8>,
}

impl Default for Framing {
    fn default() -> Self {
        Framing {
            delim: b',',
            encap: None,
        }
    }
}

fn direct(resp: &AimResponse, framing: Framing) -> String {
    resp.encode(framing.delim, framing.encap)
}

/// E00027 with the reason text of a declined/errored payment (the 2015+
/// gateway puts the reason text there).
pub(crate) fn declined_messages(direct: &str) -> Messages {
    let text = AimResponse::parse_auto(direct.as_bytes())
        .map(|r| r.reason_text)
        .ok()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "The transaction was unsuccessful.".to_owned());
    Messages::error(codes::E00027, text)
}

fn approved(resp: &AimResponse) -> bool {
    matches!(
        resp.response_code,
        ResponseCode::Approved | ResponseCode::HeldForReview
    )
}

/// Runs a payment profile validation (testMode: a free test transaction;
/// liveMode: a $0.01 auth, voided at once). `Ok(directResponse)` when approved,
/// `Err(directResponse)` when not.
pub(crate) fn validate(
    sandbox: &Sandbox,
    _caller: &Caller,
    pp: &StoredPaymentProfile,
    v: &Validation<'_>,
) -> Result<String, String> {
    let mut req = TxnRequest::new(AimType::AuthOnly);
    req.amount = Some(Decimal::new(1, 2));
    pay_with(&mut req, pp);
    req.card_code = v
        .card_code
        .as_ref()
        .map(|c| Secret::new(c.expose().to_owned()));
    req.test_request = v.mode == ValidationMode::TestMode;
    req.invoice_num = "none".to_owned();
    req.description = "Test transaction for ValidateCustomerPaymentProfile.".to_owned();
    req.po_num = "none".to_owned();
    req.cust_id = v.merchant_customer_id.unwrap_or_default().to_owned();
    req.email = v.email.unwrap_or_default().to_owned();
    // A validation is never a duplicate of an earlier one.
    req.duplicate_window = Some(0);
    match v.ship_to {
        Some((id, a)) => {
            req.ship_to = response_address(Some(a));
            req.extra_echo.push(id.to_string());
        }
        None => {
            let none = || "none".to_owned();
            req.ship_to = ResponseAddress {
                first_name: none(),
                last_name: none(),
                company: none(),
                address: none(),
                city: none(),
                state: none(),
                zip: none(),
                country: none(),
                phone: String::new(),
                fax: String::new(),
            };
        }
    }
    let mut resp = sandbox.transact(req);
    if v.mode != ValidationMode::TestMode && resp.response_code == ResponseCode::Approved {
        // liveMode: the validation auth is voided automatically.
        let mut void = TxnRequest::new(AimType::Void);
        void.ref_trans_id = Some(resp.trans_id.clone());
        let _ = sandbox.transact(void);
    }
    if resp.amount.is_none() {
        resp.amount = Some(Decimal::new(1, 2));
    }
    for f in [&mut resp.tax, &mut resp.duty, &mut resp.freight] {
        if f.is_empty() {
            *f = "0.00".to_owned();
        }
    }
    if resp.tax_exempt.is_empty() {
        resp.tax_exempt = "FALSE".to_owned();
    }
    let text = direct(&resp, Framing::default());
    if approved(&resp) { Ok(text) } else { Err(text) }
}

/// `validateCustomerPaymentProfileRequest`.
pub(crate) fn validate_profile(
    sandbox: &Sandbox,
    store: &CimStore,
    caller: &Caller,
    r: ValidateCustomerPaymentProfileRequest,
) -> Result<ApiResponse, Failure> {
    let profile = store
        .profile(&caller.login, id_of(&r.customer_profile_id)?)
        .ok_or(CimError::NotFound)?;
    let pp = profile
        .payment_profile(id_of(&r.customer_payment_profile_id)?)
        .ok_or(CimError::NotFound)?;
    let ship = match &r.customer_shipping_address_id {
        Some(id) => {
            let id = id_of(id)?;
            Some((id, profile.address(id).ok_or(CimError::NotFound)?))
        }
        None => None,
    };
    if r.validation_mode == ValidationMode::None {
        return Err(Failure::Messages(Messages::error(
            codes::E00013,
            "Validation Mode is invalid. Use testMode or liveMode.",
        )));
    }
    let v = Validation {
        mode: r.validation_mode,
        merchant_customer_id: profile.merchant_customer_id.as_deref(),
        email: profile.email.as_deref(),
        ship_to: ship,
        card_code: r.card_code.clone(),
    };
    let (messages, text) = match validate(sandbox, caller, pp, &v) {
        Ok(text) => (Messages::ok(), text),
        Err(text) => (declined_messages(&text), text),
    };
    Ok(ValidateCustomerPaymentProfileResponse {
        ref_id: r.ref_id,
        messages,
        direct_response: Some(text),
    }
    .into())
}

/// `extraOptions`: AIM name/value pairs. Known ones adjust the transaction;
/// the rest are merchant-defined fields echoed after position 69.
fn apply_extra_options(req: &mut TxnRequest, framing: &mut Framing, extra: Option<&str>) {
    let Some(extra) = extra else { return };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(extra.trim()).unwrap_or_default();
    for (name, value) in pairs {
        let lower = name.trim().to_ascii_lowercase();
        let value = value.trim().to_owned();
        match lower.as_str() {
            "x_delim_char" => {
                if let [b] = value.as_bytes() {
                    framing.delim = *b;
                }
            }
            "x_encap_char" => framing.encap = value.as_bytes().first().copied(),
            "x_test_request" => {
                req.test_request = value.eq_ignore_ascii_case("true") || value == "1"
            }
            "x_duplicate_window" => {
                req.duplicate_window = value.parse::<u32>().ok().map(|v| v.min(28_800))
            }
            "x_customer_ip" => req.customer_ip = value,
            "x_allow_partial_auth" => req.allow_partial_auth = value.eq_ignore_ascii_case("true"),
            _ if lower.starts_with("x_") && is_known_aim_field(&lower) => {}
            _ => req.extra_echo.push(value),
        }
    }
}

fn is_known_aim_field(name: &str) -> bool {
    matches!(
        name,
        "x_delim_data"
            | "x_relay_response"
            | "x_version"
            | "x_email_customer"
            | "x_header_email_receipt"
            | "x_footer_email_receipt"
    )
}

fn lookup_profile(
    store: &CimStore,
    login: &str,
    id: &NumericString,
) -> Result<StoredProfile, CimError> {
    store.profile(login, id_of(id)?).ok_or(CimError::NotFound)
}

/// Checks that ids given with a follow-on transaction match the original
/// transaction's profile (E00051).
fn check_original(
    sandbox: &Sandbox,
    trans_id: &NumericString,
    profile: Option<&NumericString>,
    payment: Option<&NumericString>,
    address: Option<&NumericString>,
) -> Result<(), Failure> {
    if profile.is_none() && payment.is_none() && address.is_none() {
        return Ok(());
    }
    let mismatch = || Failure::Messages(Messages::error_code(codes::E00051));
    let Ok(id) = trans_id.as_str().parse::<u64>() else {
        return Ok(());
    };
    // An unknown transaction is the engine's to refuse (reason 16).
    let Some(entry) = sandbox.lookup(id) else {
        return Ok(());
    };
    let Some(orig) = entry.profile else {
        return Err(mismatch());
    };
    let differs =
        |given: Option<&NumericString>, stored: &str| given.is_some_and(|g| g.as_str() != stored);
    if differs(profile, &orig.customer_profile_id)
        || differs(payment, &orig.payment_profile_id)
        || (address.is_some() && differs(address, &orig.shipping_address_id))
    {
        return Err(mismatch());
    }
    Ok(())
}

fn amount_text(a: &Option<authnet_proto::api::ExtendedAmount>) -> String {
    a.as_ref()
        .map(|x| authnet_proto::aim::response::format_amount(x.amount))
        .unwrap_or_default()
}

fn bool_text(b: Option<bool>) -> String {
    match b {
        Some(true) => "TRUE".to_owned(),
        Some(false) => "FALSE".to_owned(),
        None => String::new(),
    }
}

/// `createCustomerProfileTransactionRequest`.
pub(crate) fn profile_transaction(
    sandbox: &Sandbox,
    store: &CimStore,
    caller: &Caller,
    r: CreateCustomerProfileTransactionRequest,
) -> Result<ApiResponse, Failure> {
    let login = caller.login.as_str();
    let mut framing = Framing::default();
    let req = match &r.transaction {
        ProfileTransaction::AuthCapture(t)
        | ProfileTransaction::AuthOnly(t)
        | ProfileTransaction::CaptureOnly(t) => {
            let kind = match &r.transaction {
                ProfileTransaction::AuthCapture(_) => AimType::AuthCapture,
                ProfileTransaction::AuthOnly(_) => AimType::AuthOnly,
                _ => AimType::CaptureOnly,
            };
            let profile = lookup_profile(store, login, &t.customer_profile_id)?;
            let pp = profile
                .payment_profile(id_of(&t.customer_payment_profile_id)?)
                .ok_or(CimError::NotFound)?;
            let mut req = TxnRequest::new(kind);
            req.amount = Some(t.amount);
            pay_with(&mut req, pp);
            req.card_code = t
                .card_code
                .as_ref()
                .map(|c| Secret::new(c.expose().to_owned()));
            req.auth_code = t.approval_code.clone();
            req.split_tender_id = t.split_tender_id.as_ref().map(ToString::to_string);
            req.cust_id = profile.merchant_customer_id.clone().unwrap_or_default();
            req.email = profile.email.clone().unwrap_or_default();
            if let Some(order) = &t.order {
                req.invoice_num = order.invoice_number.clone().unwrap_or_default();
                req.description = order.description.clone().unwrap_or_default();
                req.po_num = order.purchase_order_number.clone().unwrap_or_default();
            }
            req.tax = amount_text(&t.tax);
            req.freight = amount_text(&t.shipping);
            req.duty = amount_text(&t.duty);
            req.tax_exempt = bool_text(t.tax_exempt);
            req.recurring_billing = t.recurring_billing.unwrap_or(false);
            let mut shipping_id = String::new();
            if let Some(ship) = &t.customer_shipping_address_id {
                let id = id_of(ship)?;
                let address = profile.address(id).ok_or(CimError::NotFound)?;
                req.ship_to = response_address(Some(address));
                shipping_id = id.to_string();
                req.extra_echo.push(shipping_id.clone());
            }
            req.profile = Some(ProfileRef {
                customer_profile_id: t.customer_profile_id.to_string(),
                payment_profile_id: t.customer_payment_profile_id.to_string(),
                shipping_address_id: shipping_id,
            });
            req
        }
        ProfileTransaction::PriorAuthCapture(t) => {
            check_original(
                sandbox,
                &t.trans_id,
                t.customer_profile_id.as_ref(),
                t.customer_payment_profile_id.as_ref(),
                t.customer_shipping_address_id.as_ref(),
            )?;
            let mut req = TxnRequest::new(AimType::PriorAuthCapture);
            req.amount = Some(t.amount);
            req.ref_trans_id = Some(t.trans_id.to_string());
            req.tax = amount_text(&t.tax);
            req.freight = amount_text(&t.shipping);
            req.duty = amount_text(&t.duty);
            if let Some(ship) = &t.customer_shipping_address_id {
                req.extra_echo.push(ship.to_string());
            }
            req
        }
        ProfileTransaction::Refund(t) => {
            let mut req = TxnRequest::new(AimType::Credit);
            req.amount = Some(t.amount);
            if let Some(trans_id) = &t.trans_id {
                check_original(
                    sandbox,
                    trans_id,
                    t.customer_profile_id.as_ref(),
                    t.customer_payment_profile_id.as_ref(),
                    t.customer_shipping_address_id.as_ref(),
                )?;
                req.ref_trans_id = Some(trans_id.to_string());
            }
            // The account: the payment profile, else the masked number, else
            // the original transaction's last four.
            let mut last4: Option<String> = None;
            if let (Some(pid), Some(ppid)) =
                (&t.customer_profile_id, &t.customer_payment_profile_id)
            {
                let profile = lookup_profile(store, login, pid)?;
                let pp = profile
                    .payment_profile(id_of(ppid)?)
                    .ok_or(CimError::NotFound)?;
                req.bill_to = response_address(pp.bill_to.as_ref());
                req.cust_id = profile.merchant_customer_id.clone().unwrap_or_default();
                req.email = profile.email.clone().unwrap_or_default();
                last4 = pp
                    .card_number()
                    .map(|n| n.chars().skip(n.len().saturating_sub(4)).collect());
                req.profile = Some(ProfileRef {
                    customer_profile_id: pid.to_string(),
                    payment_profile_id: ppid.to_string(),
                    shipping_address_id: t
                        .customer_shipping_address_id
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                });
            } else if t.trans_id.is_none() {
                return Err(Failure::Messages(Messages::error(
                    codes::E00014,
                    "Customer Profile ID and Customer Payment Profile ID are required for an unlinked refund.",
                )));
            }
            if last4.is_none() {
                last4 = t
                    .credit_card_number_masked
                    .as_ref()
                    .map(|m| m.trim_start_matches('X').to_owned());
            }
            if last4.is_none() {
                last4 = t
                    .trans_id
                    .as_ref()
                    .and_then(|id| id.as_str().parse::<u64>().ok())
                    .and_then(|id| sandbox.lookup(id))
                    .map(|e| e.last4);
            }
            req.card_number = last4.map(Secret::new);
            if let Some(order) = &t.order {
                req.invoice_num = order.invoice_number.clone().unwrap_or_default();
                req.description = order.description.clone().unwrap_or_default();
                req.po_num = order.purchase_order_number.clone().unwrap_or_default();
            }
            if let Some(ship) = &t.customer_shipping_address_id {
                req.extra_echo.push(ship.to_string());
            }
            req
        }
        ProfileTransaction::Void(t) => {
            check_original(
                sandbox,
                &t.trans_id,
                t.customer_profile_id.as_ref(),
                t.customer_payment_profile_id.as_ref(),
                t.customer_shipping_address_id.as_ref(),
            )?;
            let mut req = TxnRequest::new(AimType::Void);
            req.ref_trans_id = Some(t.trans_id.to_string());
            if let Some(ship) = &t.customer_shipping_address_id {
                req.extra_echo.push(ship.to_string());
            }
            req
        }
    };
    let mut req = req;
    apply_extra_options(&mut req, &mut framing, r.extra_options.as_deref());
    let resp = sandbox.transact(req);
    let text = direct(&resp, framing);
    let messages = if approved(&resp) {
        Messages::ok()
    } else {
        declined_messages(&text)
    };
    Ok(CreateCustomerProfileTransactionResponse {
        ref_id: r.ref_id,
        messages,
        transaction_response: None,
        direct_response: Some(text),
    }
    .into())
}

/// `createTransactionRequest`.
pub(crate) fn create_transaction(
    sandbox: &Sandbox,
    store: &CimStore,
    caller: &Caller,
    r: CreateTransactionRequest,
) -> Result<ApiResponse, Failure> {
    let tr = r.transaction_request;
    let kind = match tr.transaction_type {
        TransactionType::AuthCapture => AimType::AuthCapture,
        TransactionType::AuthOnly => AimType::AuthOnly,
        TransactionType::PriorAuthCapture => AimType::PriorAuthCapture,
        TransactionType::CaptureOnly => AimType::CaptureOnly,
        TransactionType::Refund => AimType::Credit,
        TransactionType::Void => AimType::Void,
    };
    let mut req = TxnRequest::new(kind);
    req.amount = tr.amount;
    req.ref_trans_id = tr.ref_trans_id.clone().filter(|s| !s.trim().is_empty());
    req.auth_code = tr.auth_code.clone();
    req.split_tender_id = tr.split_tender_id.clone();
    let mut profile_ids = None;
    if let Some(card) = tr.payment.as_ref().and_then(|p| p.credit_card.as_ref()) {
        let number = card.card_number.expose().trim_start_matches('X').to_owned();
        req.card_number = Some(Secret::new(number));
        if card.expiration_date != "XXXX" {
            req.expiry = Some(card.expiration_date.clone());
        }
        req.card_code = card
            .card_code
            .as_ref()
            .map(|c| Secret::new(c.expose().to_owned()));
    } else if tr
        .payment
        .as_ref()
        .is_some_and(|p| p.bank_account.is_some())
    {
        req.method = "ECHECK".to_owned();
    }
    let by_profile = tr.profile.as_ref().and_then(|pay| {
        Some((
            pay,
            pay.customer_profile_id.as_ref()?,
            pay.payment_profile.as_ref()?,
        ))
    });
    if let Some((pay, pid, ppref)) = by_profile {
        let profile = lookup_profile(store, &caller.login, pid)?;
        let pp = profile
            .payment_profile(id_of(&ppref.payment_profile_id)?)
            .ok_or(CimError::NotFound)?;
        pay_with(&mut req, pp);
        if kind == AimType::Credit {
            // A refund carries the last four only.
            req.card_number = pp
                .card_number()
                .map(|n| Secret::new(n.chars().skip(n.len().saturating_sub(4)).collect()));
        }
        if let Some(code) = &ppref.card_code {
            req.card_code = Some(Secret::new(code.expose().to_owned()));
        }
        req.cust_id = profile.merchant_customer_id.clone().unwrap_or_default();
        req.email = profile.email.clone().unwrap_or_default();
        let mut shipping = String::new();
        if let Some(ship) = &pay.shipping_profile_id {
            let id = id_of(ship)?;
            req.ship_to = response_address(Some(profile.address(id).ok_or(CimError::NotFound)?));
            shipping = id.to_string();
        }
        req.profile = Some(ProfileRef {
            customer_profile_id: pid.to_string(),
            payment_profile_id: ppref.payment_profile_id.to_string(),
            shipping_address_id: shipping.clone(),
        });
        profile_ids = Some(CustomerProfileIds {
            customer_profile_id: pid.clone(),
            customer_payment_profile_id: Some(ppref.payment_profile_id.clone()),
            customer_address_id: NumericString::new(shipping),
        });
    }
    if let Some(order) = &tr.order {
        req.invoice_num = order.invoice_number.clone().unwrap_or_default();
        req.description = order.description.clone().unwrap_or_default();
    }
    req.po_num = tr.po_number.clone().unwrap_or_default();
    if let Some(c) = &tr.customer {
        if let Some(id) = &c.id {
            req.cust_id = id.clone();
        }
        if let Some(email) = &c.email {
            req.email = email.clone();
        }
    }
    if tr.bill_to.is_some() {
        req.bill_to = response_address(tr.bill_to.as_ref());
    }
    if tr.ship_to.is_some() {
        req.ship_to = response_address(tr.ship_to.as_ref());
    }
    req.customer_ip = tr.customer_ip.clone().unwrap_or_default();
    req.tax = amount_text(&tr.tax);
    req.freight = amount_text(&tr.shipping);
    req.duty = amount_text(&tr.duty);
    req.tax_exempt = bool_text(tr.tax_exempt);
    for s in &tr.transaction_settings {
        let value = s.setting_value.clone().unwrap_or_default();
        match s.setting_name.as_deref() {
            Some("duplicateWindow") => {
                req.duplicate_window = value.parse::<u32>().ok().map(|v| v.min(28_800))
            }
            Some("allowPartialAuth") => req.allow_partial_auth = value.eq_ignore_ascii_case("true"),
            Some("testRequest") => req.test_request = value.eq_ignore_ascii_case("true"),
            Some("recurringBilling") => req.recurring_billing = value.eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    let test_request = req.test_request;
    let resp = sandbox.transact(req);
    let ok = approved(&resp);
    let code = resp.response_code.as_u8().to_string();
    let reason = resp.reason_code.to_string();
    let transaction_response = TransactionResponse {
        response_code: Some(code.clone()),
        raw_response_code: None,
        auth_code: Some(resp.auth_code.clone()),
        avs_result_code: Some(
            resp.avs_result
                .as_ref()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_else(|| "P".to_owned()),
        ),
        cvv_result_code: Some(
            resp.card_code_result
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
        ),
        cavv_result_code: Some(
            resp.cavv_result
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
        ),
        trans_id: Some(resp.trans_id.clone()),
        ref_trans_id: Some(tr.ref_trans_id.clone().unwrap_or_default()),
        trans_hash: Some(resp.md5_hash.clone()),
        test_request: Some(if test_request { "1" } else { "0" }.to_owned()),
        account_number: Some(resp.account_number.clone()),
        entry_mode: None,
        account_type: Some(resp.card_type.clone()),
        split_tender_id: None,
        messages: if ok {
            vec![TransactionMessage {
                code: Some(reason.clone()),
                description: Some(resp.reason_text.clone()),
            }]
        } else {
            Vec::new()
        },
        errors: if ok {
            Vec::new()
        } else {
            vec![TransactionError {
                error_code: Some(reason),
                error_text: Some(resp.reason_text.clone()),
            }]
        },
        user_fields: tr.user_fields.clone(),
        ship_to: None,
        trans_hash_sha2: Some(String::new()),
        profile: profile_ids,
        network_trans_id: None,
    };
    let messages = if ok {
        Messages::ok()
    } else {
        Messages::error_code(codes::E00027)
    };
    Ok(CreateTransactionResponse {
        ref_id: r.ref_id,
        messages,
        transaction_response: Some(transaction_response),
    }
    .into())
}
