//! Card numbers: brand detection, Luhn, per-brand lengths, typing states and
//! as-you-type formatting.
//!
//! # Brand table
//! Brands are identified from [`IIN_TABLE`], a static slice of prefix ranges.
//! When several entries match, the **longest prefix wins** (the most specific
//! entry); this is how deliberate overlaps are resolved:
//! - Discover's UnionPay co-brand range `622126`–`622925` (6 digits) beats
//!   UnionPay's `62` (2 digits). So the sandbox's `6221499053360818` is Discover;
//!   it validates either way (both brands take 16 digits).
//! - JCB's extra ranges (`3088`–`3094`, `3096`–`3102`, `3112`–`3120`,
//!   `3158`–`3159`, `3337`–`3349`, from active_merchant) make the sandbox JCB
//!   card `3088000000000017` a JCB; `3095` is Diners.
//! - Maestro takes only its specific prefixes (`50`, `56`–`58`, `6304`, `6390`,
//!   `6759`, `6761`–`6763`, `676770`, `676774`), never a catch-all `6`.
//!
//! No two entries of the same prefix length overlap (a unit test checks it), so
//! "longest match" is always unique.
//!
//! [`detect_brand`] follows the digits typed so far: it returns a brand as soon
//! as a full table prefix has been typed, even if the number is incomplete or
//! fails Luhn. Numbers whose prefix can match no entry are rejected as
//! `card_number.unsupported` (Authorize.Net could not process them either), so a
//! [`CardNumberState::Valid`] always carries `Some(brand)`.
//!
//! # Lengths
//! Per brand, see [`Brand::valid_lengths`]; any card is at most [`MAX_DIGITS`] = 19.
//! AIM (and CIM) accept 13–16 digits: [`CardNumber::parse`] accepts every
//! brand-valid number, and the relay checks [`aim_accepts`] / [`check_aim`]
//! (`card_number.unsupported_length`) before sending. [`crate::form::validate_card_form`]
//! does that check by default, so widget and relay agree.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Field, ValidationError};

/// The longest card number of any brand.
pub const MAX_DIGITS: usize = 19;
/// The longest card number AIM accepts.
pub const AIM_MAX_DIGITS: usize = 16;
/// The shortest card number AIM accepts.
pub const AIM_MIN_DIGITS: usize = 13;

/// Card networks we recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Brand {
    Visa,
    Mastercard,
    Amex,
    Discover,
    Jcb,
    Diners,
    UnionPay,
    Maestro,
}

impl Brand {
    pub const ALL: [Brand; 8] = [
        Brand::Visa,
        Brand::Mastercard,
        Brand::Amex,
        Brand::Discover,
        Brand::Jcb,
        Brand::Diners,
        Brand::UnionPay,
        Brand::Maestro,
    ];

