//! The server direction of an AIM request: decode a form-encoded body into the
//! `x_` fields a gateway reads. Names are matched case-insensitively (the SDKs
//! send `x_allow_partial_Auth`); every name the gateway does not recognise is a
//! merchant-defined field, kept in request order (misspelt `x_` names too).
//!
//! Card number, card code and transaction key are [`Secret`]s, so `Debug` of a
//! parsed request never shows them.

use checkout_domain::Secret;
use rust_decimal::Decimal;
use std::str::FromStr;

use super::codes::TransactionType;

/// Most `x_line_item` occurrences the gateway accepts (more → reason 271).
pub const MAX_LINE_ITEMS: usize = 30;

macro_rules! wire_struct {
    ($(#[$m:meta])* pub struct $name:ident { $($field:ident = $wire:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            /// `x_tran_key`.
            pub tran_key: Option<Secret<String>>,
            /// `x_card_num` (full number, or last four on CREDIT).
            pub card_num: Option<Secret<String>>,
            /// `x_card_code`.
            pub card_code: Option<Secret<String>>,
            /// `x_bank_acct_num`.
            pub bank_acct_num: Option<Secret<String>>,
            /// Every `x_line_item`, in order.
            pub line_items: Vec<String>,
            /// Whether `x_duplicate_window` was present (even blank): selects the
            /// enhanced duplicate response (§3.11).
            pub duplicate_window_present: bool,
            /// Unrecognised fields `(name, value)` in request order; their values are
            /// echoed from response position 69.
            pub merchant_fields: Vec<(String, String)>,
            $(
                #[doc = concat!("`", $wire, "`.")]
                pub $field: Option<String>,
            )+
        }

        impl $name {
            fn set_known(&mut self, lower: &str, value: String) -> bool {
                match lower {
                    $($wire => { self.$field = Some(value); true })+
                    _ => false,
                }
            }
        }
    };
}

wire_struct!(
    /// Every `x_` field the sandbox reads, as sent (trimmed, not validated).
    pub struct ParsedAimRequest {
        login = "x_login",
        password = "x_password",
        version = "x_version",
        type_ = "x_type",
        method = "x_method",
        recurring_billing = "x_recurring_billing",
        amount = "x_amount",
        currency_code = "x_currency_code",
        exp_date = "x_exp_date",
        trans_id = "x_trans_id",
        auth_code = "x_auth_code",
        test_request = "x_test_request",
        duplicate_window = "x_duplicate_window",
        allow_partial_auth = "x_allow_partial_auth",
        split_tender_id = "x_split_tender_id",
        invoice_num = "x_invoice_num",
        description = "x_description",
        first_name = "x_first_name",
        last_name = "x_last_name",
        company = "x_company",
        address = "x_address",
        city = "x_city",
        state = "x_state",
        zip = "x_zip",
        country = "x_country",
        phone = "x_phone",
        fax = "x_fax",
        email = "x_email",
        cust_id = "x_cust_id",
        customer_ip = "x_customer_ip",
        customer_tax_id = "x_customer_tax_id",
        ship_to_first_name = "x_ship_to_first_name",
        ship_to_last_name = "x_ship_to_last_name",
        ship_to_company = "x_ship_to_company",
        ship_to_address = "x_ship_to_address",
        ship_to_city = "x_ship_to_city",
        ship_to_state = "x_ship_to_state",
        ship_to_zip = "x_ship_to_zip",
        ship_to_country = "x_ship_to_country",
        tax = "x_tax",
        freight = "x_freight",
        duty = "x_duty",
        tax_exempt = "x_tax_exempt",
        po_num = "x_po_num",
        authentication_indicator = "x_authentication_indicator",
        cardholder_authentication_value = "x_cardholder_authentication_value",
        delim_data = "x_delim_data",
        delim_char = "x_delim_char",
        encap_char = "x_encap_char",
        relay_response = "x_relay_response",
        relay_url = "x_relay_url",
        email_customer = "x_email_customer",
        header_email_receipt = "x_header_email_receipt",
        footer_email_receipt = "x_footer_email_receipt",
        merchant_email = "x_merchant_email",
        solution_id = "x_solution_id",
        market_type = "x_market_type",
        device_type = "x_device_type",
        bank_aba_code = "x_bank_aba_code",
        bank_acct_type = "x_bank_acct_type",
        bank_name = "x_bank_name",
        bank_acct_name = "x_bank_acct_name",
        echeck_type = "x_echeck_type",
        drivers_license_num = "x_drivers_license_num",
        drivers_license_state = "x_drivers_license_state",
        drivers_license_dob = "x_drivers_license_dob",
    }
);

