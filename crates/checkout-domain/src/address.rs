//! Billing and shipping address fields (the AIM `x_` customer and ship-to fields).
//!
//! Length limits are the AIM guide's, counted in characters: first/last name 50,
//! company 50, address 60, city 40, state 40, ZIP 20, country 60, phone 25,
//! email 255. The guide says "no symbols"; we read that as a per-field allow
//! list (letters of any script, plus the punctuation real values need), which
//! also keeps out control characters and the AIM delimiter `|`:
//!
//! | field            | allowed                                                       |
//! |------------------|---------------------------------------------------------------|
//! | names            | letters, combining marks, space, `' ’ - .`                    |
//! | company, address | letters, digits, space, `. , ' ’ - / # & ( )` (+ `+` company) |
//! | city, state      | letters, digits, space, `. ' ’ -`                             |
//! | country          | letters, space, `. , ' ’ - ( )`                               |
//! | ZIP (non-US)     | ASCII letters, digits, space, `-`                             |
//! | phone            | digits, space, `+ ( ) - .`; 7–15 digits                       |
//! | email            | one `@`, ASCII, dotted domain with a letter TLD               |
//!
//! **US ZIP rule**: when the country is empty, `US`, `USA`, `U.S.`, `U.S.A.`,
//! `United States` or `United States of America` (any case), the ZIP must be
//! `12345`, `12345-6789` or `123456789` (stored as `12345-6789`). An empty
//! country counts as US because the gateway and its AVS service are US-centred
//! and the widget's country field defaults to US; a shopper abroad picks their
//! country and gets the generic postal-code rule.
//!
//! All values are trimmed; empty optional values become `None`. Validation
//! reports every failing field, not just the first.

use serde::{Deserialize, Serialize};

use crate::error::{Field, ValidationError};

/// The raw form fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BillingInput {
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country: String,
    pub phone: String,
    pub email: String,
}

/// Validated, trimmed address fields; `None` for empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingAddress {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl BillingAddress {
    /// Whether the ZIP rule applied was the US one.
    pub fn is_us(&self) -> bool {
        is_us_country(self.country.as_deref().unwrap_or(""))
    }
}

/// What the merchant requires of the billing address (AVS settings).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressRequirements {
    /// Street address (AVS address match).
    pub require_address: bool,
    /// ZIP / postal code (AVS ZIP match).
    pub require_zip: bool,
    /// First and last name.
    pub require_name: bool,
}

/// AIM limits, in characters.
pub mod limits {
    pub const FIRST_NAME: usize = 50;
    pub const LAST_NAME: usize = 50;
    pub const COMPANY: usize = 50;
    pub const ADDRESS: usize = 60;
    pub const CITY: usize = 40;
    pub const STATE: usize = 40;
    pub const ZIP: usize = 20;
    pub const COUNTRY: usize = 60;
    pub const PHONE: usize = 25;
    pub const EMAIL: usize = 255;
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() || is_combining_mark(c)
}

fn name_char(c: char) -> bool {
    is_letter(c) || matches!(c, ' ' | '\'' | '’' | '-' | '.')
}

fn address_char(c: char) -> bool {
    is_letter(c)
        || c.is_ascii_digit()
        || matches!(
            c,
            ' ' | '.' | ',' | '\'' | '’' | '-' | '/' | '#' | '&' | '(' | ')'
        )
}

fn company_char(c: char) -> bool {
    address_char(c) || c == '+'
}

fn city_char(c: char) -> bool {
    is_letter(c) || c.is_ascii_digit() || matches!(c, ' ' | '.' | '\'' | '’' | '-')
}

fn country_char(c: char) -> bool {
    is_letter(c) || matches!(c, ' ' | '.' | ',' | '\'' | '’' | '-' | '(' | ')')
}

fn postal_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == ' ' || c == '-'
}

fn phone_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-' | '.')
}

/// Static codes per field, so `ValidationError::code` stays `&'static str`.
struct Codes {
    field: Field,
    /// `None` for fields that are never required (company).
    required: Option<&'static str>,
    too_long: &'static str,
    characters: &'static str,
}

