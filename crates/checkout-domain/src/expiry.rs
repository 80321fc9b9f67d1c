//! Card expiry dates.
//!
//! The crate never reads a clock: callers pass "today" as a [`YearMonth`] (the
//! widget uses the shopper's local calendar month, the relay its own UTC month).
//! A card is valid through the last day of its expiry month, so only year and
//! month matter: expired iff `expiry < today`.
//!
//! Accepted input (spaces anywhere are ignored): `MMYY`, `MMYYYY`, `MM/YY`,
//! `MM-YY`, `MM/YYYY`, `MM-YYYY`, `MM / YY`, and a one-digit month before a
//! separator (`1/27`). Two-digit years are 20YY. Digits-only input of any other
//! length (`127`, `12027`) is ambiguous and rejected (`expiry.format`).
//!
//! Limits: `expiry.past` before today's month; `expiry.too_far` more than 20
//! years ahead (the same month 20 years on is still accepted).
//!
//! Serde form of [`Expiry`]: the string `"MM/YYYY"` (unambiguous, readable in
//! stored records); deserializing accepts whatever [`Expiry::parse_unchecked`] does.

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Field, ValidationError};
use crate::state::FieldState;

/// How far ahead an expiry may be, in years.
pub const MAX_YEARS_AHEAD: u16 = 20;

/// A calendar month: "today" as the caller sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: u16,
    pub month: u8,
}

impl YearMonth {
    /// `None` unless `month` is 1..=12.
    pub const fn new(year: u16, month: u8) -> Option<YearMonth> {
        if month >= 1 && month <= 12 {
            Some(YearMonth { year, month })
        } else {
            None
        }
    }

