//! [`Amount`]: a USD amount with exactly two decimal places.
//!
//! Rules (chosen to reject anything ambiguous; a money field is no place for guessing):
//! - Parsed from strings only, in the form `D+` or `D+.D` or `D+.DD`:
//!   `"12"`, `"12.3"`, `"12.30"`, `"0.50"` are accepted.
//! - Rejected with `amount.format`: surrounding or inner whitespace, signs (`"+1"`),
//!   exponents (`"1e3"`), `"NaN"`, thousands separators (`"1,000"`), currency
//!   symbols, a bare point on either side (`"12."`, `".5"`), and redundant
//!   leading zeros (`"012"`, `"00.5"`; `"0"` and `"0.5"` are fine).
//! - `"-1"` is rejected with `amount.negative` (clearer than "format").
//! - More than two decimals (`"12.345"`, even `"12.300"`) → `amount.precision`.
//! - Upper limit [`Amount::MAX`] = 99 999 999.99 (`amount.too_large`). AIM allows
//!   "up to 15 digits"; ten significant digits keep every sum of a few amounts far
//!   inside that and far inside what any merchant charges on a card.
//! - [`Amount::parse_positive`] for charges (> 0.00, `amount.not_positive`),
//!   [`Amount::parse_non_negative`] for tax / freight / duty (≥ 0.00).
//!
//! The scale is always normalised to 2, so `Display` gives `"12.30"`, and equal
//! amounts are equal as values and as text. Serde uses the same string form
//! (`"12.30"`); deserializing validates with the non-negative rules, so code that
//! needs a charge amount checks [`Amount::is_positive`] (or parses with
//! [`Amount::parse_positive`]).

use core::fmt;
use core::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Field, ValidationError};

/// A non-negative USD amount, scale 2, at most [`Amount::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Decimal);

/// Largest accepted integer part has this many digits.
const MAX_INT_DIGITS: usize = 8;

impl Amount {
    /// 0.00
    pub const ZERO: Amount = Amount(Decimal::from_parts(0, 0, 0, false, 2));
    /// 99 999 999.99 (9 999 999 999 cents = 0x2_540B_E3FF).
    pub const MAX: Amount = Amount(Decimal::from_parts(0x540B_E3FF, 0x2, 0, false, 2));

    /// Parses a charge amount: must be greater than 0.00.
    pub fn parse_positive(input: &str) -> Result<Amount, ValidationError> {
        Self::parse_positive_for(Field::Amount, input)
    }

    /// Parses an amount that may be 0.00 (tax, freight, duty).
    pub fn parse_non_negative(input: &str) -> Result<Amount, ValidationError> {
        Self::parse_non_negative_for(Field::Amount, input)
    }

    /// As [`Amount::parse_positive`], reporting errors against `field`.
    pub fn parse_positive_for(field: Field, input: &str) -> Result<Amount, ValidationError> {
        let amount = Self::parse_non_negative_for(field, input)?;
        if amount.is_positive() {
            Ok(amount)
        } else {
            Err(ValidationError::new(field, "amount.not_positive"))
        }
    }