    /// Stable lowercase id; also the serde form and the widget's `data-brand` value.
    pub fn as_str(&self) -> &'static str {
        match self {
            Brand::Visa => "visa",
            Brand::Mastercard => "mastercard",
            Brand::Amex => "amex",
            Brand::Discover => "discover",
            Brand::Jcb => "jcb",
            Brand::Diners => "diners",
            Brand::UnionPay => "unionpay",
            Brand::Maestro => "maestro",
        }
    }

    /// Name to show a shopper.
    pub fn display_name(&self) -> &'static str {
        match self {
            Brand::Visa => "Visa",
            Brand::Mastercard => "Mastercard",
            Brand::Amex => "American Express",
            Brand::Discover => "Discover",
            Brand::Jcb => "JCB",
            Brand::Diners => "Diners Club",
            Brand::UnionPay => "UnionPay",
            Brand::Maestro => "Maestro",
        }
    }

    /// The card type string AIM puts in response position 52 (and CIM in `cardType`).
    pub fn aim_card_type(&self) -> &'static str {
        match self {
            Brand::Visa => "Visa",
            Brand::Mastercard => "MasterCard",
            Brand::Amex => "American Express",
            Brand::Discover => "Discover",
            Brand::Jcb => "JCB",
            Brand::Diners => "Diners Club",
            Brand::UnionPay => "China UnionPay",
            Brand::Maestro => "Maestro",
        }
    }

    /// 4 for American Express, 3 for every other brand.
    pub fn card_code_len(&self) -> usize {
        match self {
            Brand::Amex => 4,
            _ => 3,
        }
    }

    /// Number lengths the brand issues.
    pub fn valid_lengths(&self) -> &'static [usize] {
        match self {
            Brand::Visa => &[13, 16, 19],
            Brand::Mastercard => &[16],
            Brand::Amex => &[15],
            Brand::Discover => &[16, 17, 18, 19],
            Brand::Jcb => &[16, 17, 18, 19],
            Brand::Diners => &[14, 15, 16, 17, 18, 19],
            Brand::UnionPay => &[16, 17, 18, 19],
            Brand::Maestro => &[12, 13, 14, 15, 16, 17, 18, 19],
        }
    }

    /// The longest valid length.
    pub fn max_len(&self) -> usize {
        self.valid_lengths()
            .iter()
            .copied()
            .max()
            .unwrap_or(MAX_DIGITS)
    }

    /// Digit group sizes used to display a number of `len` digits.
    pub fn groups(&self, len: usize) -> &'static [usize] {
        match self {
            Brand::Amex => &[4, 6, 5],
            Brand::Diners if len <= 14 => &[4, 6, 4],
            _ => &DEFAULT_GROUPS,
        }
    }

    /// Parses the id (`"visa"`), the display name (`"American Express"`) or the AIM
    /// card type (`"MasterCard"`), case-insensitively.
    pub fn from_str_opt(s: &str) -> Option<Brand> {
        let s = s.trim();
        Brand::ALL.into_iter().find(|b| {
            s.eq_ignore_ascii_case(b.as_str())
                || s.eq_ignore_ascii_case(b.display_name())
                || s.eq_ignore_ascii_case(b.aim_card_type())
        })
    }
}

impl fmt::Display for Brand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 4-4-4-4-3: the grouping for every brand without its own.
const DEFAULT_GROUPS: [usize; 5] = [4, 4, 4, 4, 3];

/// One IIN table row: numbers whose first `len` digits, read as an integer, lie
/// in `lo..=hi` belong to `brand`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IinRange {
    pub len: u8,
    pub lo: u32,
    pub hi: u32,
    pub brand: Brand,
}

const fn r(len: u8, lo: u32, hi: u32, brand: Brand) -> IinRange {
    IinRange { len, lo, hi, brand }
}

/// The brand table. Longest matching prefix wins (see the module docs).
pub static IIN_TABLE: &[IinRange] = &[
    r(1, 4, 4, Brand::Visa),
    r(2, 51, 55, Brand::Mastercard),
    r(4, 2221, 2720, Brand::Mastercard),
    r(2, 34, 34, Brand::Amex),
    r(2, 37, 37, Brand::Amex),
    r(4, 6011, 6011, Brand::Discover),
    r(3, 644, 649, Brand::Discover),
    r(2, 65, 65, Brand::Discover),
    r(6, 622126, 622925, Brand::Discover),
    r(4, 3528, 3589, Brand::Jcb),
    r(4, 3088, 3094, Brand::Jcb),
    r(4, 3096, 3102, Brand::Jcb),
    r(4, 3112, 3120, Brand::Jcb),
    r(4, 3158, 3159, Brand::Jcb),
    r(4, 3337, 3349, Brand::Jcb),
    r(3, 300, 305, Brand::Diners),
    r(4, 3095, 3095, Brand::Diners),
    r(2, 36, 36, Brand::Diners),
    r(2, 38, 39, Brand::Diners),
    r(2, 62, 62, Brand::UnionPay),
    r(2, 81, 81, Brand::UnionPay),
    r(2, 50, 50, Brand::Maestro),
    r(2, 56, 58, Brand::Maestro),
    r(4, 6304, 6304, Brand::Maestro),
    r(4, 6390, 6390, Brand::Maestro),
    r(4, 6759, 6759, Brand::Maestro),
    r(4, 6761, 6763, Brand::Maestro),
    r(6, 676770, 676770, Brand::Maestro),
    r(6, 676774, 676774, Brand::Maestro),
];

