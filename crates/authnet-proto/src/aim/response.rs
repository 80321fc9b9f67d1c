//! The AIM delimited response (x_version 3.1, §3.1–3.2): parse from bytes and
//! encode to text. The same layout is CIM's `directResponse`.

use rust_decimal::Decimal;
use std::str::FromStr;

use super::codes::{AvsResult, CardCodeResult, CavvResult, ResponseCode, TransactionType};

/// Number of standard fields in a 3.1 response.
pub const STANDARD_FIELDS: usize = 68;

/// Fewest fields a parsed response may have (response code, subcode, reason).
pub const MIN_FIELDS: usize = 3;

/// A typed AIM response. Every echo field is kept as the text the gateway sent;
/// blank fields are empty strings (or `None` for the typed optional ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AimResponse {
    /// Position 1.
    pub response_code: ResponseCode,
    /// Position 2 (gateway-internal; ignore it).
    pub subcode: String,
    /// Position 3.
    pub reason_code: u16,
    /// Position 4.
    pub reason_text: String,
    /// Position 5.
    pub auth_code: String,
    /// Position 6.
    pub avs_result: Option<AvsResult>,
    /// Position 7: `0` for errors, test mode and 310/311.
    pub trans_id: String,
    /// Position 8.
    pub invoice_num: String,
    /// Position 9.
    pub description: String,
    /// Position 10 (the approved amount on partial authorisation).
    pub amount: Option<Decimal>,
    /// Position 11: `CC` / `ECHECK` (blank on some errors).
    pub method: String,
    /// Position 12.
    pub transaction_type: Option<TransactionType>,
    /// Position 13.
    pub cust_id: String,
    /// Positions 14–24.
    pub bill_to: ResponseAddress,
    /// Position 24.
    pub email: String,
    /// Positions 25–32 (phone/fax unused).
    pub ship_to: ResponseAddress,
    /// Position 33: amount part of `x_tax`.
    pub tax: String,
    /// Position 34.
    pub duty: String,
    /// Position 35.
    pub freight: String,
    /// Position 36.
    pub tax_exempt: String,
    /// Position 37.
    pub po_num: String,
    /// Position 38: 32 upper-case hex chars (§3.10).
    pub md5_hash: String,
    /// Position 39.
    pub card_code_result: Option<CardCodeResult>,
    /// Position 40.
    pub cavv_result: Option<CavvResult>,
    /// Position 51: `XXXX1111`.
    pub account_number: String,
    /// Position 52: `Visa`, `MasterCard`, ….
    pub card_type: String,
    /// Position 53.
    pub split_tender_id: String,
    /// Position 54 (partial authorisation: the amount asked for).
    pub requested_amount: Option<Decimal>,
    /// Position 55.
    pub balance_on_card: Option<Decimal>,
    /// Positions 69…: merchant-defined field values in request order (CIM puts
    /// `customerShippingAddressId` first; later gateways append one unknown field).
    pub extra: Vec<String>,
}

/// Name and address block of a response (billing 14–23, shipping 25–32).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseAddress {
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country: String,
    /// Billing only (position 22).
    pub phone: String,
    /// Billing only (position 23).
    pub fax: String,
}

/// Why a body is not an AIM response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AimParseError {
    #[error("empty response body")]
    Empty,
    #[error(
        "response has {found} fields, at least {MIN_FIELDS} expected (not a delimited response)"
    )]
    TooFewFields { found: usize },
    #[error("response code {0:?} is not 1, 2, 3 or 4")]
    BadResponseCode(String),
    #[error("reason code {0:?} is not a number")]
    BadReasonCode(String),
    #[error("field {position} ({name}) holds {value:?}, not an amount")]
    BadAmount {
        position: usize,
        name: &'static str,
        value: String,
    },
}

impl AimResponse {
    /// A response with only the status fields set; the rest blank.
    pub fn new(
        response_code: ResponseCode,
        reason_code: u16,
        reason_text: impl Into<String>,
    ) -> Self {
        AimResponse {
            response_code,
            subcode: "1".to_owned(),
            reason_code,
            reason_text: reason_text.into(),
            auth_code: String::new(),
            avs_result: None,
            trans_id: "0".to_owned(),
            invoice_num: String::new(),
            description: String::new(),
            amount: None,
            method: String::new(),
            transaction_type: None,
            cust_id: String::new(),
            bill_to: ResponseAddress::default(),
            email: String::new(),
            ship_to: ResponseAddress::default(),
            tax: String::new(),
            duty: String::new(),
            freight: String::new(),
            tax_exempt: String::new(),
            po_num: String::new(),
            md5_hash: String::new(),
            card_code_result: None,
            cavv_result: None,
            account_number: String::new(),
            card_type: String::new(),
            split_tender_id: String::new(),
            requested_amount: None,
            balance_on_card: None,
            extra: Vec::new(),
        }
    }

