//! The client direction: build an AIM request for any of the six `x_type`s,
//! validate it against the AIM guide's limits, and encode it as a form body.
//!
//! ```
//! use authnet_proto::aim::{AimRequest, CardData, Credentials};
//! use checkout_domain::{CardNumber, Expiry, Secret, YearMonth};
//! use rust_decimal::Decimal;
//!
//! let creds = Credentials::new("anet-test", Secret::new("SandboxKey123456".to_owned()));
//! let card = CardData::full(
//!     CardNumber::parse("4111111111111111").map_err(|e| e.code)?,
//!     Expiry::parse("12/30", YearMonth { year: 2026, month: 11 }).map_err(|e| e.code)?,
//!     None,
//! );
//! let req = AimRequest::auth_capture(creds, Decimal::new(1999, 2), card);
//! let body = req.encode().map_err(|e| e.to_string())?;
//! assert!(body.contains("x_type=AUTH_CAPTURE"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use checkout_domain::{CardCode, CardNumber, Expiry, Secret};
use rust_decimal::Decimal;

use super::codes::TransactionType;
use super::form::{MAX_LINE_ITEMS, parse_bool};
use super::response::format_amount;

/// API Login ID (≤ 20 chars) and Transaction Key (16 chars).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub login: String,
    pub transaction_key: Secret<String>,
}

impl Credentials {
    pub fn new(login: impl Into<String>, transaction_key: Secret<String>) -> Self {
        Credentials {
            login: login.into(),
            transaction_key,
        }
    }
}

/// The card a request carries.
#[derive(Debug, Clone)]
pub enum CardData {
    /// Full number and expiry, optional card code.
    Full {
        number: CardNumber,
        expiry: Expiry,
        code: Option<CardCode>,
    },
    /// CREDIT against a settled transaction needs only the last four digits.
    LastFour(String),
}

impl CardData {
    pub fn full(number: CardNumber, expiry: Expiry, code: Option<CardCode>) -> Self {
        CardData::Full {
            number,
            expiry,
            code,
        }
    }
}

/// `x_tax` / `x_freight` / `x_duty`: a plain amount or `name<|>description<|>amount`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Charge {
    Amount(Decimal),
    Itemized {
        name: String,
        description: String,
        amount: Decimal,
    },
}

impl Charge {
    pub fn amount(&self) -> Decimal {
        match self {
            Charge::Amount(a) | Charge::Itemized { amount: a, .. } => *a,
        }
    }

    fn encode(&self) -> String {
        match self {
            Charge::Amount(a) => format_amount(*a),
            Charge::Itemized {
                name,
                description,
                amount,
            } => format!("{name}<|>{description}<|>{}", format_amount(*amount)),
        }
    }
}

/// One `x_line_item`: `id<|>name<|>description<|>quantity<|>unit_price<|>taxable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItem {
    /// 1–31 chars.
    pub id: String,
    /// 1–31 chars.
    pub name: String,
    /// ≤ 255 chars.
    pub description: String,
    /// Positive, ≤ 2 decimals.
    pub quantity: Decimal,
    /// ≥ 0, ≤ 2 decimals.
    pub unit_price: Decimal,
    pub taxable: bool,
}

impl LineItem {
    pub fn encode(&self) -> String {
        format!(
            "{}<|>{}<|>{}<|>{}<|>{}<|>{}",
            self.id,
            self.name,
            self.description,
            self.quantity.normalize(),
            format_amount(self.unit_price),
            if self.taxable { "Y" } else { "N" }
        )
    }

    /// Reads the wire form (the sandbox side); `None` when malformed.
    pub fn parse(s: &str) -> Option<LineItem> {
        let parts: Vec<&str> = s.split("<|>").collect();
        let [id, name, description, quantity, unit_price, rest @ ..] = parts.as_slice() else {
            return None;
        };
        let taxable = match rest {
            [] => false,
            [t] if t.trim().is_empty() => false,
            [t] => parse_bool(t)?,
            _ => return None,
        };
        let item = LineItem {
            id: (*id).to_owned(),
            name: (*name).to_owned(),
            description: (*description).to_owned(),
            quantity: quantity.trim().parse().ok()?,
            unit_price: unit_price.trim().parse().ok()?,
            taxable,
        };
        item.validate(0).ok().map(|_| item)
    }