/// A request field the gateway refuses, with the reason code it answers with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AimRequestError {
    #[error("x_version {0:?} is not 3.0 or 3.1")]
    BadVersion(String),
    #[error("x_type {0:?} is not a transaction type")]
    BadType(String),
    #[error("x_method {0:?} is not CC or ECHECK")]
    BadMethod(String),
    #[error("x_amount is missing or not a valid amount")]
    BadAmount,
    #[error("{field} is not a valid amount")]
    BadChargeAmount { field: &'static str },
    #[error("{0} line items submitted, at most 30 allowed")]
    TooManyLineItems(usize),
    #[error("line item {0} is invalid")]
    BadLineItem(usize),
    #[error("x_trans_id is missing or not numeric")]
    BadTransId,
    #[error("x_split_tender_id is not numeric")]
    BadSplitTenderId,
    #[error("x_trans_id and x_split_tender_id cannot both be sent")]
    TransIdAndSplitTender,
    #[error("{0} is not a boolean")]
    BadBoolean(&'static str),
}

impl AimRequestError {
    /// The AIM reason code the gateway answers this error with.
    pub fn reason_code(&self) -> u16 {
        match self {
            AimRequestError::BadVersion(_) => 68,
            AimRequestError::BadType(_) => 69,
            AimRequestError::BadMethod(_) => 70,
            AimRequestError::BadAmount => 5,
            AimRequestError::BadChargeAmount { field } => match *field {
                "x_duty" => 74,
                "x_freight" => 75,
                _ => 76,
            },
            AimRequestError::TooManyLineItems(_) => 271,
            AimRequestError::BadLineItem(_) => 270,
            AimRequestError::BadTransId => 15,
            AimRequestError::BadSplitTenderId => 296,
            AimRequestError::TransIdAndSplitTender => 297,
            AimRequestError::BadBoolean(_) => 33,
        }
    }

    /// Detail for reason texts with a placeholder (270, 33).
    pub fn detail(&self) -> String {
        match self {
            AimRequestError::BadLineItem(n) => n.to_string(),
            AimRequestError::BadBoolean(f) => (*f).to_owned(),
            _ => String::new(),
        }
    }
}

/// Decodes an `application/x-www-form-urlencoded` body. Never fails: invalid
/// percent-escapes and invalid UTF-8 are replaced; value checks are the typed
/// accessors' job ([`ParsedAimRequest::transaction_type`] and friends), so the
/// caller can answer each with its reason code.
pub fn decode_form(bytes: &[u8]) -> ParsedAimRequest {
    let mut req = ParsedAimRequest::default();
    // A body with a BOM or trailing newline still decodes.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (name, value) in form_urlencoded_pairs(bytes) {
        let lower = name.trim().to_ascii_lowercase();
        let value = value.trim().to_owned();
        match lower.as_str() {
            "x_tran_key" => req.tran_key = Some(Secret::new(value)),
            "x_card_num" => req.card_num = Some(Secret::new(value)),
            "x_card_code" => req.card_code = Some(Secret::new(value)),
            "x_bank_acct_num" => req.bank_acct_num = Some(Secret::new(value)),
            "x_line_item" => req.line_items.push(value),
            "x_duplicate_window" => {
                req.duplicate_window_present = true;
                req.duplicate_window = Some(value);
            }
            _ => {
                if !req.set_known(&lower, value.clone()) && !name.is_empty() {
                    req.merchant_fields.push((name, value));
                }
            }
        }
    }
    req
}

fn form_urlencoded_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    // serde_urlencoded over a Vec of pairs cannot fail on any input: the
    // underlying parser is lossy. Keep a fallback anyway rather than unwrap.
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).unwrap_or_default()
}

/// `TRUE, FALSE, T, F, YES, NO, Y, N, 1, 0` (case-insensitive), as the guide lists.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_uppercase().as_str() {
        "TRUE" | "T" | "YES" | "Y" | "1" | "ON" => Some(true),
        "FALSE" | "F" | "NO" | "N" | "0" | "OFF" => Some(false),
        _ => None,
    }
}

fn non_blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// An amount as AIM accepts it: up to 15 digits with a decimal point, no
/// currency symbol, not negative.
pub fn parse_amount(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if s.is_empty()
        || digits == 0
        || digits > 15
        || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || s.bytes().filter(|&b| b == b'.').count() > 1
    {
        return None;
    }
    Decimal::from_str(s).ok().filter(|d| !d.is_sign_negative())
}