    /// As [`Amount::parse_non_negative`], reporting errors against `field`
    /// (e.g. [`Field::Tax`]).
    pub fn parse_non_negative_for(field: Field, input: &str) -> Result<Amount, ValidationError> {
        let err = |code| ValidationError::new(field, code);
        if input.is_empty() {
            return Err(err("amount.required"));
        }
        let (negative, body) = match input.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, input),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
            return Err(err("amount.format"));
        }
        if int_part.len() > 1 && int_part.starts_with('0') {
            return Err(err("amount.format"));
        }
        if negative {
            // "-0" and "-0.00" are still a sign on a money field: reject all.
            return Err(err("amount.negative"));
        }
        let frac = frac_part.unwrap_or("");
        if frac.len() > 2 {
            return Err(err("amount.precision"));
        }
        if int_part.len() > MAX_INT_DIGITS {
            return Err(err("amount.too_large"));
        }
        // At most 8 + 2 digits: fits an i64 without any chance of overflow.
        let mut cents: i64 = 0;
        for b in int_part.bytes() {
            cents = cents * 10 + i64::from(b - b'0');
        }
        let mut frac_bytes = frac.bytes();
        for _ in 0..2 {
            let d = frac_bytes.next().map_or(0, |b| i64::from(b - b'0'));
            cents = cents * 10 + d;
        }
        Ok(Amount(Decimal::new(cents, 2)))
    }

    /// Validates a `Decimal` computed elsewhere: non-negative, at most two
    /// significant decimals, at most [`Amount::MAX`]. The scale is normalised to 2.
    pub fn from_decimal(value: Decimal) -> Result<Amount, ValidationError> {
        Self::from_decimal_for(Field::Amount, value)
    }

    /// As [`Amount::from_decimal`], reporting errors against `field`.
    pub fn from_decimal_for(field: Field, value: Decimal) -> Result<Amount, ValidationError> {
        let err = |code| ValidationError::new(field, code);
        if value.is_sign_negative() && !value.is_zero() {
            return Err(err("amount.negative"));
        }
        if value.round_dp(2) != value {
            return Err(err("amount.precision"));
        }
        if value > Self::MAX.0 {
            return Err(err("amount.too_large"));
        }
        let mut v = value.abs();
        v.rescale(2);
        Ok(Amount(v))
    }

    /// The value as a `Decimal` with scale 2.
    pub fn value(&self) -> Decimal {
        self.0
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn is_positive(&self) -> bool {
        !self.0.is_zero()
    }

    /// The amount in cents (exact; at most 9 999 999 999).
    pub fn cents(&self) -> i64 {
        // Scale is always 2 and the value at most MAX, so the mantissa is the cent count.
        i64::try_from(self.0.mantissa()).unwrap_or(i64::MAX)
    }

    /// Sum, or `None` if it would exceed [`Amount::MAX`].
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        let sum = self.0.checked_add(other.0)?;
        Amount::from_decimal(sum).ok()
    }

    /// Difference, or `None` if it would be negative.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        let diff = self.0.checked_sub(other.0)?;
        Amount::from_decimal(diff).ok()
    }
}

impl Default for Amount {
    fn default() -> Self {
        Amount::ZERO
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Scale is 2, so Decimal's Display prints exactly two decimals.
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Amount {
    type Err = ValidationError;
    /// Non-negative rules (see the module docs).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Amount::parse_non_negative(s)
    }
}

impl TryFrom<Decimal> for Amount {
    type Error = ValidationError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Amount::from_decimal(value)
    }
}