    fn validate(&self, index: usize) -> Result<(), BuildError> {
        let field = |f: &'static str| LineItemField { index, field: f };
        if self.id.is_empty() || self.id.chars().count() > 31 {
            return Err(BuildError::LineItem(field("id")));
        }
        if self.name.is_empty() || self.name.chars().count() > 31 {
            return Err(BuildError::LineItem(field("name")));
        }
        if self.description.chars().count() > 255 {
            return Err(BuildError::LineItem(field("description")));
        }
        for (f, v) in [
            ("id", &self.id),
            ("name", &self.name),
            ("description", &self.description),
        ] {
            if v.contains("<|>") {
                return Err(BuildError::LineItem(field(f)));
            }
        }
        if self.quantity <= Decimal::ZERO || self.quantity.normalize().scale() > 2 {
            return Err(BuildError::LineItem(field("quantity")));
        }
        if self.unit_price.is_sign_negative() || self.unit_price.normalize().scale() > 2 {
            return Err(BuildError::LineItem(field("unit_price")));
        }
        Ok(())
    }
}

/// Which part of which line item is wrong (0-based index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItemField {
    pub index: usize,
    pub field: &'static str,
}

/// Billing (AVS) or shipping name and address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country: Option<String>,
}

/// Billing-only customer fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    /// ≤ 20 chars.
    pub cust_id: Option<String>,
    /// ≤ 15 chars, dotted IPv4.
    pub customer_ip: Option<String>,
}

/// Email receipt fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailReceipt {
    pub email_customer: Option<bool>,
    pub header: Option<String>,
    pub footer: Option<String>,
    pub merchant_email: Option<String>,
}

/// 3-D Secure values (`x_authentication_indicator`, `x_cardholder_authentication_value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardholderAuthentication {
    pub indicator: Option<String>,
    pub value: Option<String>,
}

/// Why a request cannot be encoded. Nothing is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("{field} is required for {kind}")]
    Missing {
        field: &'static str,
        kind: TransactionType,
    },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} is invalid: {why}")]
    Invalid {
        field: &'static str,
        why: &'static str,
    },
    #[error("{0} line items, at most 30 allowed")]
    TooManyLineItems(usize),
    #[error("line item {} field {} is invalid", .0.index + 1, .0.field)]
    LineItem(LineItemField),
    #[error("merchant-defined field name {0:?} is empty or collides with a gateway x_ field")]
    MerchantFieldName(String),
    #[error("capture amount is above the authorised amount")]
    AboveAuthorized,
}

/// An AIM request. Build with one of the per-type constructors, set optional
/// groups with the `with_*` methods or the public fields, then
/// [`AimRequest::encode`] (which validates first).
#[derive(Debug, Clone)]
pub struct AimRequest {
    pub credentials: Credentials,
    pub kind: TransactionType,
    pub amount: Option<Decimal>,
    pub card: Option<CardData>,
    pub trans_id: Option<String>,
    pub auth_code: Option<String>,
    /// For PRIOR_AUTH_CAPTURE: the amount authorised, when known, so that a
    /// capture above it is refused before sending. Not encoded.
    pub authorized_amount: Option<Decimal>,
    pub test_request: bool,
    /// `None`: field not sent (gateway default 120 s, plain duplicate response).
    pub duplicate_window: Option<u32>,
    pub recurring_billing: Option<bool>,
    pub allow_partial_auth: Option<bool>,
    pub split_tender_id: Option<String>,
    pub delim_char: u8,
    pub encap_char: Option<u8>,
    pub invoice_num: Option<String>,
    pub description: Option<String>,
    pub line_items: Vec<LineItem>,
    pub bill_to: Address,
    pub customer: Customer,
    pub ship_to: Address,
    pub tax: Option<Charge>,
    pub freight: Option<Charge>,
    pub duty: Option<Charge>,
    pub tax_exempt: Option<bool>,
    pub po_num: Option<String>,
    pub authentication: Option<CardholderAuthentication>,
    pub email_receipt: EmailReceipt,
    /// Names must not start with `x_`; values are echoed from response position 69.
    pub merchant_fields: Vec<(String, String)>,
}