/// The first `n` (≤ 6) digits of `digits` as an integer.
fn prefix_value(digits: &[u8], n: usize) -> u32 {
    digits[..n]
        .iter()
        .fold(0u32, |acc, d| acc * 10 + u32::from(*d))
}

/// Longest table entry whose full prefix has been typed.
fn best_match(digits: &[u8]) -> Option<&'static IinRange> {
    IIN_TABLE
        .iter()
        .filter(|e| {
            let n = usize::from(e.len);
            digits.len() >= n && (e.lo..=e.hi).contains(&prefix_value(digits, n))
        })
        .max_by_key(|e| e.len)
}

/// Whether typing more digits after `digits` could still reach some table entry.
fn could_match_any(digits: &[u8]) -> bool {
    IIN_TABLE.iter().any(|e| {
        let n = usize::from(e.len);
        if digits.len() >= n {
            (e.lo..=e.hi).contains(&prefix_value(digits, n))
        } else {
            // All n-digit prefixes that start with what was typed.
            let scale = 10u32.pow((n - digits.len()) as u32);
            let lo = prefix_value(digits, digits.len()) * scale;
            let hi = lo + scale - 1;
            lo <= e.hi && e.lo <= hi
        }
    })
}

/// Digits typed so far, ignoring spaces and dashes (other characters too: the
/// brand follows the digits whatever else is in the field). At most the first
/// six digits matter.
fn leading_digits(input: &str, max: usize) -> ([u8; MAX_DIGITS], usize) {
    let mut out = [0u8; MAX_DIGITS];
    let mut n = 0;
    for c in input.chars() {
        if n >= max.min(MAX_DIGITS) {
            break;
        }
        if c.is_ascii_digit() {
            out[n] = c as u8 - b'0';
            n += 1;
        }
    }
    (out, n)
}

/// Brand from the IIN prefix of the digits typed so far (spaces, dashes and any
/// other non-digits are skipped). `None` until a full table prefix is typed.
pub fn detect_brand(input: &str) -> Option<Brand> {
    let (digits, n) = leading_digits(input, 6);
    best_match(&digits[..n]).map(|e| e.brand)
}

/// Luhn (mod 10) check over ASCII digits.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// The digit that makes `partial + digit` pass Luhn (used by tests and fixtures).
pub fn luhn_check_digit(partial: &str) -> Option<u8> {
    (0u8..=9).find(|d| {
        let mut s = String::with_capacity(partial.len() + 1);
        s.push_str(partial);
        s.push(char::from(b'0' + d));
        luhn_valid(&s)
    })
}

/// Why a card number is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardNumberError {
    /// Nothing typed.
    Required,
    /// A character other than digits, spaces and dashes.
    BadCharacter,
    /// More than 19 digits, or more than the detected brand ever has.
    TooLong,
    /// Fails the mod-10 check at a length the brand issues.
    Luhn,
    /// A length the detected brand does not issue (e.g. a 14-digit Visa).
    WrongLengthForBrand,
    /// Shorter than any length the brand issues.
    Incomplete,
    /// The prefix matches no brand in the IIN table.
    Unsupported,
}

impl CardNumberError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            CardNumberError::Required => "card_number.required",
            CardNumberError::BadCharacter => "card_number.bad_character",
            CardNumberError::TooLong => "card_number.too_long",
            CardNumberError::Luhn => "card_number.luhn",
            CardNumberError::WrongLengthForBrand => "card_number.length",
            CardNumberError::Incomplete => "card_number.incomplete",
            CardNumberError::Unsupported => "card_number.unsupported",
        }
    }

    pub fn to_validation_error(&self) -> ValidationError {
        ValidationError::new(Field::CardNumber, self.code())
    }
}

impl From<CardNumberError> for ValidationError {
    fn from(e: CardNumberError) -> Self {
        e.to_validation_error()
    }
}

/// What a form needs to know about the card number field as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardNumberState {
    /// Nothing but separators typed.
    Empty,
    /// Could still become valid by typing more digits; never shown as an error
    /// while typing (on blur, use [`CardNumber::parse`] for the final verdict).
    Incomplete { brand: Option<Brand> },
    /// Cannot become valid by typing more.
    Invalid {
        brand: Option<Brand>,
        error: ValidationError,
    },
    /// A complete, valid number.
    Valid { brand: Option<Brand> },
}