    /// The month before (December of the previous year after January).
    /// Useful to the relay: a shopper west of UTC may still be in the previous
    /// month, so the server can judge "expired" against `today.prev()` near a
    /// month boundary instead of rejecting a card the widget accepted.
    pub fn prev(self) -> YearMonth {
        if self.month <= 1 {
            YearMonth {
                year: self.year.saturating_sub(1),
                month: 12,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month after.
    pub fn next(self) -> YearMonth {
        if self.month >= 12 {
            YearMonth {
                year: self.year.saturating_add(1),
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Months since year 0 (for distance arithmetic).
    fn index(&self) -> u32 {
        u32::from(self.year) * 12 + u32::from(self.month.saturating_sub(1))
    }
}

/// A card expiry (year and month). Not secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Expiry {
    ym: YearMonth,
}

fn err(code: &'static str) -> ValidationError {
    ValidationError::new(Field::Expiry, code)
}

/// Splits input into (month digits, year digits) without judging the values.
fn split_input(input: &str) -> Result<(&str, &str), &'static str> {
    let compact_len = input.chars().filter(|c| !c.is_whitespace()).count();
    if compact_len == 0 {
        return Err("expiry.required");
    }
    let trimmed = input.trim();
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(pos) = trimmed.find(['/', '-']) {
        let (m, rest) = trimmed.split_at(pos);
        let y = rest.get(1..).unwrap_or_default();
        let (m, y) = (m.trim(), y.trim());
        if is_digits(m)
            && (1..=2).contains(&m.len())
            && is_digits(y)
            && (y.len() == 2 || y.len() == 4)
        {
            return Ok((m, y));
        }
        return Err("expiry.format");
    }
    if is_digits(trimmed) && (trimmed.len() == 4 || trimmed.len() == 6) {
        return Ok(trimmed.split_at(2));
    }
    Err("expiry.format")
}

/// Parses a month "1".."12" / "01".."12" and a year "YY" / "YYYY" into a date,
/// checking only the month range.
fn build(month: &str, year: &str) -> Result<YearMonth, &'static str> {
    let num = |s: &str| -> Option<u16> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.bytes().try_fold(0u16, |acc, b| {
            acc.checked_mul(10)?.checked_add(u16::from(b - b'0'))
        })
    };
    let (Some(m), Some(y)) = (num(month), num(year)) else {
        return Err("expiry.format");
    };
    if !(1..=2).contains(&month.len()) || !(year.len() == 2 || year.len() == 4) {
        return Err("expiry.format");
    }
    if !(1..=12).contains(&m) {
        return Err("expiry.month");
    }
    let year = if year.len() == 2 { 2000 + y } else { y };
    Ok(YearMonth {
        year,
        month: m as u8,
    })
}

impl Expiry {
    /// Parses the single expiry field and checks it against `today`.
    pub fn parse(input: &str, today: YearMonth) -> Result<Expiry, ValidationError> {
        let (m, y) = split_input(input).map_err(err)?;
        let ym = build(m, y).map_err(err)?;
        Self::checked(ym, today)
    }

    /// Parses separate month and year fields (`"7"`/`"07"`, `"27"`/`"2027"`).
    pub fn from_parts(
        month: &str,
        year: &str,
        today: YearMonth,
    ) -> Result<Expiry, ValidationError> {
        let (month, year) = (month.trim(), year.trim());
        if month.is_empty() || year.is_empty() {
            return Err(err("expiry.required"));
        }
        let ym = build(month, year).map_err(err)?;
        Self::checked(ym, today)
    }

    /// Builds an expiry from numbers, with the same date checks as [`Expiry::parse`].
    pub fn from_year_month(ym: YearMonth, today: YearMonth) -> Result<Expiry, ValidationError> {
        if !(1..=12).contains(&ym.month) {
            return Err(err("expiry.month"));
        }
        Self::checked(ym, today)
    }

    fn checked(ym: YearMonth, today: YearMonth) -> Result<Expiry, ValidationError> {
        if ym < today {
            return Err(err("expiry.past"));
        }
        let limit = today.index() + u32::from(MAX_YEARS_AHEAD) * 12;
        if ym.index() > limit {
            return Err(err("expiry.too_far"));
        }
        Ok(Expiry { ym })
    }

    /// Reads a stored or gateway value without date checks: every format
    /// [`Expiry::parse`] accepts, plus `YYYY-MM` (CIM) and `XXXX` is rejected
    /// (`None`). The month must still be 1..=12.
    pub fn parse_unchecked(input: &str) -> Option<Expiry> {
        let t = input.trim();
        if let Some((y, m)) = t.split_once('-')
            && y.len() == 4
            && y.bytes().all(|b| b.is_ascii_digit())
        {
            return build(m, y).ok().map(|ym| Expiry { ym });
        }
        let (m, y) = split_input(t).ok()?;
        build(m, y).ok().map(|ym| Expiry { ym })
    }

    pub fn month(&self) -> u8 {
        self.ym.month
    }

    pub fn year(&self) -> u16 {
        self.ym.year
    }

    pub fn year_month(&self) -> YearMonth {
        self.ym
    }

    /// AIM `x_exp_date`: `MMYY`.
    pub fn to_aim(&self) -> String {
        format!("{:02}{:02}", self.ym.month, self.ym.year % 100)
    }

    /// CIM `expirationDate`: `YYYY-MM`.
    pub fn to_xml(&self) -> String {
        format!("{:04}-{:02}", self.ym.year, self.ym.month)
    }

    /// Shopper-facing form `MM/YY`.
    pub fn to_short(&self) -> String {
        format!("{:02}/{:02}", self.ym.month, self.ym.year % 100)
    }

    /// Expired once `today` is past the expiry month.
    pub fn is_expired(&self, today: YearMonth) -> bool {
        self.ym < today
    }
}

/// `MM/YYYY`.
impl fmt::Display for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:04}", self.ym.month, self.ym.year)
    }
}

impl Serialize for Expiry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Expiry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Expiry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an expiry date like \"12/2027\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Expiry, E> {
                Expiry::parse_unchecked(v).ok_or_else(|| E::custom("expiry.format"))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// State of the expiry field as typed. `Incomplete` while what is shown could
/// still become a valid date (e.g. `"12/20"` may be the start of `"12/2030"`).
pub fn check_expiry_input(input: &str, today: YearMonth) -> FieldState<Expiry> {
    if input.trim().is_empty() {
        return FieldState::Empty;
    }
    match Expiry::parse(input, today) {
        Ok(e) => FieldState::Valid(e),
        Err(e) => {
            if could_complete(input, today) {
                FieldState::Incomplete
            } else if e.code == "expiry.format" && typed_month_out_of_range(input) {
                // "00/", "14/2": say what is wrong rather than "use MM/YY".
                FieldState::Invalid(err("expiry.month"))
            } else {
                FieldState::Invalid(e)
            }
        }
    }
}