impl AimRequest {
    fn base(credentials: Credentials, kind: TransactionType) -> Self {
        AimRequest {
            credentials,
            kind,
            amount: None,
            card: None,
            trans_id: None,
            auth_code: None,
            authorized_amount: None,
            test_request: false,
            duplicate_window: None,
            recurring_billing: None,
            allow_partial_auth: None,
            split_tender_id: None,
            delim_char: b'|',
            encap_char: Some(b'"'),
            invoice_num: None,
            description: None,
            line_items: Vec::new(),
            bill_to: Address::default(),
            customer: Customer::default(),
            ship_to: Address::default(),
            tax: None,
            freight: None,
            duty: None,
            tax_exempt: None,
            po_num: None,
            authentication: None,
            email_receipt: EmailReceipt::default(),
            merchant_fields: Vec::new(),
        }
    }

    /// AUTH_CAPTURE: amount, card number and expiry.
    pub fn auth_capture(credentials: Credentials, amount: Decimal, card: CardData) -> Self {
        let mut r = Self::base(credentials, TransactionType::AuthCapture);
        r.amount = Some(amount);
        r.card = Some(card);
        r
    }

    /// AUTH_ONLY: amount, card number and expiry.
    pub fn auth_only(credentials: Credentials, amount: Decimal, card: CardData) -> Self {
        let mut r = Self::auth_capture(credentials, amount, card);
        r.kind = TransactionType::AuthOnly;
        r
    }

    /// PRIOR_AUTH_CAPTURE of an AUTH_ONLY; `amount` only when capturing less.
    pub fn prior_auth_capture(
        credentials: Credentials,
        trans_id: impl Into<String>,
        amount: Option<Decimal>,
    ) -> Self {
        let mut r = Self::base(credentials, TransactionType::PriorAuthCapture);
        r.trans_id = Some(trans_id.into());
        r.amount = amount;
        r
    }

    /// CAPTURE_ONLY of a voice/offline authorisation (`auth_code` ≤ 6 chars).
    pub fn capture_only(
        credentials: Credentials,
        auth_code: impl Into<String>,
        amount: Decimal,
        card: CardData,
    ) -> Self {
        let mut r = Self::auth_capture(credentials, amount, card);
        r.kind = TransactionType::CaptureOnly;
        r.auth_code = Some(auth_code.into());
        r
    }

    /// CREDIT against a settled transaction (card may be [`CardData::LastFour`]).
    pub fn credit(
        credentials: Credentials,
        trans_id: impl Into<String>,
        amount: Decimal,
        card: CardData,
    ) -> Self {
        let mut r = Self::base(credentials, TransactionType::Credit);
        r.trans_id = Some(trans_id.into());
        r.amount = Some(amount);
        r.card = Some(card);
        r
    }

    /// VOID of an unsettled transaction.
    pub fn void(credentials: Credentials, trans_id: impl Into<String>) -> Self {
        let mut r = Self::base(credentials, TransactionType::Void);
        r.trans_id = Some(trans_id.into());
        r
    }

    pub fn with_invoice(mut self, invoice_num: impl Into<String>) -> Self {
        self.invoice_num = Some(invoice_num.into());
        self
    }

    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub fn with_duplicate_window(mut self, secs: u32) -> Self {
        self.duplicate_window = Some(secs);
        self
    }

    pub fn with_test_request(mut self, test: bool) -> Self {
        self.test_request = test;
        self
    }

    pub fn with_bill_to(mut self, bill_to: Address) -> Self {
        self.bill_to = bill_to;
        self
    }

    pub fn with_ship_to(mut self, ship_to: Address) -> Self {
        self.ship_to = ship_to;
        self
    }

    pub fn with_customer(mut self, customer: Customer) -> Self {
        self.customer = customer;
        self
    }

    pub fn with_line_item(mut self, item: LineItem) -> Self {
        self.line_items.push(item);
        self
    }