impl From<Amount> for Decimal {
    fn from(a: Amount) -> Decimal {
        a.0
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a string, like \"12.30\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                Amount::parse_non_negative(v).map_err(|e| E::custom(e.code))
            }
        }
        deserializer.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser, the same tests run under wasm-bindgen-test.
    use rust_decimal_macros::dec;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn code(r: Result<Amount, ValidationError>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(e) => e.code,
        }
    }

    #[test]
    fn accepts_plain_amounts_and_normalises_scale() {
        for (input, shown) in [
            ("12", "12.00"),
            ("12.3", "12.30"),
            ("12.30", "12.30"),
            ("0.5", "0.50"),
            ("0.01", "0.01"),
            ("99999999.99", "99999999.99"),
            ("100", "100.00"),
        ] {
            let a = Amount::parse_positive(input);
            assert_eq!(
                a.as_ref().map(|a| a.to_string()).ok(),
                Some(shown.into()),
                "{input}"
            );
        }
        assert_eq!(
            Amount::parse_positive("12.3").map(|a| a.value()),
            Ok(dec!(12.30))
        );
        assert_eq!(Amount::parse_positive("12.3").map(|a| a.cents()), Ok(1230));
    }

    #[test]
    fn rejects_ambiguous_forms() {
        for input in [
            " 12", "12 ", "1 2", "+1", "1e3", "NaN", "inf", "12.", ".5", "1,000", "$5", "012",
            "00.5", "1.2.3", "١٢", "0x10", "12,30", ".", "-",
        ] {
            assert_eq!(
                code(Amount::parse_non_negative(input)),
                "amount.format",
                "{input:?}"
            );
        }
        assert_eq!(code(Amount::parse_positive("")), "amount.required");
        assert_eq!(code(Amount::parse_positive("-1")), "amount.negative");
        assert_eq!(code(Amount::parse_non_negative("-0.00")), "amount.negative");
        assert_eq!(code(Amount::parse_positive("12.345")), "amount.precision");
        assert_eq!(code(Amount::parse_positive("12.300")), "amount.precision");
        assert_eq!(
            code(Amount::parse_positive("100000000")),
            "amount.too_large"
        );
        assert_eq!(
            code(Amount::parse_positive("100000000.00")),
            "amount.too_large"
        );
    }

    #[test]
    fn positive_versus_non_negative() {
        assert_eq!(code(Amount::parse_positive("0")), "amount.not_positive");
        assert_eq!(code(Amount::parse_positive("0.00")), "amount.not_positive");
        assert_eq!(Amount::parse_non_negative("0"), Ok(Amount::ZERO));
        let tax = Amount::parse_non_negative_for(Field::Tax, "x");
        assert_eq!(tax.map_err(|e| e.field), Err(Field::Tax));
    }

    #[test]
    fn from_decimal_checks_and_normalises() {
        assert_eq!(
            Amount::from_decimal(dec!(1.5)).map(|a| a.to_string()),
            Ok("1.50".into())
        );
        assert_eq!(
            Amount::from_decimal(dec!(1.500)).map(|a| a.to_string()),
            Ok("1.50".into())
        );
        assert_eq!(code(Amount::from_decimal(dec!(1.505))), "amount.precision");
        assert_eq!(code(Amount::from_decimal(dec!(-0.01))), "amount.negative");
        assert_eq!(Amount::from_decimal(dec!(-0.00)), Ok(Amount::ZERO));
        assert_eq!(
            code(Amount::from_decimal(dec!(100000000))),
            "amount.too_large"
        );
        assert_eq!(Amount::from_decimal(dec!(99999999.99)), Ok(Amount::MAX));
    }

    #[test]
    fn constants() {
        assert_eq!(Amount::ZERO.to_string(), "0.00");
        assert_eq!(Amount::MAX.to_string(), "99999999.99");
        assert_eq!(Amount::MAX.cents(), 9_999_999_999);
        assert_eq!(Amount::default(), Amount::ZERO);
    }

    #[test]
    fn arithmetic_stays_in_range() {
        let a = Amount::parse_positive("10.10").ok();
        let b = Amount::parse_positive("0.90").ok();
        let (Some(a), Some(b)) = (a, b) else {
            unreachable!("test amounts parse")
        };
        assert_eq!(
            a.checked_add(b).map(|x| x.to_string()),
            Some("11.00".into())
        );
        assert_eq!(a.checked_sub(b).map(|x| x.to_string()), Some("9.20".into()));
        assert_eq!(b.checked_sub(a), None);
        assert_eq!(Amount::MAX.checked_add(b), None);
        assert_eq!(a.checked_sub(a), Some(Amount::ZERO));
        assert!(b < a);
    }

    #[test]
    fn serde_is_a_validated_string() {
        use serde::de::IntoDeserializer;
        type E = serde::de::value::Error;
        let ok: Result<Amount, E> = Amount::deserialize("12.3".into_deserializer());
        assert_eq!(ok.map(|a| a.to_string()), Ok("12.30".into()));
        let bad: Result<Amount, E> = Amount::deserialize("12.345".into_deserializer());
        assert!(bad.is_err());
        let num: Result<Amount, E> = Amount::deserialize(12u32.into_deserializer());
        assert!(num.is_err(), "numbers are not accepted, only strings");
    }
}