/// Whether the month part typed so far is complete and outside 1..=12.
fn typed_month_out_of_range(input: &str) -> bool {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let month: &str = match compact.find(['/', '-']) {
        Some(pos) => &compact[..pos],
        None => compact.get(..2).unwrap_or(""),
    };
    if month.is_empty() || month.len() > 2 || !month.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let value = month.bytes().fold(0u8, |acc, b| acc * 10 + (b - b'0'));
    !(1..=12).contains(&value)
}

/// Whether appending digits (and at most one separator) to `input` can give a
/// valid expiry. Brute force over the few possible completions: cheap and
/// obviously right.
fn could_complete(input: &str, today: YearMonth) -> bool {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.chars().count() > 7 {
        return false;
    }
    let sep_count = compact.chars().filter(|c| *c == '/' || *c == '-').count();
    if sep_count > 1
        || compact
            .chars()
            .any(|c| !(c.is_ascii_digit() || c == '/' || c == '-'))
    {
        return false;
    }
    let limit = today.year.saturating_add(MAX_YEARS_AHEAD);
    for year in today.year..=limit {
        for month in 1u8..=12 {
            let ym = YearMonth { year, month };
            if Expiry::checked(ym, today).is_err() {
                continue;
            }
            // Every textual form this date can take; `compact` must be a proper prefix.
            let forms = [
                format!("{month:02}/{:02}", year % 100),
                format!("{month:02}/{year:04}"),
                format!("{month:02}-{:02}", year % 100),
                format!("{month:02}-{year:04}"),
                format!("{month}/{:02}", year % 100),
                format!("{month}/{year:04}"),
                format!("{month}-{:02}", year % 100),
                format!("{month}-{year:04}"),
                format!("{month:02}{:02}", year % 100),
                format!("{month:02}{year:04}"),
            ];
            if forms
                .iter()
                .any(|f| f.len() > compact.len() && f.starts_with(compact.as_str()))
            {
                return true;
            }
        }
    }
    false
}

/// Auto-formats the expiry field while the shopper inserts text: `"1"` → `"1"`,
/// `"4"` → `"04/"`, `"12"` → `"12/"`, `"1225"` → `"12/25"`, `"122027"` → `"12/2027"`,
/// `"1/"` → `"01/"`. At most 6 digits are kept.
///
/// Backspace: a stateless formatter cannot tell `"12"` typed from `"12/"` with
/// its slash deleted. When the input event is a deletion, call
/// [`format_expiry_deletion`] instead, which never adds a slash.
pub fn format_expiry_input(input: &str) -> String {
    format_expiry(input, true)
}

/// As [`format_expiry_input`] for deletions: normalises but never appends a
/// trailing slash, so deleting the slash of `"12/"` leaves `"12"`.
pub fn format_expiry_deletion(input: &str) -> String {
    format_expiry(input, false)
}