    pub fn with_merchant_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.merchant_fields.push((name.into(), value.into()));
        self
    }

    /// Response framing the gateway should use (defaults: `|` and `"`).
    pub fn with_framing(mut self, delim: u8, encap: Option<u8>) -> Self {
        self.delim_char = delim;
        self.encap_char = encap;
        self
    }

    /// Checks required fields per type and every value against the guide's limits.
    pub fn validate(&self) -> Result<(), BuildError> {
        let kind = self.kind;
        let missing = |field: &'static str| BuildError::Missing { field, kind };
        check_len("x_login", Some(&self.credentials.login), 20)?;
        if self.credentials.login.trim().is_empty() {
            return Err(missing("x_login"));
        }
        let key = self.credentials.transaction_key.expose_secret();
        if key.is_empty() {
            return Err(missing("x_tran_key"));
        }
        check_len("x_tran_key", Some(key), 16)?;

        let needs_amount = !matches!(
            kind,
            TransactionType::PriorAuthCapture | TransactionType::Void
        );
        match self.amount {
            None if needs_amount => return Err(missing("x_amount")),
            Some(a) => check_amount("x_amount", a, kind != TransactionType::Void)?,
            None => {}
        }
        let needs_trans_id = matches!(
            kind,
            TransactionType::PriorAuthCapture | TransactionType::Void
        );
        match self.trans_id.as_deref() {
            None | Some("") if needs_trans_id => return Err(missing("x_trans_id")),
            Some(t) if !t.is_empty() && !t.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(BuildError::Invalid {
                    field: "x_trans_id",
                    why: "must be numeric",
                });
            }
            _ => {}
        }
        match kind {
            TransactionType::AuthCapture
            | TransactionType::AuthOnly
            | TransactionType::CaptureOnly => {
                if !matches!(self.card, Some(CardData::Full { .. })) {
                    return Err(missing("x_card_num"));
                }
            }
            TransactionType::Credit => match (&self.card, self.trans_id.as_deref()) {
                (None, _) => return Err(missing("x_card_num")),
                (Some(CardData::LastFour(_)), None | Some("")) => {
                    // Unlinked credit needs the full number and expiry.
                    return Err(missing("x_trans_id"));
                }
                (Some(CardData::LastFour(l4)), _)
                    if l4.len() != 4 || !l4.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    return Err(BuildError::Invalid {
                        field: "x_card_num",
                        why: "last four must be 4 digits",
                    });
                }
                _ => {}
            },
            TransactionType::PriorAuthCapture | TransactionType::Void => {}
        }
        if kind == TransactionType::CaptureOnly {
            match self.auth_code.as_deref() {
                None | Some("") => return Err(missing("x_auth_code")),
                Some(c) => {
                    check_len("x_auth_code", Some(c), 6)?;
                    if !c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                        return Err(BuildError::Invalid {
                            field: "x_auth_code",
                            why: "must be alphanumeric",
                        });
                    }
                }
            }
        }
        if kind == TransactionType::PriorAuthCapture
            && let (Some(a), Some(max)) = (self.amount, self.authorized_amount)
            && a > max
        {
            return Err(BuildError::AboveAuthorized);
        }
        if let Some(w) = self.duplicate_window
            && w > 28_800
        {
            return Err(BuildError::Invalid {
                field: "x_duplicate_window",
                why: "at most 28800 seconds",
            });
        }
        if let Some(id) = self.split_tender_id.as_deref() {
            if self.trans_id.is_some() {
                return Err(BuildError::Invalid {
                    field: "x_split_tender_id",
                    why: "cannot be sent with x_trans_id",
                });
            }
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(BuildError::Invalid {
                    field: "x_split_tender_id",
                    why: "must be numeric",
                });
            }
        }
        if self.delim_char.is_ascii_alphanumeric() || Some(self.delim_char) == self.encap_char {
            return Err(BuildError::Invalid {
                field: "x_delim_char",
                why: "must be a symbol different from x_encap_char",
            });
        }
        check_len("x_invoice_num", self.invoice_num.as_deref(), 20)?;
        check_len("x_description", self.description.as_deref(), 255)?;
        check_len("x_po_num", self.po_num.as_deref(), 25)?;
        if self.line_items.len() > MAX_LINE_ITEMS {
            return Err(BuildError::TooManyLineItems(self.line_items.len()));
        }
        for (i, item) in self.line_items.iter().enumerate() {
            item.validate(i)?;
        }
        check_address("x_", &self.bill_to)?;
        check_address("x_ship_to_", &self.ship_to)?;
        let c = &self.customer;
        check_len("x_phone", c.phone.as_deref(), 25)?;
        check_len("x_fax", c.fax.as_deref(), 25)?;
        check_len("x_email", c.email.as_deref(), 255)?;
        check_len("x_cust_id", c.cust_id.as_deref(), 20)?;
        check_len("x_customer_ip", c.customer_ip.as_deref(), 15)?;
        if let Some(ip) = c.customer_ip.as_deref()
            && ip.parse::<std::net::Ipv4Addr>().is_err()
        {
            return Err(BuildError::Invalid {
                field: "x_customer_ip",
                why: "must be a dotted IPv4 address",
            });
        }
        for (field, charge) in [
            ("x_tax", &self.tax),
            ("x_freight", &self.freight),
            ("x_duty", &self.duty),
        ] {
            if let Some(ch) = charge {
                check_amount(field, ch.amount(), false)?;
                if let Charge::Itemized {
                    name, description, ..
                } = ch
                {
                    check_len(field, Some(name), 31)?;
                    check_len(field, Some(description), 255)?;
                    if name.contains("<|>") || description.contains("<|>") {
                        return Err(BuildError::Invalid {
                            field,
                            why: "name and description cannot contain <|>",
                        });
                    }
                }
            }
        }
        if let Some(auth) = &self.authentication {
            check_len("x_authentication_indicator", auth.indicator.as_deref(), 1)?;
            check_len(
                "x_cardholder_authentication_value",
                auth.value.as_deref(),
                255,
            )?;
        }
        check_len(
            "x_header_email_receipt",
            self.email_receipt.header.as_deref(),
            255,
        )?;
        check_len(
            "x_footer_email_receipt",
            self.email_receipt.footer.as_deref(),
            255,
        )?;
        check_len(
            "x_merchant_email",
            self.email_receipt.merchant_email.as_deref(),
            255,
        )?;
        for (name, _) in &self.merchant_fields {
            let lower = name.to_ascii_lowercase();
            if name.trim().is_empty() || lower.starts_with("x_") {
                return Err(BuildError::MerchantFieldName(name.clone()));
            }
        }
        Ok(())
    }

    /// Validates, then encodes as `application/x-www-form-urlencoded`. The
    /// transaction key, card number and card code are exposed here only.
    pub fn encode(&self) -> Result<String, BuildError> {
        self.validate()?;
        let mut pairs: Vec<(&str, String)> = Vec::with_capacity(48);
        let mut push = |k: &'static str, v: String| pairs.push((k, v));
        push("x_login", self.credentials.login.clone());
        push(
            "x_tran_key",
            self.credentials.transaction_key.expose_secret().clone(),
        );
        push("x_version", "3.1".into());
        push("x_type", self.kind.as_request_str().into());
        push("x_method", "CC".into());
        push("x_delim_data", "TRUE".into());
        push("x_delim_char", char::from(self.delim_char).to_string());
        if let Some(e) = self.encap_char {
            push("x_encap_char", char::from(e).to_string());
        }
        push("x_relay_response", "FALSE".into());
        if let Some(a) = self.amount {
            push("x_amount", format_amount(a));
        }
        match &self.card {
            Some(CardData::Full {
                number,
                expiry,
                code,
            }) => {
                push("x_card_num", number.expose_digits().to_owned());
                if self.kind != TransactionType::Credit || self.trans_id.is_none() {
                    push("x_exp_date", expiry.to_aim());
                }
                if let Some(code) = code {
                    push("x_card_code", code.expose().to_owned());
                }
            }
            Some(CardData::LastFour(l4)) => push("x_card_num", l4.clone()),
            None => {}
        }
        let opt = |v: &Option<String>| v.as_ref().filter(|s| !s.is_empty()).cloned();
        if let Some(t) = opt(&self.trans_id) {
            push("x_trans_id", t);
        }
        if let Some(c) = opt(&self.auth_code) {
            push("x_auth_code", c);
        }
        if self.test_request {
            push("x_test_request", "TRUE".into());
        }
        if let Some(w) = self.duplicate_window {
            push("x_duplicate_window", w.to_string());
        }
        let b = |v: bool| {
            if v {
                "TRUE".to_owned()
            } else {
                "FALSE".to_owned()
            }
        };
        if let Some(v) = self.recurring_billing {
            push("x_recurring_billing", b(v));
        }
        if let Some(v) = self.allow_partial_auth {
            push("x_allow_partial_Auth", b(v));
        }
        if let Some(s) = opt(&self.split_tender_id) {
            push("x_split_tender_id", s);
        }
        if let Some(v) = opt(&self.invoice_num) {
            push("x_invoice_num", v);
        }
        if let Some(v) = opt(&self.description) {
            push("x_description", v);
        }
        for item in &self.line_items {
            push("x_line_item", item.encode());
        }
        let a = &self.bill_to;
        for (k, v) in [
            ("x_first_name", &a.first_name),
            ("x_last_name", &a.last_name),
            ("x_company", &a.company),
            ("x_address", &a.address),
            ("x_city", &a.city),
            ("x_state", &a.state),
            ("x_zip", &a.zip),
            ("x_country", &a.country),
            ("x_phone", &self.customer.phone),
            ("x_fax", &self.customer.fax),
            ("x_email", &self.customer.email),
            ("x_cust_id", &self.customer.cust_id),
            ("x_customer_ip", &self.customer.customer_ip),
        ] {
            if let Some(v) = opt(v) {
                push(k, v);
            }
        }
        let s = &self.ship_to;
        for (k, v) in [
            ("x_ship_to_first_name", &s.first_name),
            ("x_ship_to_last_name", &s.last_name),
            ("x_ship_to_company", &s.company),
            ("x_ship_to_address", &s.address),
            ("x_ship_to_city", &s.city),
            ("x_ship_to_state", &s.state),
            ("x_ship_to_zip", &s.zip),
            ("x_ship_to_country", &s.country),
        ] {
            if let Some(v) = opt(v) {
                push(k, v);
            }
        }
        for (k, v) in [
            ("x_tax", &self.tax),
            ("x_freight", &self.freight),
            ("x_duty", &self.duty),
        ] {
            if let Some(c) = v {
                push(k, c.encode());
            }
        }
        if let Some(v) = self.tax_exempt {
            push("x_tax_exempt", b(v));
        }
        if let Some(v) = opt(&self.po_num) {
            push("x_po_num", v);
        }
        if let Some(auth) = &self.authentication {
            if let Some(v) = opt(&auth.indicator) {
                push("x_authentication_indicator", v);
            }
            if let Some(v) = opt(&auth.value) {
                push("x_cardholder_authentication_value", v);
            }
        }
        let er = &self.email_receipt;
        if let Some(v) = er.email_customer {
            push("x_email_customer", b(v));
        }
        for (k, v) in [
            ("x_header_email_receipt", &er.header),
            ("x_footer_email_receipt", &er.footer),
            ("x_merchant_email", &er.merchant_email),
        ] {
            if let Some(v) = opt(v) {
                push(k, v);
            }
        }
        let mut all: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for (k, v) in &self.merchant_fields {
            all.push((k.as_str(), v.as_str()));
        }
        serde_urlencoded::to_string(&all).map_err(|_| BuildError::Invalid {
            field: "form",
            why: "could not be encoded",
        })
    }

    /// The server-side decoder, for symmetry: see [`super::form::decode_form`].
    pub fn decode_form(bytes: &[u8]) -> super::form::ParsedAimRequest {
        super::form::decode_form(bytes)
    }
}