impl CardNumberState {
    pub fn brand(&self) -> Option<Brand> {
        match self {
            CardNumberState::Empty => None,
            CardNumberState::Incomplete { brand }
            | CardNumberState::Invalid { brand, .. }
            | CardNumberState::Valid { brand } => *brand,
        }
    }

    pub fn error(&self) -> Option<&ValidationError> {
        match self {
            CardNumberState::Invalid { error, .. } => Some(error),
            _ => None,
        }
    }

    pub fn is_valid(&self) -> bool {
        matches!(self, CardNumberState::Valid { .. })
    }
}

/// Whether `c` may appear between digits of a typed card number.
fn is_separator(c: char) -> bool {
    c == ' ' || c == '-' || c == '\u{00a0}' || c == '\t'
}

/// Normalised digits, or the first structural error.
fn normalize(input: &str) -> Result<String, CardNumberError> {
    let mut digits = String::with_capacity(MAX_DIGITS);
    let mut count = 0usize;
    for c in input.chars() {
        if c.is_ascii_digit() {
            count += 1;
            if count <= MAX_DIGITS {
                digits.push(c);
            }
        } else if !is_separator(c) {
            return Err(CardNumberError::BadCharacter);
        }
    }
    if count > MAX_DIGITS {
        return Err(CardNumberError::TooLong);
    }
    Ok(digits)
}

/// Full classification shared by [`check_card_number`] and [`CardNumber::parse`].
/// `Ok(brand)` = valid; `Err((brand, error, could_continue))`.
fn classify(digits: &str) -> Result<Brand, (Option<Brand>, CardNumberError, bool)> {
    let bytes: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    let n = bytes.len();
    if n == 0 {
        return Err((None, CardNumberError::Required, true));
    }
    let Some(entry) = best_match(&bytes) else {
        let could = could_match_any(&bytes);
        let err = if could {
            CardNumberError::Incomplete
        } else {
            CardNumberError::Unsupported
        };
        return Err((None, err, could));
    };
    let brand = entry.brand;
    let lengths = brand.valid_lengths();
    let max = brand.max_len();
    let min = lengths.iter().copied().min().unwrap_or(MAX_DIGITS);
    if n > max {
        return Err((Some(brand), CardNumberError::TooLong, false));
    }
    let can_grow = n < max;
    if lengths.contains(&n) {
        if luhn_valid(digits) {
            Ok(brand)
        } else {
            Err((Some(brand), CardNumberError::Luhn, can_grow))
        }
    } else if n < min {
        Err((Some(brand), CardNumberError::Incomplete, true))
    } else {
        Err((Some(brand), CardNumberError::WrongLengthForBrand, can_grow))
    }
}

/// State of the card number field as typed: see [`CardNumberState`].
/// Never panics; at most 19 digits are ever valid.
pub fn check_card_number(input: &str) -> CardNumberState {
    let brand_as_typed = detect_brand(input);
    let digits = match normalize(input) {
        Ok(d) => d,
        Err(e) => {
            return CardNumberState::Invalid {
                brand: brand_as_typed,
                error: e.to_validation_error(),
            };
        }
    };
    if digits.is_empty() {
        return CardNumberState::Empty;
    }
    match classify(&digits) {
        Ok(brand) => CardNumberState::Valid { brand: Some(brand) },
        Err((brand, _, true)) => CardNumberState::Incomplete { brand },
        Err((brand, error, false)) => CardNumberState::Invalid {
            brand,
            error: error.to_validation_error(),
        },
    }
}

/// The final verdict on a card number (on blur, and on submit): same as
/// [`CardNumber::parse`].
pub fn validate_card_number(input: &str) -> Result<CardNumber, ValidationError> {
    CardNumber::parse(input)
}

/// A validated card number: digits only, Luhn-valid, a length its brand issues.
///
/// `Debug`/`Display` print only brand and last four (`CardNumber(visa ****1111)`);
/// there is deliberately no `Serialize`/`Deserialize`: read the digits with
/// [`CardNumber::expose_digits`] in the one place that sends them to the gateway.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber {
    digits: String,
    brand: Brand,
}

