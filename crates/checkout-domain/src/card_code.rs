//! Card security codes (CVV2 / CVC2 / CID).
//!
//! 4 digits for American Express, 3 for every other brand; with no brand known
//! yet, 3 or 4. The code is card data: `Debug`/`Display` print `***`, and there
//! is no `Serialize`.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::card::Brand;
use crate::error::{Field, ValidationError};
use crate::state::FieldState;

/// The longest card code of any brand; the widget's field keeps this many digits.
pub const MAX_CARD_CODE_LEN: usize = 4;

/// Merchant setting: must the shopper enter the card code?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardCodePolicy {
    #[default]
    Required,
    Optional,
}

/// A card code of the right length for its brand. Redacted in `Debug`/`Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct CardCode(String);

fn err(code: &'static str) -> ValidationError {
    ValidationError::new(Field::CardCode, code)
}

fn length_ok(len: usize, brand: Option<Brand>) -> bool {
    match brand {
        Some(b) => len == b.card_code_len(),
        None => len == 3 || len == 4,
    }
}

impl CardCode {
    /// Parses the card code for `brand` (`None`: 3 or 4 digits). Surrounding
    /// whitespace is ignored; anything but ASCII digits is `card_code.format`.
    pub fn parse(input: &str, brand: Option<Brand>) -> Result<CardCode, ValidationError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(err("card_code.required"));
        }
        if !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("card_code.format"));
        }
        if !length_ok(t.len(), brand) {
            return Err(err("card_code.length"));
        }
        Ok(CardCode(t.to_owned()))
    }

    /// The digits, for the gateway request only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardCode(***)")
    }
}

impl fmt::Display for CardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Validates the card code under the merchant's policy: an empty optional code
/// is `Ok(None)`; a non-empty one must be valid even when optional (sending a
/// wrong code would only earn a decline).
pub fn validate_card_code(
    input: &str,
    brand: Option<Brand>,
    policy: CardCodePolicy,
) -> Result<Option<CardCode>, ValidationError> {
    if input.trim().is_empty() && policy == CardCodePolicy::Optional {
        return Ok(None);
    }
    CardCode::parse(input, brand).map(Some)
}

/// State of the card code field as typed, for the brand detected so far.
/// Re-run it when the brand changes (e.g. 4 digits typed, then the number turns
/// out not to be Amex → `card_code.length`).
pub fn check_card_code_input(input: &str, brand: Option<Brand>) -> FieldState<CardCode> {
    let t = input.trim();
    if t.is_empty() {
        return FieldState::Empty;
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return FieldState::Invalid(err("card_code.format"));
    }
    let wanted_max = brand.map_or(MAX_CARD_CODE_LEN, |b| b.card_code_len());
    match CardCode::parse(t, brand) {
        Ok(c) => FieldState::Valid(c),
        Err(_) if t.len() < wanted_max => FieldState::Incomplete,
        Err(e) => FieldState::Invalid(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser, the same tests run under wasm-bindgen-test.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn code(input: &str, brand: Option<Brand>) -> &'static str {
        match CardCode::parse(input, brand) {
            Ok(_) => "ok",
            Err(e) => e.code,
        }
    }

    #[test]
    fn length_by_brand() {
        assert_eq!(code("123", Some(Brand::Visa)), "ok");
        assert_eq!(code("1234", Some(Brand::Visa)), "card_code.length");
        assert_eq!(code("1234", Some(Brand::Amex)), "ok");
        assert_eq!(code("123", Some(Brand::Amex)), "card_code.length");
        assert_eq!(code("123", None), "ok");
        assert_eq!(code("1234", None), "ok");
        assert_eq!(code("12", None), "card_code.length");
        assert_eq!(code("12345", None), "card_code.length");
        assert_eq!(code(" 123 ", Some(Brand::Discover)), "ok");
    }

    #[test]
    fn required_and_format() {
        assert_eq!(code("", Some(Brand::Visa)), "card_code.required");
        assert_eq!(code("  ", None), "card_code.required");
        assert_eq!(code("12a", None), "card_code.format");
        assert_eq!(code("1 23", None), "card_code.format");
        assert_eq!(code("١٢٣", None), "card_code.format");
        let e = CardCode::parse("x", None).err().map(|e| e.field);
        assert_eq!(e, Some(Field::CardCode));
    }

    #[test]
    fn policy() {
        let v = |i: &str, p| validate_card_code(i, Some(Brand::Visa), p).map(|c| c.is_some());
        assert_eq!(v("", CardCodePolicy::Optional), Ok(false));
        assert_eq!(v("123", CardCodePolicy::Optional), Ok(true));
        assert!(v("12", CardCodePolicy::Optional).is_err());
        assert_eq!(
            v("", CardCodePolicy::Required).map_err(|e| e.code),
            Err("card_code.required")
        );
        assert_eq!(v("123", CardCodePolicy::Required), Ok(true));
    }

    #[test]
    fn typing_states_follow_the_brand() {
        assert_eq!(check_card_code_input("", None), FieldState::Empty);
        assert_eq!(
            check_card_code_input("12", Some(Brand::Visa)),
            FieldState::Incomplete
        );
        assert!(check_card_code_input("123", Some(Brand::Visa)).is_valid());
        assert_eq!(
            check_card_code_input("123", Some(Brand::Amex)),
            FieldState::Incomplete
        );
        assert!(check_card_code_input("1234", Some(Brand::Amex)).is_valid());
        assert_eq!(
            check_card_code_input("1234", Some(Brand::Visa))
                .error()
                .map(|e| e.code),
            Some("card_code.length")
        );
        assert!(check_card_code_input("123", None).is_valid());
        assert_eq!(
            check_card_code_input("1a", None).error().map(|e| e.code),
            Some("card_code.format")
        );
    }

    #[test]
    fn redacted() {
        let Ok(c) = CardCode::parse("987", None) else {
            unreachable!("valid code")
        };
        assert_eq!(c.expose(), "987");
        assert_eq!(format!("{c:?}"), "CardCode(***)");
        assert_eq!(format!("{c}"), "***");
    }
}