fn format_expiry(input: &str, inserting: bool) -> String {
    let mut month = String::with_capacity(2);
    let mut year = String::with_capacity(4);
    let mut saw_sep = false;
    for c in input.chars() {
        if c.is_ascii_digit() {
            if !saw_sep && month.len() < 2 {
                month.push(c);
                // A first digit 2-9 can only be a one-digit month.
                if month.len() == 1 && c > '1' {
                    month.insert(0, '0');
                }
                // "13".."19": the second digit starts the year.
                if month.len() == 2 && month.as_str() > "12" && month.starts_with('1') {
                    let second = month.pop().unwrap_or('0');
                    month.insert(0, '0');
                    year.push(second);
                }
            } else if year.len() < 4 {
                year.push(c);
            }
        } else if (c == '/' || c == '-') && !month.is_empty() && year.is_empty() {
            saw_sep = true;
            if month.len() == 1 {
                month.insert(0, '0');
            }
        }
    }
    if month.is_empty() {
        return String::new();
    }
    if month.len() == 2 && (!year.is_empty() || saw_sep || inserting) {
        format!("{month}/{year}")
    } else {
        month
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser, the same tests run under wasm-bindgen-test.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const TODAY: YearMonth = YearMonth {
        year: 2026,
        month: 11,
    };

    fn parse(input: &str) -> Result<(u8, u16), &'static str> {
        Expiry::parse(input, TODAY)
            .map(|e| (e.month(), e.year()))
            .map_err(|e| e.code)
    }

    #[test]
    fn accepts_every_documented_format() {
        for input in [
            "1227", "12/27", "12-27", "12 / 27", "122027", "12/2027", "12-2027", " 12/27 ",
            "12 /2027", "12/ 27",
        ] {
            assert_eq!(parse(input), Ok((12, 2027)), "{input:?}");
        }
        assert_eq!(parse("1/27"), Ok((1, 2027)));
        assert_eq!(parse("01/27"), Ok((1, 2027)));
    }

    #[test]
    fn rejects_with_specific_codes() {
        assert_eq!(parse(""), Err("expiry.required"));
        assert_eq!(parse("   "), Err("expiry.required"));
        assert_eq!(parse("127"), Err("expiry.format"));
        assert_eq!(parse("12027"), Err("expiry.format"));
        assert_eq!(parse("12/7"), Err("expiry.format"));
        assert_eq!(parse("12/027"), Err("expiry.format"));
        assert_eq!(parse("ab/cd"), Err("expiry.format"));
        assert_eq!(parse("12/27/1"), Err("expiry.format"));
        assert_eq!(parse("12.27"), Err("expiry.format"));
        assert_eq!(parse("13/27"), Err("expiry.month"));
        assert_eq!(parse("00/27"), Err("expiry.month"));
        assert_eq!(parse("10/26"), Err("expiry.past"));
        assert_eq!(parse("12/2025"), Err("expiry.past"));
        assert_eq!(parse("12/2046"), Err("expiry.too_far"));
        assert_eq!(parse("12/47"), Err("expiry.too_far"));
    }

    #[test]
    fn valid_through_the_end_of_the_month_and_twenty_years() {
        assert_eq!(parse("11/26"), Ok((11, 2026)));
        assert_eq!(parse("11/2046"), Ok((11, 2046)));
        let Ok(e) = Expiry::parse("11/26", TODAY) else {
            unreachable!("current month is valid")
        };
        assert!(!e.is_expired(TODAY));
        assert!(e.is_expired(YearMonth {
            year: 2026,
            month: 12
        }));
        assert!(e.is_expired(YearMonth {
            year: 2027,
            month: 1
        }));
    }

    #[test]
    fn separate_fields() {
        let p = |m: &str, y: &str| {
            Expiry::from_parts(m, y, TODAY)
                .map(|e| e.to_aim())
                .map_err(|e| e.code)
        };
        assert_eq!(p("7", "27"), Ok("0727".into()));
        assert_eq!(p("07", "2027"), Ok("0727".into()));
        assert_eq!(p("", "2027"), Err("expiry.required"));
        assert_eq!(p("7", ""), Err("expiry.required"));
        assert_eq!(p("13", "2027"), Err("expiry.month"));
        assert_eq!(p("7", "202"), Err("expiry.format"));
        assert_eq!(p("x", "27"), Err("expiry.format"));
        assert_eq!(p("1", "26"), Err("expiry.past"));
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(YearMonth::new(2026, 13), None);
        assert_eq!(YearMonth::new(2026, 0), None);
        assert_eq!(
            YearMonth::new(2026, 1).map(YearMonth::prev),
            YearMonth::new(2025, 12)
        );
        assert_eq!(
            YearMonth::new(2026, 12).map(YearMonth::next),
            YearMonth::new(2027, 1)
        );
        assert_eq!(TODAY.prev().next(), TODAY);
        // The relay's lenient check: a card expiring last month is accepted
        // against `today.prev()` (shopper still in that month locally).
        let last_month = YearMonth {
            year: 2026,
            month: 10,
        };
        assert!(Expiry::from_year_month(last_month, TODAY.prev()).is_ok());
        assert_eq!(
            Expiry::from_year_month(last_month, TODAY).map_err(|e| e.code),
            Err("expiry.past")
        );
        assert_eq!(
            Expiry::from_year_month(
                YearMonth {
                    year: 2027,
                    month: 0
                },
                TODAY
            )
            .map_err(|e| e.code),
            Err("expiry.month")
        );
    }

    #[test]
    fn wire_forms() {
        let Ok(e) = Expiry::parse("3/2030", TODAY) else {
            unreachable!("valid")
        };
        assert_eq!(e.to_aim(), "0330");
        assert_eq!(e.to_xml(), "2030-03");
        assert_eq!(e.to_short(), "03/30");
        assert_eq!(e.to_string(), "03/2030");
    }

    #[test]
    fn unchecked_reads_stored_and_gateway_values() {
        let p = |s: &str| Expiry::parse_unchecked(s).map(|e| (e.month(), e.year()));
        assert_eq!(p("2019-05"), Some((5, 2019)));
        assert_eq!(p("0519"), Some((5, 2019)));
        assert_eq!(p("05/2019"), Some((5, 2019)));
        assert_eq!(p("XXXX"), None);
        assert_eq!(p("2019-13"), None);
        assert_eq!(p(""), None);
    }

    #[test]
    fn serde_uses_mm_slash_yyyy() {
        use serde::de::IntoDeserializer;
        type E = serde::de::value::Error;
        let back: Result<Expiry, E> = Expiry::deserialize("03/2030".into_deserializer());
        assert_eq!(back.map(|e| e.to_xml()), Ok("2030-03".into()));
        let bad: Result<Expiry, E> = Expiry::deserialize("99/2030".into_deserializer());
        assert!(bad.is_err());
    }

    #[test]
    fn typing_states() {
        let s = |i: &str| match check_expiry_input(i, TODAY) {
            FieldState::Empty => "empty",
            FieldState::Incomplete => "incomplete",
            FieldState::Invalid(_) => "invalid",
            FieldState::Valid(_) => "valid",
        };
        assert_eq!(s(""), "empty");
        assert_eq!(s("1"), "incomplete");
        assert_eq!(s("12"), "incomplete");
        assert_eq!(s("12/"), "incomplete");
        assert_eq!(s("12/2"), "incomplete");
        // "12/20" is past as YY, but may become 12/2030.
        assert_eq!(s("12/20"), "incomplete");
        assert_eq!(s("12/203"), "incomplete");
        assert_eq!(s("12/27"), "valid");
        assert_eq!(s("12/2030"), "valid");
        assert_eq!(s("12/21"), "invalid");
        assert_eq!(s("13"), "invalid");
        let code = |i: &str| check_expiry_input(i, TODAY).error().map(|e| e.code);
        assert_eq!(code("00"), Some("expiry.month"));
        assert_eq!(code("00/"), Some("expiry.month"));
        assert_eq!(code("14/27"), Some("expiry.month"));
        assert_eq!(code("0/27"), Some("expiry.month"));
        assert_eq!(code("12/21"), Some("expiry.past"));
        assert_eq!(code("12/2047"), Some("expiry.too_far"));
        assert_eq!(code("1x"), Some("expiry.format"));
        assert_eq!(s("1a"), "invalid");
        assert_eq!(s("12/2019"), "invalid");
    }

    #[test]
    fn auto_slash_while_typing() {
        assert_eq!(format_expiry_input(""), "");
        assert_eq!(format_expiry_input("1"), "1");
        assert_eq!(format_expiry_input("4"), "04/");
        assert_eq!(format_expiry_input("12"), "12/");
        assert_eq!(format_expiry_input("12/"), "12/");
        assert_eq!(format_expiry_input("1/"), "01/");
        assert_eq!(format_expiry_input("1225"), "12/25");
        assert_eq!(format_expiry_input("12 / 25"), "12/25");
        assert_eq!(format_expiry_input("122027"), "12/2027");
        assert_eq!(format_expiry_input("12/20271"), "12/2027");
        assert_eq!(format_expiry_input("13"), "01/3");
        assert_eq!(format_expiry_input("ab"), "");
        assert_eq!(format_expiry_deletion("12"), "12");
        assert_eq!(format_expiry_deletion("12/2"), "12/2");
        assert_eq!(format_expiry_deletion("1"), "1");
    }
}