const FIRST_NAME: Codes = Codes {
    field: Field::FirstName,
    required: Some("first_name.required"),
    too_long: "first_name.too_long",
    characters: "first_name.characters",
};
const LAST_NAME: Codes = Codes {
    field: Field::LastName,
    required: Some("last_name.required"),
    too_long: "last_name.too_long",
    characters: "last_name.characters",
};
const COMPANY: Codes = Codes {
    field: Field::Company,
    required: None,
    too_long: "company.too_long",
    characters: "company.characters",
};
const ADDRESS: Codes = Codes {
    field: Field::Address,
    required: Some("address.required"),
    too_long: "address.too_long",
    characters: "address.characters",
};
const CITY: Codes = Codes {
    field: Field::City,
    required: Some("city.required"),
    too_long: "city.too_long",
    characters: "city.characters",
};
const STATE: Codes = Codes {
    field: Field::State,
    required: Some("state.required"),
    too_long: "state.too_long",
    characters: "state.characters",
};
const ZIP: Codes = Codes {
    field: Field::Zip,
    required: Some("zip.required"),
    too_long: "zip.too_long",
    characters: "zip.characters",
};
const COUNTRY: Codes = Codes {
    field: Field::Country,
    required: Some("country.required"),
    too_long: "country.too_long",
    characters: "country.characters",
};
const PHONE: Codes = Codes {
    field: Field::Phone,
    required: Some("phone.required"),
    too_long: "phone.too_long",
    characters: "phone.characters",
};

/// Trim, then: empty → required/None, too long, disallowed characters.
fn text(
    input: &str,
    required: bool,
    max: usize,
    allowed: fn(char) -> bool,
    c: &Codes,
) -> Result<Option<String>, ValidationError> {
    let t = input.trim();
    if t.is_empty() {
        return match c.required.filter(|_| required) {
            Some(code) => Err(ValidationError::new(c.field, code)),
            None => Ok(None),
        };
    }
    if t.chars().count() > max {
        return Err(ValidationError::new(c.field, c.too_long));
    }
    if !t.chars().all(allowed) {
        return Err(ValidationError::new(c.field, c.characters));
    }
    Ok(Some(t.to_owned()))
}

pub fn validate_first_name(input: &str, required: bool) -> Result<Option<String>, ValidationError> {
    text(input, required, limits::FIRST_NAME, name_char, &FIRST_NAME)
}

pub fn validate_last_name(input: &str, required: bool) -> Result<Option<String>, ValidationError> {
    text(input, required, limits::LAST_NAME, name_char, &LAST_NAME)
}

/// Company is always optional.
pub fn validate_company(input: &str) -> Result<Option<String>, ValidationError> {
    text(input, false, limits::COMPANY, company_char, &COMPANY)
}

pub fn validate_address(input: &str, required: bool) -> Result<Option<String>, ValidationError> {
    text(input, required, limits::ADDRESS, address_char, &ADDRESS)
}

pub fn validate_city(input: &str, required: bool) -> Result<Option<String>, ValidationError> {
    text(input, required, limits::CITY, city_char, &CITY)
}

pub fn validate_state(input: &str, required: bool) -> Result<Option<String>, ValidationError> {
    text(input, required, limits::STATE, city_char, &STATE)
}

pub fn validate_country(input: &str, required: bool) -> Result<Option<String>, ValidationError> {
    text(input, required, limits::COUNTRY, country_char, &COUNTRY)
}

/// Whether `country` selects the US ZIP rule (see the module docs).
pub fn is_us_country(country: &str) -> bool {
    let c = country.trim();
    c.is_empty()
        || [
            "US",
            "USA",
            "U.S.",
            "U.S.A.",
            "United States",
            "United States of America",
        ]
        .iter()
        .any(|us| c.eq_ignore_ascii_case(us))
}