impl CardNumber {
    /// Accepts digits with spaces/dashes between them.
    pub fn parse(input: &str) -> Result<CardNumber, ValidationError> {
        Self::parse_detailed(input).map_err(|e| e.to_validation_error())
    }

    /// As [`CardNumber::parse`], with the typed error.
    pub fn parse_detailed(input: &str) -> Result<CardNumber, CardNumberError> {
        let digits = normalize(input)?;
        match classify(&digits) {
            Ok(brand) => Ok(CardNumber { digits, brand }),
            Err((_, error, _)) => Err(error),
        }
    }

    /// The full number, digits only. Send it to the gateway; never log or store it.
    pub fn expose_digits(&self) -> &str {
        &self.digits
    }

    /// Last four digits (safe to show and store).
    pub fn last4(&self) -> &str {
        let n = self.digits.len();
        self.digits.get(n.saturating_sub(4)..).unwrap_or_default()
    }

    /// Always `Some` (numbers with unknown brands are not accepted); an `Option`
    /// so callers stay correct if unknown brands are ever admitted.
    pub fn brand(&self) -> Option<Brand> {
        Some(self.brand)
    }

    pub fn len(&self) -> usize {
        self.digits.len()
    }

    /// Never true for a parsed number; present for API completeness.
    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    /// The gateway's masked form: `XXXX` + last four (`"XXXX1111"`).
    pub fn masked(&self) -> String {
        let mut s = String::with_capacity(8);
        s.push_str("XXXX");
        s.push_str(self.last4());
        s
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CardNumber({} ****{})",
            self.brand.as_str(),
            self.last4()
        )
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ****{}", self.brand.display_name(), self.last4())
    }
}

/// Whether AIM/CIM accept this number's length (13–16 digits).
pub fn aim_accepts(number: &CardNumber) -> bool {
    (AIM_MIN_DIGITS..=AIM_MAX_DIGITS).contains(&number.len())
}

/// [`aim_accepts`] as a validation result (`card_number.unsupported_length`).
pub fn check_aim(number: &CardNumber) -> Result<(), ValidationError> {
    if aim_accepts(number) {
        Ok(())
    } else {
        Err(ValidationError::new(
            Field::CardNumber,
            "card_number.unsupported_length",
        ))
    }
}

/// Reformats the card number field as typed and maps the caret through it.
///
/// - Keeps ASCII digits only, at most [`MAX_DIGITS`] (the field never caps at 16;
///   digits past 19 are dropped).
/// - Groups by the brand detected from the digits: 4-4-4-4-3 by default, Amex
///   4-6-5, Diners 4-6-4 while it has at most 14 digits. Single spaces between
///   groups, never a trailing space (so backspace deletes a digit, not a space).
/// - `caret` is a char index into `input` (clamped); the returned caret is the
///   char index in the output just after the same digit the caret followed, so
///   the cursor stays after the digit the shopper just typed.
///
/// Output is ASCII, so the returned char index is also a byte index.
pub fn format_card_number(input: &str, caret: usize) -> (String, usize) {
    let mut digits = String::with_capacity(MAX_DIGITS);
    let mut digits_before_caret = 0usize;
    for (i, c) in input.chars().enumerate() {
        if c.is_ascii_digit() && digits.len() < MAX_DIGITS {
            digits.push(c);
            if i < caret {
                digits_before_caret += 1;
            }
        }
    }
    let n = digits.len();
    let groups = detect_brand(&digits).map_or(&DEFAULT_GROUPS[..], |b| b.groups(n));
    let mut out = String::with_capacity(n + groups.len());
    let mut new_caret = 0usize;
    let mut group_idx = 0usize;
    let mut in_group = 0usize;
    for (i, c) in digits.chars().enumerate() {
        let size = groups.get(group_idx).copied().unwrap_or(usize::MAX);
        if in_group == size {
            out.push(' ');
            group_idx += 1;
            in_group = 0;
        }
        out.push(c);
        in_group += 1;
        if i + 1 == digits_before_caret {
            new_caret = out.len();
        }
    }
    (out, new_caret)
}