    /// Parses a response body split by `delim`, each field wrapped in `encap`
    /// when given. Tolerates a leading UTF-8 BOM, surrounding whitespace/newlines,
    /// short error responses (at least [`MIN_FIELDS`] fields; missing ones are
    /// blank), extra trailing fields, and invalid UTF-8 (replaced). Never panics.
    pub fn parse(bytes: &[u8], delim: u8, encap: Option<u8>) -> Result<AimResponse, AimParseError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = String::from_utf8_lossy(bytes);
        let text = text.trim_matches(|c: char| c == '\r' || c == '\n');
        if text.is_empty() {
            return Err(AimParseError::Empty);
        }
        let fields = split_fields(text, delim, encap);
        Self::from_fields(&fields)
    }

    /// As [`AimResponse::parse`], guessing the delimiter and encapsulation from
    /// the body: the response code is a single digit, so the character after it
    /// (or after its opening encapsulation character) is the delimiter.
    pub fn parse_auto(bytes: &[u8]) -> Result<AimResponse, AimParseError> {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = body
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0);
        let body = body.get(start..).unwrap_or_default();
        let (delim, encap) = match body {
            [first, d, ..] if first.is_ascii_digit() => (*d, None),
            [e, digit, e2, d, ..] if digit.is_ascii_digit() && e == e2 => (*d, Some(*e)),
            _ => (b',', None),
        };
        Self::parse(bytes, delim, encap)
    }

    /// Builds a response from already split fields (position 1 first).
    pub fn from_fields<S: AsRef<str>>(fields: &[S]) -> Result<AimResponse, AimParseError> {
        if fields.len() < MIN_FIELDS {
            return Err(AimParseError::TooFewFields {
                found: fields.len(),
            });
        }
        let f = |pos: usize| -> &str { fields.get(pos - 1).map(|s| s.as_ref()).unwrap_or("") };
        let s = |pos: usize| -> String { f(pos).to_owned() };
        let code_text = f(1).trim();
        let response_code = code_text
            .parse::<u8>()
            .ok()
            .and_then(ResponseCode::from_u8)
            .ok_or_else(|| AimParseError::BadResponseCode(code_text.to_owned()))?;
        let reason_text_raw = f(3).trim();
        let reason_code = reason_text_raw
            .parse::<u16>()
            .map_err(|_| AimParseError::BadReasonCode(reason_text_raw.to_owned()))?;
        let amount = |pos: usize, name: &'static str| -> Result<Option<Decimal>, AimParseError> {
            let v = f(pos).trim();
            if v.is_empty() {
                return Ok(None);
            }
            Decimal::from_str(v)
                .map(Some)
                .map_err(|_| AimParseError::BadAmount {
                    position: pos,
                    name,
                    value: v.to_owned(),
                })
        };
        Ok(AimResponse {
            response_code,
            subcode: s(2),
            reason_code,
            reason_text: s(4),
            auth_code: s(5),
            avs_result: AvsResult::parse(f(6)),
            trans_id: s(7),
            invoice_num: s(8),
            description: s(9),
            amount: amount(10, "amount")?,
            method: s(11),
            transaction_type: TransactionType::parse(f(12)),
            cust_id: s(13),
            bill_to: ResponseAddress {
                first_name: s(14),
                last_name: s(15),
                company: s(16),
                address: s(17),
                city: s(18),
                state: s(19),
                zip: s(20),
                country: s(21),
                phone: s(22),
                fax: s(23),
            },
            email: s(24),
            ship_to: ResponseAddress {
                first_name: s(25),
                last_name: s(26),
                company: s(27),
                address: s(28),
                city: s(29),
                state: s(30),
                zip: s(31),
                country: s(32),
                phone: String::new(),
                fax: String::new(),
            },
            tax: s(33),
            duty: s(34),
            freight: s(35),
            tax_exempt: s(36),
            po_num: s(37),
            md5_hash: s(38),
            card_code_result: CardCodeResult::parse(f(39)),
            cavv_result: CavvResult::parse(f(40)),
            account_number: s(51),
            card_type: s(52),
            split_tender_id: s(53),
            requested_amount: amount(54, "requested amount")?,
            balance_on_card: amount(55, "balance on card")?,
            extra: fields
                .iter()
                .skip(STANDARD_FIELDS)
                .map(|v| v.as_ref().to_owned())
                .collect(),
        })
    }

    /// The 68 standard fields followed by [`AimResponse::extra`], as text.
    pub fn to_fields(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::with_capacity(STANDARD_FIELDS + self.extra.len());
        v.push(self.response_code.as_u8().to_string());
        v.push(self.subcode.clone());
        v.push(self.reason_code.to_string());
        v.push(self.reason_text.clone());
        v.push(self.auth_code.clone());
        v.push(opt_str(self.avs_result.as_ref().map(|a| a.as_str())));
        v.push(self.trans_id.clone());
        v.push(self.invoice_num.clone());
        v.push(self.description.clone());
        v.push(format_amount_opt(self.amount));
        v.push(self.method.clone());
        v.push(opt_str(self.transaction_type.map(|t| t.as_response_str())));
        v.push(self.cust_id.clone());
        let b = &self.bill_to;
        for x in [
            &b.first_name,
            &b.last_name,
            &b.company,
            &b.address,
            &b.city,
            &b.state,
            &b.zip,
            &b.country,
            &b.phone,
            &b.fax,
        ] {
            v.push(x.clone());
        }
        v.push(self.email.clone());
        let sh = &self.ship_to;
        for x in [
            &sh.first_name,
            &sh.last_name,
            &sh.company,
            &sh.address,
            &sh.city,
            &sh.state,
            &sh.zip,
            &sh.country,
        ] {
            v.push(x.clone());
        }
        v.push(self.tax.clone());
        v.push(self.duty.clone());
        v.push(self.freight.clone());
        v.push(self.tax_exempt.clone());
        v.push(self.po_num.clone());
        v.push(self.md5_hash.clone());
        v.push(opt_str(self.card_code_result.as_ref().map(|c| c.as_str())));
        v.push(opt_str(self.cavv_result.as_ref().map(|c| c.as_str())));
        v.resize(50, String::new());
        v.push(self.account_number.clone());
        v.push(self.card_type.clone());
        v.push(self.split_tender_id.clone());
        v.push(format_amount_opt(self.requested_amount));
        v.push(format_amount_opt(self.balance_on_card));
        v.resize(STANDARD_FIELDS, String::new());
        v.extend(self.extra.iter().cloned());
        v
    }

    /// Encodes as the gateway does: fields joined by `delim`, every field
    /// (including blanks) wrapped in `encap` when given. Values are not
    /// escaped (the gateway does not escape either): pick a delimiter and an
    /// encapsulation character that the values cannot contain.
    pub fn encode(&self, delim: u8, encap: Option<u8>) -> String {
        let fields = self.to_fields();
        let d = char::from(delim);
        let cap: usize = fields.iter().map(|f| f.len() + 3).sum();
        let mut out = String::with_capacity(cap);
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(d);
            }
            match encap {
                Some(e) => {
                    out.push(char::from(e));
                    out.push_str(f);
                    out.push(char::from(e));
                }
                None => out.push_str(f),
            }
        }
        out
    }

    /// `Some(id)` unless the transaction id is blank or `0`.
    pub fn transaction_id(&self) -> Option<&str> {
        let t = self.trans_id.trim();
        if t.is_empty() || t == "0" {
            None
        } else {
            Some(t)
        }
    }

    /// Checks position 38 against `md5(hash_value + login + trans_id + amount)`
    /// (§3.10). Case-insensitive on the received hash.
    pub fn verify_md5(&self, hash_value: &str, login: &str) -> bool {
        let expected = super::md5::response_hash(hash_value, login, &self.trans_id, self.amount);
        expected.eq_ignore_ascii_case(self.md5_hash.trim())
    }
}