/// ZIP / postal code for `country`. US: `12345`, `12345-6789` or `123456789`
/// (normalised to `12345-6789`); elsewhere up to 20 letters, digits, spaces, dashes.
pub fn validate_zip(
    input: &str,
    country: &str,
    required: bool,
) -> Result<Option<String>, ValidationError> {
    let Some(zip) = text(input, required, limits::ZIP, postal_char, &ZIP)? else {
        return Ok(None);
    };
    if !is_us_country(country) {
        return Ok(Some(zip));
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let normalised = match (zip.len(), zip.split_once('-')) {
        (5, None) if all_digits(&zip) => Some(zip.clone()),
        (9, None) if all_digits(&zip) => Some(format!("{}-{}", &zip[..5], &zip[5..])),
        (10, Some((a, b))) if a.len() == 5 && all_digits(a) && all_digits(b) => Some(zip.clone()),
        _ => None,
    };
    normalised
        .map(Some)
        .ok_or_else(|| ValidationError::new(Field::Zip, "zip.format"))
}

/// Phone: up to 25 characters of digits, spaces and `+ ( ) - .`, with 7–15 digits.
pub fn validate_phone(input: &str, required: bool) -> Result<Option<String>, ValidationError> {
    let Some(phone) = text(input, required, limits::PHONE, phone_char, &PHONE)? else {
        return Ok(None);
    };
    let digits = phone.bytes().filter(u8::is_ascii_digit).count();
    if (7..=15).contains(&digits) {
        Ok(Some(phone))
    } else {
        Err(ValidationError::new(Field::Phone, "phone.format"))
    }
}

/// Email: a sane subset of RFC 5321 that every mail system accepts: ASCII only,
/// one `@`, local part ≤ 64 of letters, digits and ``!#$%&'*+/=?^_`{}~.-``
/// (no `|`, the AIM delimiter) without leading, trailing or double dots;
/// a domain of at least two dot-separated labels (letters, digits, inner
/// hyphens, ≤ 63 each) ending in an alphabetic TLD of 2+ letters.
pub fn validate_email(input: &str, required: bool) -> Result<Option<String>, ValidationError> {
    let t = input.trim();
    let e = |code| ValidationError::new(Field::Email, code);
    if t.is_empty() {
        return if required {
            Err(e("email.required"))
        } else {
            Ok(None)
        };
    }
    if t.chars().count() > limits::EMAIL {
        return Err(e("email.too_long"));
    }
    if is_valid_email(t) {
        Ok(Some(t.to_owned()))
    } else {
        Err(e("email.format"))
    }
}

fn is_valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{}~.-".contains(c));
    if !local_ok {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || domain.len() > 253 {
        return false;
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
    labels.iter().all(|l| label_ok(l)) && tld_ok
}

/// Collects every field's result into an address or the full error list.
fn collect(input: &BillingInput, need: Needs) -> Result<BillingAddress, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let mut keep = |r: Result<Option<String>, ValidationError>| match r {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let address = BillingAddress {
        first_name: keep(validate_first_name(&input.first_name, need.name)),
        last_name: keep(validate_last_name(&input.last_name, need.name)),
        company: keep(validate_company(&input.company)),
        address: keep(validate_address(&input.address, need.address)),
        city: keep(validate_city(&input.city, need.city)),
        state: keep(validate_state(
            &input.state,
            need.state && is_us_country(&input.country),
        )),
        zip: keep(validate_zip(&input.zip, &input.country, need.zip)),
        country: keep(validate_country(&input.country, false)),
        phone: keep(validate_phone(&input.phone, false)),
        email: keep(validate_email(&input.email, false)),
    };
    if errors.is_empty() {
        Ok(address)
    } else {
        Err(errors)
    }
}

#[derive(Clone, Copy)]
struct Needs {
    name: bool,
    address: bool,
    city: bool,
    state: bool,
    zip: bool,
}

/// Validates the billing fields under the merchant's AVS requirements. Optional
/// fields are still checked when filled in. Returns every field error.
pub fn validate_billing(
    input: &BillingInput,
    req: &AddressRequirements,
) -> Result<BillingAddress, Vec<ValidationError>> {
    collect(
        input,
        Needs {
            name: req.require_name,
            address: req.require_address,
            city: false,
            state: false,
            zip: req.require_zip,
        },
    )
}

/// Validates a shipping address: first and last name, street address, city and
/// ZIP are required, and the state too when the country is US. Phone and email
/// are optional (checked when present).
pub fn validate_shipping(input: &BillingInput) -> Result<BillingAddress, Vec<ValidationError>> {
    collect(
        input,
        Needs {
            name: true,
            address: true,
            city: true,
            state: true,
            zip: true,
        },
    )
}

/// The first error for one field (e.g. when the shopper leaves it), under the
/// same rules as [`validate_billing`].
pub fn billing_field_error(
    input: &BillingInput,
    req: &AddressRequirements,
    field: Field,
) -> Option<ValidationError> {
    validate_billing(input, req)
        .err()?
        .into_iter()
        .find(|e| e.field == field)
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser, the same tests run under wasm-bindgen-test.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn codes_of(r: Result<BillingAddress, Vec<ValidationError>>) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    fn full() -> BillingInput {
        BillingInput {
            first_name: "Zoë".into(),
            last_name: "O’Brien-Smith".into(),
            company: "Acme & Sons, Inc.".into(),
            address: "123 Main St. #4".into(),
            city: "St. John's".into(),
            state: "WA".into(),
            zip: "98004".into(),
            country: "USA".into(),
            phone: "+1 (425) 555-0100".into(),
            email: "zoe.obrien+shop@example.co.uk".into(),
        }
    }

    #[test]
    fn full_address_validates_and_trims() {
        let mut input = full();
        input.city = "  Bellevue ".into();
        let all = AddressRequirements {
            require_address: true,
            require_zip: true,
            require_name: true,
        };
        let Ok(a) = validate_billing(&input, &all) else {
            unreachable!("valid address")
        };
        assert_eq!(a.city.as_deref(), Some("Bellevue"));
        assert_eq!(a.first_name.as_deref(), Some("Zoë"));
        assert!(a.is_us());
    }

    #[test]
    fn empty_is_fine_when_nothing_required_and_none_values() {
        let a = validate_billing(&BillingInput::default(), &AddressRequirements::default());
        assert_eq!(a, Ok(BillingAddress::default()));
    }

    #[test]
    fn requirements_report_every_missing_field() {
        let req = AddressRequirements {
            require_address: true,
            require_zip: true,
            require_name: true,
        };
        assert_eq!(
            codes_of(validate_billing(&BillingInput::default(), &req)),
            [
                "first_name.required",
                "last_name.required",
                "address.required",
                "zip.required"
            ]
        );
    }

    #[test]
    fn limits_are_the_aim_guides() {
        type Setter = fn(&mut BillingInput, String);
        let cases: &[(Setter, usize, &str)] = &[
            (|i, v| i.first_name = v, 50, "first_name.too_long"),
            (|i, v| i.last_name = v, 50, "last_name.too_long"),
            (|i, v| i.company = v, 50, "company.too_long"),
            (|i, v| i.address = v, 60, "address.too_long"),
            (|i, v| i.city = v, 40, "city.too_long"),
            (|i, v| i.state = v, 40, "state.too_long"),
            (|i, v| i.country = v, 60, "country.too_long"),
        ];
        for (set, max, code) in cases {
            let mut ok = BillingInput::default();
            set(&mut ok, "é".repeat(*max));
            ok.country = if *code == "country.too_long" {
                "é".repeat(*max)
            } else {
                String::new()
            };
            assert!(
                validate_billing(&ok, &AddressRequirements::default()).is_ok(),
                "{code} at max"
            );
            let mut long = BillingInput::default();
            set(&mut long, "a".repeat(max + 1));
            assert_eq!(
                codes_of(validate_billing(&long, &AddressRequirements::default())),
                [*code]
            );
        }
        let non_us_zip = |z: &str| validate_zip(z, "Canada", true).map_err(|e| e.code);
        assert_eq!(non_us_zip(&"A".repeat(20)), Ok(Some("A".repeat(20))));
        assert_eq!(non_us_zip(&"A".repeat(21)), Err("zip.too_long"));
        assert_eq!(
            validate_phone(&"1".repeat(26), false).map_err(|e| e.code),
            Err("phone.too_long")
        );
        let long_email = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            validate_email(&long_email, false).map_err(|e| e.code),
            Err("email.too_long")
        );
    }

    #[test]
    fn symbols_are_rejected() {
        assert_eq!(
            validate_first_name("Bob|", false).map_err(|e| e.code),
            Err("first_name.characters")
        );
        assert_eq!(
            validate_first_name("B0b", false).map_err(|e| e.code),
            Err("first_name.characters")
        );
        assert_eq!(
            validate_last_name("<script>", false).map_err(|e| e.code),
            Err("last_name.characters")
        );
        assert_eq!(
            validate_address("1 Main\nSt", false).map_err(|e| e.code),
            Err("address.characters")
        );
        assert_eq!(
            validate_city("Paris;", false).map_err(|e| e.code),
            Err("city.characters")
        );
        assert_eq!(
            validate_company("A=B",).map_err(|e| e.code),
            Err("company.characters")
        );
        assert_eq!(
            validate_country("U$A", false).map_err(|e| e.code),
            Err("country.characters")
        );
        assert_eq!(
            validate_state("W@", false).map_err(|e| e.code),
            Err("state.characters")
        );
        // Letters of any script are fine.
        assert!(validate_first_name("José", true).is_ok());
        assert!(validate_last_name("Nguyễn", true).is_ok());
        assert!(validate_city("München", true).is_ok());
        assert!(validate_first_name("Jose\u{301}", true).is_ok());
        assert!(validate_last_name("山田", true).is_ok());
    }

    #[test]
    fn us_zip_rule() {
        let z = |zip: &str, country: &str| validate_zip(zip, country, true).map_err(|e| e.code);
        assert_eq!(z("46282", "US"), Ok(Some("46282".into())));
        assert_eq!(z("46282-1234", "us"), Ok(Some("46282-1234".into())));
        assert_eq!(
            z("462821234", "United States"),
            Ok(Some("46282-1234".into()))
        );
        assert_eq!(z("46282", ""), Ok(Some("46282".into())));
        assert_eq!(z("4628", "US"), Err("zip.format"));
        assert_eq!(z("462822", "USA"), Err("zip.format"));
        assert_eq!(z("46282-123", "US"), Err("zip.format"));
        assert_eq!(z("ABCDE", "US"), Err("zip.format"));
        assert_eq!(z("K1A 0B6", ""), Err("zip.format"));
        assert_eq!(z("K1A 0B6", "Canada"), Ok(Some("K1A 0B6".into())));
        assert_eq!(z("SW1A 1AA", "GB"), Ok(Some("SW1A 1AA".into())));
        assert_eq!(z("K1A_0B6", "Canada"), Err("zip.characters"));
        assert_eq!(z("", "US"), Err("zip.required"));
        assert_eq!(validate_zip("", "US", false), Ok(None));
    }

    #[test]
    fn phone_rules() {
        let p = |s: &str| validate_phone(s, true).map_err(|e| e.code);
        assert_eq!(p("(123)123-1234"), Ok(Some("(123)123-1234".into())));
        assert_eq!(p("+44 20 7946 0958"), Ok(Some("+44 20 7946 0958".into())));
        assert_eq!(p("555-01"), Err("phone.format"));
        assert_eq!(p("1234567890123456"), Err("phone.format"));
        assert_eq!(p("555-CALL-NOW"), Err("phone.characters"));
        assert_eq!(p(""), Err("phone.required"));
    }

    #[test]
    fn email_rules() {
        let ok = |s: &str| validate_email(s, true).is_ok();
        assert!(ok("janedoe@customer.com"));
        assert!(ok("a.b-c+d@sub.example.travel"));
        assert!(ok(" jane@example.com "));
        for bad in [
            "jane",
            "jane@",
            "@example.com",
            "jane@example",
            "jane@@example.com",
            "jane@example..com",
            ".jane@example.com",
            "jane.@example.com",
            "ja..ne@example.com",
            "jane doe@example.com",
            "jane|x@example.com",
            "jane@-example.com",
            "jane@example.c0m",
            "jane@example.c",
            "jané@example.com",
            "jane@exa_mple.com",
        ] {
            assert!(!ok(bad), "{bad:?}");
        }
        assert_eq!(
            validate_email("", true).map_err(|e| e.code),
            Err("email.required")
        );
        assert_eq!(
            validate_email("x", false).map_err(|e| e.code),
            Err("email.format")
        );
    }

    #[test]
    fn shipping_requires_a_deliverable_address() {
        assert_eq!(
            codes_of(validate_shipping(&BillingInput::default())),
            [
                "first_name.required",
                "last_name.required",
                "address.required",
                "city.required",
                "state.required",
                "zip.required"
            ]
        );
        let mut abroad = full();
        abroad.country = "France".into();
        abroad.state.clear();
        abroad.zip = "75001".into();
        assert!(validate_shipping(&abroad).is_ok());
        assert!(validate_shipping(&full()).is_ok());
    }

    #[test]
    fn field_error_for_blur() {
        let mut input = full();
        input.zip = "123".into();
        let e = billing_field_error(&input, &AddressRequirements::default(), Field::Zip);
        assert_eq!(e.map(|e| e.code), Some("zip.format"));
        let none = billing_field_error(&input, &AddressRequirements::default(), Field::City);
        assert_eq!(none, None);
    }
}