/// Digits of the card number field, without separators (at most 19 kept).
pub fn card_digits(input: &str) -> String {
    input
        .chars()
        .filter(char::is_ascii_digit)
        .take(MAX_DIGITS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser, the same tests run under wasm-bindgen-test.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Gateway sandbox test cards (fact sheet §4.2), with the brand we assign.
    pub(crate) const SANDBOX_CARDS: &[(&str, Brand)] = &[
        ("370000000000002", Brand::Amex),
        ("6011000000000012", Brand::Discover),
        ("3088000000000017", Brand::Jcb),
        ("38000000000006", Brand::Diners),
        ("4007000000027", Brand::Visa),
        ("4012888818888", Brand::Visa),
        ("4111111111111111", Brand::Visa),
        ("5424000000000015", Brand::Mastercard),
        ("2223000010309703", Brand::Mastercard),
        ("2223000010309711", Brand::Mastercard),
        ("6221499053360818", Brand::Discover),
        ("6262320002000067", Brand::UnionPay),
        ("6284480000000008", Brand::UnionPay),
        ("4222222222222", Brand::Visa),
    ];

    #[test]
    fn every_sandbox_test_card_validates_with_its_brand_and_is_aim_accepted() {
        for (number, brand) in SANDBOX_CARDS {
            let parsed = CardNumber::parse(number);
            assert_eq!(
                parsed.as_ref().ok().and_then(CardNumber::brand),
                Some(*brand),
                "{number}"
            );
            assert!(parsed.as_ref().is_ok_and(aim_accepts), "{number}");
            assert_eq!(
                check_card_number(number),
                CardNumberState::Valid {
                    brand: Some(*brand)
                },
                "{number}"
            );
        }
    }

    #[test]
    fn brand_follows_prefix_as_typed() {
        let cases: &[(&str, Option<Brand>)] = &[
            ("", None),
            ("4", Some(Brand::Visa)),
            ("4111 1", Some(Brand::Visa)),
            ("3", None),
            ("34", Some(Brand::Amex)),
            ("37", Some(Brand::Amex)),
            ("35", None),
            ("3528", Some(Brand::Jcb)),
            ("3589", Some(Brand::Jcb)),
            ("3088", Some(Brand::Jcb)),
            ("3095", Some(Brand::Diners)),
            ("300", Some(Brand::Diners)),
            ("305", Some(Brand::Diners)),
            ("36", Some(Brand::Diners)),
            ("38", Some(Brand::Diners)),
            ("39", Some(Brand::Diners)),
            ("5", None),
            ("51", Some(Brand::Mastercard)),
            ("55", Some(Brand::Mastercard)),
            ("50", Some(Brand::Maestro)),
            ("56", Some(Brand::Maestro)),
            ("58", Some(Brand::Maestro)),
            ("2", None),
            ("222", None),
            ("2221", Some(Brand::Mastercard)),
            ("2720", Some(Brand::Mastercard)),
            ("2721", None),
            ("2220", None),
            ("6011", Some(Brand::Discover)),
            ("601", None),
            ("644", Some(Brand::Discover)),
            ("649", Some(Brand::Discover)),
            ("65", Some(Brand::Discover)),
            ("62", Some(Brand::UnionPay)),
            ("6221", Some(Brand::UnionPay)),
            ("622125", Some(Brand::UnionPay)),
            ("622126", Some(Brand::Discover)),
            ("622925", Some(Brand::Discover)),
            ("622926", Some(Brand::UnionPay)),
            ("81", Some(Brand::UnionPay)),
            ("6304", Some(Brand::Maestro)),
            ("6759", Some(Brand::Maestro)),
            ("676770", Some(Brand::Maestro)),
            ("6", None),
            ("4-1 1", Some(Brand::Visa)),
            ("abc4", Some(Brand::Visa)),
        ];
        for (input, brand) in cases {
            assert_eq!(detect_brand(input), *brand, "{input:?}");
        }
    }

    #[test]
    fn iin_entries_of_equal_length_never_overlap() {
        for (i, a) in IIN_TABLE.iter().enumerate() {
            assert!(a.lo <= a.hi, "{a:?}");
            assert!(a.lo >= 10u32.pow(u32::from(a.len) - 1), "{a:?}");
            assert!(a.hi < 10u32.pow(u32::from(a.len)), "{a:?}");
            for b in &IIN_TABLE[i + 1..] {
                if a.len == b.len {
                    assert!(a.hi < b.lo || b.hi < a.lo, "{a:?} overlaps {b:?}");
                }
            }
        }
    }

    #[test]
    fn brand_metadata() {
        for b in Brand::ALL {
            assert_eq!(Brand::from_str_opt(b.as_str()), Some(b));
            assert_eq!(Brand::from_str_opt(b.display_name()), Some(b));
            assert_eq!(Brand::from_str_opt(&b.as_str().to_uppercase()), Some(b));
            assert!(
                b.valid_lengths()
                    .iter()
                    .all(|l| (12..=MAX_DIGITS).contains(l))
            );
        }
        assert_eq!(Brand::from_str_opt("MasterCard"), Some(Brand::Mastercard));
        assert_eq!(Brand::from_str_opt("nope"), None);
        assert_eq!(Brand::Amex.card_code_len(), 4);
        assert_eq!(Brand::Visa.card_code_len(), 3);
        assert_eq!(Brand::UnionPay.as_str(), "unionpay");
    }

    #[test]
    fn states_while_typing() {
        use CardNumberState as S;
        assert_eq!(check_card_number(""), S::Empty);
        assert_eq!(check_card_number("  - "), S::Empty);
        assert_eq!(
            check_card_number("4"),
            S::Incomplete {
                brand: Some(Brand::Visa)
            }
        );
        assert_eq!(check_card_number("3"), S::Incomplete { brand: None });
        // 13-digit Visa failing Luhn could still become a valid 16-digit Visa.
        assert_eq!(
            check_card_number("4111111111111"),
            S::Incomplete {
                brand: Some(Brand::Visa)
            }
        );
        // A 16-digit Visa failing Luhn could still reach 19 digits.
        assert_eq!(
            check_card_number("4111111111111112"),
            S::Incomplete {
                brand: Some(Brand::Visa)
            }
        );
        assert_eq!(
            check_card_number("4111 1111 1111 1111").brand(),
            Some(Brand::Visa)
        );
        assert!(check_card_number("4111-1111-1111-1111").is_valid());
    }

    fn invalid_code(input: &str) -> Option<&'static str> {
        check_card_number(input).error().map(|e| e.code)
    }

    #[test]
    fn invalid_states_carry_the_reason() {
        assert_eq!(invalid_code("4111a"), Some("card_number.bad_character"));
        assert_eq!(invalid_code("4111.1111"), Some("card_number.bad_character"));
        assert_eq!(
            invalid_code("41111111111111111111"),
            Some("card_number.too_long")
        );
        // Amex issues 15 digits only.
        assert_eq!(invalid_code("370000000000001"), Some("card_number.luhn"));
        assert_eq!(
            invalid_code("3700000000000020"),
            Some("card_number.too_long")
        );
        // Mastercard: 16 digits failing Luhn is final.
        assert_eq!(invalid_code("5424000000000016"), Some("card_number.luhn"));
        assert_eq!(invalid_code("1"), Some("card_number.unsupported"));
        assert_eq!(invalid_code("9999"), Some("card_number.unsupported"));
        assert_eq!(invalid_code("2721"), Some("card_number.unsupported"));
        // The brand shown while invalid still follows the prefix.
        assert_eq!(
            check_card_number("370000000000001").brand(),
            Some(Brand::Amex)
        );
        assert_eq!(check_card_number("4111x").brand(), Some(Brand::Visa));
    }

    fn parse_code(input: &str) -> &'static str {
        match CardNumber::parse(input) {
            Ok(_) => "ok",
            Err(e) => e.code,
        }
    }

    #[test]
    fn parse_gives_final_verdict() {
        assert_eq!(parse_code(""), "card_number.required");
        assert_eq!(parse_code(" "), "card_number.required");
        assert_eq!(parse_code("4111"), "card_number.incomplete");
        assert_eq!(parse_code("3"), "card_number.incomplete");
        assert_eq!(parse_code("41111111111111"), "card_number.length");
        assert_eq!(parse_code("4111111111111"), "card_number.luhn");
        assert_eq!(parse_code("4111111111111112"), "card_number.luhn");
        assert_eq!(parse_code("4111 1111 1111 1111"), "ok");
        assert_eq!(parse_code("x"), "card_number.bad_character");
        assert_eq!(parse_code("12345678903"), "card_number.unsupported");
        assert_eq!(
            CardNumber::parse_detailed("4111111111111112"),
            Err(CardNumberError::Luhn)
        );
        let err = CardNumber::parse("4111111111111112").err();
        assert_eq!(err.map(|e| e.field), Some(Field::CardNumber));
    }

    #[test]
    fn accessors_and_aim_length() {
        let Ok(n) = CardNumber::parse("4111 1111 1111 1111") else {
            unreachable!("valid test card")
        };
        assert_eq!(n.expose_digits(), "4111111111111111");
        assert_eq!(n.last4(), "1111");
        assert_eq!(n.masked(), "XXXX1111");
        assert_eq!(n.brand(), Some(Brand::Visa));
        assert!(aim_accepts(&n));
        assert_eq!(check_aim(&n), Ok(()));
        // 19-digit Visa: brand-valid, but AIM cannot take it.
        let nineteen = format!(
            "411111111111111111{}",
            luhn_check_digit("411111111111111111").unwrap_or(0)
        );
        let Ok(long) = CardNumber::parse(&nineteen) else {
            unreachable!("19-digit Visa with check digit")
        };
        assert!(!aim_accepts(&long));
        assert_eq!(
            check_aim(&long).map_err(|e| e.code),
            Err("card_number.unsupported_length")
        );
    }

    #[test]
    fn debug_and_display_redact() {
        let Ok(n) = CardNumber::parse("4111111111111111") else {
            unreachable!("valid test card")
        };
        assert_eq!(format!("{n:?}"), "CardNumber(visa ****1111)");
        assert_eq!(format!("{n}"), "Visa ****1111");
    }

    #[test]
    fn luhn_basics() {
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("79927398710"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("12a"));
        assert_eq!(luhn_check_digit("7992739871"), Some(3));
    }

    #[test]
    fn formats_by_brand() {
        assert_eq!(
            format_card_number("4111111111111111", 16).0,
            "4111 1111 1111 1111"
        );
        assert_eq!(
            format_card_number("4111111111111111111", 0).0,
            "4111 1111 1111 1111 111"
        );
        assert_eq!(
            format_card_number("378282246310005", 0).0,
            "3782 822463 10005"
        );
        assert_eq!(
            format_card_number("38000000000006", 0).0,
            "3800 000000 0006"
        );
        assert_eq!(
            format_card_number("3800000000000600", 0).0,
            "3800 0000 0000 0600"
        );
        assert_eq!(format_card_number("4111-1111x1111", 0).0, "4111 1111 1111");
        assert_eq!(format_card_number("", 5), (String::new(), 0));
        assert_eq!(format_card_number("4111", 4), ("4111".into(), 4));
        // 20 digits pasted: the field keeps 19.
        assert_eq!(
            format_card_number("41111111111111111112", 20).0.len(),
            19 + 4
        );
    }

    #[test]
    fn caret_stays_after_the_typed_digit() {
        // Typed the 5th digit at the end: "4111" + "1" -> "4111 1", caret after it.
        assert_eq!(format_card_number("41111", 5), ("4111 1".into(), 6));
        // Typed "9" in the middle of "4111 1111": input "41191 1111", caret 4.
        assert_eq!(
            format_card_number("41191 1111", 4),
            ("4119 1111 1".into(), 4)
        );
        assert_eq!(
            format_card_number("41191 1111", 5),
            ("4119 1111 1".into(), 6)
        );
        // Caret at the start stays at the start; past the end is clamped.
        assert_eq!(format_card_number("4111 1111", 0).1, 0);
        assert_eq!(format_card_number("4111 1111", 99).1, 9);
        // Caret after a separator: follows the digit before it.
        assert_eq!(format_card_number("4111 ", 5), ("4111".into(), 4));
        // Non-ASCII before the caret counts as one char and is dropped.
        assert_eq!(format_card_number("é4111", 2), ("4111".into(), 1));
    }
}