fn check_len(field: &'static str, v: Option<&str>, max: usize) -> Result<(), BuildError> {
    match v {
        Some(s) if s.chars().count() > max => Err(BuildError::TooLong { field, max }),
        _ => Ok(()),
    }
}

fn check_amount(field: &'static str, a: Decimal, positive: bool) -> Result<(), BuildError> {
    if a.is_sign_negative() || (positive && a.is_zero()) {
        return Err(BuildError::Invalid {
            field,
            why: "must be a positive amount",
        });
    }
    if a.normalize().scale() > 2 && field == "x_amount" {
        return Err(BuildError::Invalid {
            field,
            why: "at most two decimals",
        });
    }
    if a.trunc().to_string().len() > 13 {
        return Err(BuildError::Invalid {
            field,
            why: "at most 15 digits",
        });
    }
    Ok(())
}

fn check_address(prefix: &'static str, a: &Address) -> Result<(), BuildError> {
    let bill = prefix == "x_";
    let name = |b: &'static str, s: &'static str| if bill { b } else { s };
    check_len(
        name("x_first_name", "x_ship_to_first_name"),
        a.first_name.as_deref(),
        50,
    )?;
    check_len(
        name("x_last_name", "x_ship_to_last_name"),
        a.last_name.as_deref(),
        50,
    )?;
    check_len(
        name("x_company", "x_ship_to_company"),
        a.company.as_deref(),
        50,
    )?;
    check_len(
        name("x_address", "x_ship_to_address"),
        a.address.as_deref(),
        60,
    )?;
    check_len(name("x_city", "x_ship_to_city"), a.city.as_deref(), 40)?;
    check_len(name("x_state", "x_ship_to_state"), a.state.as_deref(), 40)?;
    check_len(name("x_zip", "x_ship_to_zip"), a.zip.as_deref(), 20)?;
    check_len(
        name("x_country", "x_ship_to_country"),
        a.country.as_deref(),
        60,
    )?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::aim::form::decode_form;
    use checkout_domain::{Brand, YearMonth};
    use rust_decimal_macros::dec;

    fn creds() -> Credentials {
        Credentials::new("anet-test", Secret::new("SandboxKey123456".to_owned()))
    }

    fn card(code: Option<&str>) -> CardData {
        let today = YearMonth {
            year: 2026,
            month: 11,
        };
        CardData::full(
            CardNumber::parse("4111111111111111").unwrap(),
            Expiry::parse("12/30", today).unwrap(),
            code.map(|c| CardCode::parse(c, Some(Brand::Visa)).unwrap()),
        )
    }

    #[test]
    fn auth_capture_encodes_every_group_and_decodes_back() {
        let req = AimRequest::auth_capture(creds(), dec!(19.99), card(Some("123")))
            .with_invoice("INV-1")
            .with_description("Widgets")
            .with_duplicate_window(300)
            .with_bill_to(Address {
                first_name: Some("Ann".into()),
                zip: Some("97201".into()),
                ..Address::default()
            })
            .with_ship_to(Address {
                city: Some("Portland".into()),
                ..Address::default()
            })
            .with_customer(Customer {
                email: Some("ann@example.com".into()),
                cust_id: Some("C-55".into()),
                customer_ip: Some("10.0.0.1".into()),
                ..Customer::default()
            })
            .with_line_item(LineItem {
                id: "item1".into(),
                name: "golf balls".into(),
                description: String::new(),
                quantity: dec!(2),
                unit_price: dec!(18.95),
                taxable: true,
            })
            .with_merchant_field("order_ref", "A-17");
        let mut req = req;
        req.tax = Some(Charge::Itemized {
            name: "Tax1".into(),
            description: "state tax".into(),
            amount: dec!(1.25),
        });
        req.freight = Some(Charge::Amount(dec!(12.95)));
        req.tax_exempt = Some(false);
        req.po_num = Some("PO-9".into());
        req.recurring_billing = Some(false);
        req.email_receipt.email_customer = Some(true);
        req.authentication = Some(CardholderAuthentication {
            indicator: Some("5".into()),
            value: Some("uq3wDbqt8A26rfANAAAAAP".into()),
        });
        let body = req.encode().unwrap();
        assert!(body.starts_with(
            "x_login=anet-test&x_tran_key=SandboxKey123456&x_version=3.1&x_type=AUTH_CAPTURE"
        ));
        let f = decode_form(body.as_bytes());
        assert_eq!(f.transaction_type(), Ok(TransactionType::AuthCapture));
        assert_eq!(f.amount(), Ok(Some(dec!(19.99))));
        assert_eq!(
            f.card_num.as_ref().unwrap().expose_secret(),
            "4111111111111111"
        );
        assert_eq!(f.card_code.as_ref().unwrap().expose_secret(), "123");
        assert_eq!(f.exp_date.as_deref(), Some("1230"));
        assert_eq!(f.delim(), b'|');
        assert_eq!(f.encap(), Some(b'"'));
        assert_eq!(f.duplicate_window_secs(), 300);
        assert_eq!(
            f.line_items,
            vec!["item1<|>golf balls<|><|>2<|>18.95<|>Y".to_owned()]
        );
        assert_eq!(f.tax.as_deref(), Some("Tax1<|>state tax<|>1.25"));
        assert_eq!(f.ship_to_city.as_deref(), Some("Portland"));
        assert_eq!(f.cust_id.as_deref(), Some("C-55"));
        assert_eq!(f.authentication_indicator.as_deref(), Some("5"));
        assert_eq!(
            f.merchant_fields,
            vec![("order_ref".to_owned(), "A-17".to_owned())]
        );
        assert!(f.check_line_items().is_ok());
        assert!(!format!("{req:?}").contains("4111111111111111"));
        assert!(!format!("{req:?}").contains("SandboxKey123456"));
    }

    #[test]
    fn each_type_checks_its_required_fields() {
        let missing = |r: AimRequest| match r.validate() {
            Err(BuildError::Missing { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert!(
            AimRequest::auth_only(creds(), dec!(1), card(None))
                .validate()
                .is_ok()
        );
        assert!(
            AimRequest::prior_auth_capture(creds(), "2170000001", None)
                .validate()
                .is_ok()
        );
        assert_eq!(
            missing(AimRequest::prior_auth_capture(creds(), "", None)),
            "x_trans_id"
        );
        assert_eq!(missing(AimRequest::void(creds(), "")), "x_trans_id");
        assert!(AimRequest::void(creds(), "2170000001").validate().is_ok());
        assert_eq!(
            missing(AimRequest::capture_only(creds(), "", dec!(1), card(None))),
            "x_auth_code"
        );
        assert_eq!(
            AimRequest::capture_only(creds(), "1234567", dec!(1), card(None)).validate(),
            Err(BuildError::TooLong {
                field: "x_auth_code",
                max: 6
            })
        );
        let credit = AimRequest::credit(
            creds(),
            "2170000001",
            dec!(5),
            CardData::LastFour("1111".into()),
        );
        let body = credit.encode().unwrap();
        assert!(body.contains("x_card_num=1111") && !body.contains("x_exp_date"));
        assert_eq!(
            missing(AimRequest::credit(
                creds(),
                "",
                dec!(5),
                CardData::LastFour("1111".into())
            )),
            "x_trans_id"
        );
        let mut no_card = AimRequest::auth_capture(creds(), dec!(1), card(None));
        no_card.card = None;
        assert_eq!(missing(no_card), "x_card_num");
    }

    #[test]
    fn prior_auth_capture_not_above_authorised() {
        let mut r = AimRequest::prior_auth_capture(creds(), "2170000001", Some(dec!(20.01)));
        r.authorized_amount = Some(dec!(20.00));
        assert_eq!(r.validate(), Err(BuildError::AboveAuthorized));
        r.amount = Some(dec!(20.00));
        assert!(r.validate().is_ok());
    }

    #[test]
    fn values_are_checked_against_the_guide_limits() {
        let base = || AimRequest::auth_capture(creds(), dec!(1), card(None));
        assert!(matches!(
            base().with_invoice("x".repeat(21)).validate(),
            Err(BuildError::TooLong {
                field: "x_invoice_num",
                ..
            })
        ));
        assert!(matches!(
            base().with_description("x".repeat(256)).validate(),
            Err(BuildError::TooLong { .. })
        ));
        let mut r = base();
        r.amount = Some(dec!(1.001));
        assert!(matches!(
            r.validate(),
            Err(BuildError::Invalid {
                field: "x_amount",
                ..
            })
        ));
        r.amount = Some(dec!(0));
        assert!(r.validate().is_err());
        assert_eq!(
            base().with_merchant_field("x_custom", "v").validate(),
            Err(BuildError::MerchantFieldName("x_custom".into()))
        );
        assert!(
            base()
                .with_merchant_field("X_Login", "v")
                .validate()
                .is_err()
        );
        let item = LineItem {
            id: "i".into(),
            name: "n".into(),
            description: String::new(),
            quantity: dec!(1),
            unit_price: dec!(1.00),
            taxable: false,
        };
        let mut r = base();
        r.line_items = vec![item.clone(); 31];
        assert_eq!(r.validate(), Err(BuildError::TooManyLineItems(31)));
        r.line_items = vec![item.clone(); 30];
        assert!(r.validate().is_ok());
        let mut bad = item.clone();
        bad.name = "x".repeat(32);
        assert!(matches!(
            base().with_line_item(bad).validate(),
            Err(BuildError::LineItem(_))
        ));
        let mut bad = item;
        bad.id = "a<|>b".into();
        assert!(base().with_line_item(bad).validate().is_err());
        let mut r = base();
        r.customer.customer_ip = Some("not-an-ip".into());
        assert!(r.validate().is_err());
        let mut r = base();
        r.duplicate_window = Some(28_801);
        assert!(r.validate().is_err());
        let mut r = base();
        r.tax = Some(Charge::Itemized {
            name: "x".repeat(32),
            description: String::new(),
            amount: dec!(1),
        });
        assert!(r.validate().is_err());
        let r = base().with_framing(b',', Some(b','));
        assert!(r.validate().is_err());
    }
}