fn opt_str(v: Option<&str>) -> String {
    v.map(str::to_owned).unwrap_or_default()
}

/// Two decimals, as the gateway echoes amounts (`19.99`, `5.00`).
pub fn format_amount(d: Decimal) -> String {
    let mut r = d.round_dp(2);
    r.rescale(2);
    r.to_string()
}

fn format_amount_opt(d: Option<Decimal>) -> String {
    d.map(format_amount).unwrap_or_default()
}

/// Splits a body into fields. With `encap`: when the body starts and ends with
/// it, strip both and split on `encap delim encap` (what sdk-php and
/// active_merchant do); otherwise split on `delim` and strip a surrounding
/// `encap` pair from each field.
fn split_fields(text: &str, delim: u8, encap: Option<u8>) -> Vec<&str> {
    let d = char::from(delim);
    let mut out = Vec::with_capacity(STANDARD_FIELDS + 2);
    match encap {
        Some(e) => {
            let e = char::from(e);
            let inner = text
                .strip_prefix(e)
                .and_then(|t| t.strip_suffix(e))
                .filter(|_| text.len() >= 2);
            match inner {
                Some(inner) => {
                    let mut sep = [0u8; 12];
                    let mut n = 0;
                    for c in [e, d, e] {
                        n += c.encode_utf8(&mut sep[n..]).len();
                    }
                    let sep = std::str::from_utf8(&sep[..n]).unwrap_or(",");
                    out.extend(inner.split(sep));
                }
                None => out.extend(text.split(d).map(|f| {
                    f.strip_prefix(e)
                        .and_then(|x| x.strip_suffix(e))
                        .unwrap_or(f)
                })),
            }
        }
        None => out.extend(text.split(d)),
    }
    out
}