/// A `x_tax` / `x_freight` / `x_duty` value: a plain amount or
/// `name<|>description<|>amount`. Returns the amount part.
pub fn charge_amount(s: &str) -> Option<Decimal> {
    let amount = s.rsplit("<|>").next().unwrap_or(s);
    parse_amount(amount)
}

impl ParsedAimRequest {
    /// `x_type`; blank or absent is AUTH_CAPTURE (the guide's default). Bad → 69.
    pub fn transaction_type(&self) -> Result<TransactionType, AimRequestError> {
        match non_blank(&self.type_) {
            None => Ok(TransactionType::AuthCapture),
            Some(t) => {
                TransactionType::parse(t).ok_or_else(|| AimRequestError::BadType(t.to_owned()))
            }
        }
    }

    /// `x_version`: `3.0` or `3.1` (absent → 3.1 here). Bad → 68.
    pub fn check_version(&self) -> Result<(), AimRequestError> {
        match non_blank(&self.version) {
            None | Some("3.1") | Some("3.0") | Some("3,0") => Ok(()),
            Some(v) => Err(AimRequestError::BadVersion(v.to_owned())),
        }
    }

    /// `x_method`: `CC` (default) or `ECHECK`. Bad → 70.
    pub fn method(&self) -> Result<&'static str, AimRequestError> {
        match non_blank(&self.method) {
            None => Ok("CC"),
            Some(m) if m.eq_ignore_ascii_case("CC") => Ok("CC"),
            Some(m) if m.eq_ignore_ascii_case("ECHECK") => Ok("ECHECK"),
            Some(m) => Err(AimRequestError::BadMethod(m.to_owned())),
        }
    }

    /// `x_amount`: `Ok(None)` when absent/blank, an error when present and bad.
    pub fn amount(&self) -> Result<Option<Decimal>, AimRequestError> {
        match non_blank(&self.amount) {
            None => Ok(None),
            Some(a) => parse_amount(a).map(Some).ok_or(AimRequestError::BadAmount),
        }
    }

    /// The amount parts of `x_tax`, `x_freight`, `x_duty` (74–76 when bad).
    pub fn charges(&self) -> Result<[Option<Decimal>; 3], AimRequestError> {
        let one = |v: &Option<String>, field: &'static str| match non_blank(v) {
            None => Ok(None),
            Some(s) => charge_amount(s)
                .map(Some)
                .ok_or(AimRequestError::BadChargeAmount { field }),
        };
        Ok([
            one(&self.tax, "x_tax")?,
            one(&self.freight, "x_freight")?,
            one(&self.duty, "x_duty")?,
        ])
    }

    /// Line item count and shape (271 / 270 with the 1-based item number).
    pub fn check_line_items(&self) -> Result<(), AimRequestError> {
        if self.line_items.len() > MAX_LINE_ITEMS {
            return Err(AimRequestError::TooManyLineItems(self.line_items.len()));
        }
        for (i, item) in self.line_items.iter().enumerate() {
            if super::request::LineItem::parse(item).is_none() {
                return Err(AimRequestError::BadLineItem(i + 1));
            }
        }
        Ok(())
    }

    /// A boolean flag; absent → `default`, unparseable → error (33).
    pub fn flag(
        &self,
        value: &Option<String>,
        name: &'static str,
        default: bool,
    ) -> Result<bool, AimRequestError> {
        match non_blank(value) {
            None => Ok(default),
            Some(v) => parse_bool(v).ok_or(AimRequestError::BadBoolean(name)),
        }
    }

    /// `x_test_request` (unparseable values count as FALSE, as lenient gateways do).
    pub fn is_test_request(&self) -> bool {
        non_blank(&self.test_request)
            .and_then(parse_bool)
            .unwrap_or(false)
    }

    /// `x_allow_partial_Auth`.
    pub fn allows_partial_auth(&self) -> bool {
        non_blank(&self.allow_partial_auth)
            .and_then(parse_bool)
            .unwrap_or(false)
    }

    /// `x_duplicate_window` in seconds, clamped to 0–28800; absent or blank →
    /// 120; not a number → 120.
    pub fn duplicate_window_secs(&self) -> u32 {
        match non_blank(&self.duplicate_window).map(|s| s.parse::<i64>()) {
            Some(Ok(n)) => n.clamp(0, 28_800) as u32,
            _ => 120,
        }
    }

    /// `x_trans_id` when present: must be numeric (15 otherwise).
    pub fn ref_trans_id(&self) -> Result<Option<&str>, AimRequestError> {
        match non_blank(&self.trans_id) {
            None => Ok(None),
            Some(t) if t.bytes().all(|b| b.is_ascii_digit()) && t.len() <= 20 => Ok(Some(t)),
            Some(_) => Err(AimRequestError::BadTransId),
        }
    }

    /// `x_split_tender_id` when present (296 if not numeric; 297 with a trans id).
    pub fn split_tender(&self) -> Result<Option<&str>, AimRequestError> {
        match non_blank(&self.split_tender_id) {
            None => Ok(None),
            Some(_) if non_blank(&self.trans_id).is_some() => {
                Err(AimRequestError::TransIdAndSplitTender)
            }
            Some(t) if t.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(t)),
            Some(_) => Err(AimRequestError::BadSplitTenderId),
        }
    }

    /// Response delimiter: `x_delim_char` (first byte; `,` by default).
    pub fn delim(&self) -> u8 {
        non_blank(&self.delim_char)
            .and_then(|s| s.bytes().next())
            .unwrap_or(b',')
    }

    /// Response encapsulation: `x_encap_char` (first byte), none by default.
    pub fn encap(&self) -> Option<u8> {
        self.encap_char.as_deref().and_then(|s| s.bytes().next())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn decodes_known_secret_and_merchant_fields() {
        let body = b"x_login=demo&x_tran_key=0123456789ABCDEF&x_type=AUTH_ONLY&x_card_num=4111111111111111\
&x_card_code=123&x_allow_partial_Auth=TRUE&order_ref=A-17&x_frist_name=Ann&x_line_item=a<|>b<|><|>1<|>2.00<|>Y\
&x_duplicate_window=";
        let r = decode_form(body);
        assert_eq!(r.login.as_deref(), Some("demo"));
        assert_eq!(r.transaction_type(), Ok(TransactionType::AuthOnly));
        assert!(r.allows_partial_auth());
        assert_eq!(
            r.merchant_fields,
            vec![
                ("order_ref".to_owned(), "A-17".to_owned()),
                ("x_frist_name".to_owned(), "Ann".to_owned())
            ]
        );
        assert_eq!(r.line_items.len(), 1);
        assert!(r.duplicate_window_present);
        assert_eq!(r.duplicate_window_secs(), 120);
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("4111111111111111"));
        assert!(!dbg.contains("0123456789ABCDEF"));
        assert!(!dbg.contains("card_code: Some(\"123"));
    }

    #[test]
    fn typed_accessors_give_reason_codes() {
        let r = decode_form(b"x_type=SALE&x_version=2.5&x_method=CASH&x_amount=%2410");
        assert_eq!(r.transaction_type().map_err(|e| e.reason_code()), Err(69));
        assert_eq!(r.check_version().map_err(|e| e.reason_code()), Err(68));
        assert_eq!(r.method().map_err(|e| e.reason_code()), Err(70));
        assert_eq!(r.amount().map_err(|e| e.reason_code()), Err(5));
        let r = decode_form(b"x_trans_id=12a");
        assert_eq!(r.ref_trans_id().map_err(|e| e.reason_code()), Err(15));
        let r = decode_form(b"x_trans_id=12&x_split_tender_id=9");
        assert_eq!(r.split_tender().map_err(|e| e.reason_code()), Err(297));
    }

    #[test]
    fn duplicate_window_clamps() {
        assert_eq!(
            decode_form(b"x_duplicate_window=-5").duplicate_window_secs(),
            0
        );
        assert_eq!(
            decode_form(b"x_duplicate_window=99999").duplicate_window_secs(),
            28_800
        );
        assert_eq!(
            decode_form(b"x_duplicate_window=0").duplicate_window_secs(),
            0
        );
        assert!(!decode_form(b"x_amount=1").duplicate_window_present);
    }

    #[test]
    fn charges_accept_itemized_form() {
        let r = decode_form(
            b"x_tax=Tax1<|>state tax<|>0.0625&x_freight=12.95&x_duty=Duty1<|>export<|>abc",
        );
        assert_eq!(r.charges().map_err(|e| e.reason_code()), Err(74));
        let r = decode_form(b"x_tax=Tax1<|>state tax<|>0.0625&x_freight=12.95");
        assert!(r.charges().is_ok());
    }

    #[test]
    fn too_many_line_items() {
        let body: String = (0..31)
            .map(|i| format!("x_line_item=i{i}<|>n<|><|>1<|>1.00<|>N&"))
            .collect();
        assert_eq!(
            decode_form(body.as_bytes())
                .check_line_items()
                .map_err(|e| e.reason_code()),
            Err(271)
        );
    }
}
