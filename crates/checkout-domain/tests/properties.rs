//! Property tests (native only: proptest needs OS randomness).
#![cfg(not(target_arch = "wasm32"))]

use checkout_domain::{
    Amount, Brand, CardCode, CardNumber, CardNumberState, Expiry, FieldState, IIN_TABLE, YearMonth,
    card_digits, check_card_code_input, check_card_number, check_expiry_input, detect_brand,
    format_card_number, format_expiry_deletion, format_expiry_input, luhn_check_digit, luhn_valid,
    validate_billing, validate_shipping,
};
use proptest::prelude::*;

const TODAY: YearMonth = YearMonth {
    year: 2026,
    month: 11,
};

/// Twenty years from TODAY: the last expiry accepted.
const LAST_VALID: YearMonth = YearMonth {
    year: 2046,
    month: 11,
};

/// A Luhn-valid number for a random IIN table entry at one of its brand's lengths.
fn brand_number() -> impl Strategy<Value = (Brand, String)> {
    (0..IIN_TABLE.len())
        .prop_flat_map(|i| {
            let e = IIN_TABLE[i];
            let lengths = e.brand.valid_lengths();
            (
                Just(e),
                e.lo..=e.hi,
                proptest::sample::select(lengths),
                proptest::collection::vec(0u8..10, 19),
            )
        })
        .prop_map(|(e, prefix, len, fill)| {
            let mut s = format!("{prefix:0width$}", width = usize::from(e.len));
            for d in fill.iter().take(len - s.len() - 1) {
                s.push(char::from(b'0' + d));
            }
            let check = luhn_check_digit(&s).unwrap_or(0);
            s.push(char::from(b'0' + check));
            (e.brand, s)
        })
}

/// Strings that look like what shoppers paste: digits, separators, a few oddities.
fn card_like() -> impl Strategy<Value = String> {
    let chars = |set: &'static [char]| {
        proptest::collection::vec(proptest::sample::select(set), 0..30)
            .prop_map(|v| v.into_iter().collect::<String>())
    };
    const TYPED: &[char] = &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '-'];
    const ODD: &[char] = &[
        '0', '2', '3', '4', '5', '6', '9', ' ', '-', '.', '/', 'a', 'é', '\u{663}', '\u{a0}', '\t',
    ];
    prop_oneof![4 => chars(TYPED), 1 => chars(ODD)]
}

fn digits_before(s: &str, caret: usize) -> usize {
    s.chars().take(caret).filter(char::is_ascii_digit).count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_luhn_valid_number_of_a_brand_length_validates((brand, number) in brand_number()) {
        let parsed = CardNumber::parse(&number);
        prop_assert!(parsed.is_ok(), "{number} ({brand:?}) rejected: {parsed:?}");
        let got = parsed.ok().and_then(|n| n.brand());
        // Longest prefix wins: a UnionPay "62" number can land in Discover's co-brand range.
        let nested = brand == Brand::UnionPay && got == Some(Brand::Discover);
        prop_assert!(got == Some(brand) || nested, "{number}: {got:?} != {brand:?}");
        prop_assert_eq!(got, detect_brand(&number));
        prop_assert!(check_card_number(&number).is_valid());
        // Spaces and dashes as typed do not matter.
        let (formatted, _) = format_card_number(&number, 0);
        prop_assert!(CardNumber::parse(&formatted).is_ok());
        prop_assert!(CardNumber::parse(&formatted.replace(' ', "-")).is_ok());
    }

    #[test]
    fn changing_the_last_digit_breaks_luhn((_, number) in brand_number(), bump in 1u8..10) {
        let (body, last) = number.split_at(number.len() - 1);
        let d = (last.as_bytes()[0] - b'0' + bump) % 10;
        let wrong = format!("{body}{d}");
        prop_assert!(!luhn_valid(&wrong));
        prop_assert!(CardNumber::parse(&wrong).is_err());
    }

    #[test]
    fn incomplete_numbers_can_really_be_completed((_, number) in brand_number(), cut in 1usize..19) {
        let prefix = &number[..cut.min(number.len())];
        if let CardNumberState::Incomplete { brand: Some(brand) } = check_card_number(prefix) {
            let target = brand.valid_lengths().iter().copied().find(|l| *l > prefix.len());
            prop_assert!(target.is_some(), "{prefix}: incomplete but no longer length");
            let target = target.unwrap_or(19);
            let mut s = prefix.to_owned();
            while s.len() < target - 1 {
                s.push('0');
            }
            let check = luhn_check_digit(&s).unwrap_or(0);
            s.push(char::from(b'0' + check));
            prop_assert!(check_card_number(&s).is_valid(), "{prefix} -> {s}");
        }
    }

    #[test]
    fn typing_state_agrees_with_final_parse(input in card_like()) {
        let state = check_card_number(&input);
        let parsed = CardNumber::parse(&input);
        match &state {
            CardNumberState::Valid { brand } => {
                prop_assert_eq!(parsed.as_ref().ok().and_then(CardNumber::brand), *brand);
            }
            CardNumberState::Invalid { error, .. } => {
                prop_assert_eq!(parsed.as_ref().err().map(|e| e.code), Some(error.code));
            }
            CardNumberState::Empty => {
                prop_assert_eq!(parsed.as_ref().err().map(|e| e.code), Some("card_number.required"));
            }
            CardNumberState::Incomplete { .. } => prop_assert!(parsed.is_err()),
        }
        // The brand shown always follows the typed prefix.
        if !matches!(state, CardNumberState::Empty) {
            prop_assert_eq!(state.brand(), detect_brand(&input));
        }
    }

    #[test]
    fn formatting_round_trips_digits_and_is_idempotent(input in card_like(), caret in 0usize..40) {
        let (out, new_caret) = format_card_number(&input, caret);
        prop_assert_eq!(card_digits(&out), card_digits(&input));
        prop_assert!(out.chars().all(|c| c.is_ascii_digit() || c == ' '));
        prop_assert!(!out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "));
        let (again, _) = format_card_number(&out, 0);
        prop_assert_eq!(&again, &out);
        // Caret in bounds, after the same number of digits as before.
        prop_assert!(new_caret <= out.chars().count());
        let expected = digits_before(&input, caret).min(19);
        prop_assert_eq!(digits_before(&out, new_caret), expected);
        // ...and directly after that digit (not after a following space).
        if new_caret > 0 {
            prop_assert!(out.as_bytes()[new_caret - 1].is_ascii_digit());
        }
    }

    #[test]
    fn no_input_panics_any_function(input in any::<String>(), caret in any::<usize>()) {
        let _ = check_card_number(&input);
        let _ = CardNumber::parse(&input);
        let _ = detect_brand(&input);
        let (out, c) = format_card_number(&input, caret);
        prop_assert!(c <= out.len());
        let _ = card_digits(&input);
        let _ = luhn_valid(&input);
        let _ = Expiry::parse(&input, TODAY);
        let _ = Expiry::parse_unchecked(&input);
        let _ = Expiry::from_parts(&input, &input, TODAY);
        let _ = check_expiry_input(&input, TODAY);
        let _ = format_expiry_input(&input);
        let _ = format_expiry_deletion(&input);
        let _ = CardCode::parse(&input, None);
        let _ = check_card_code_input(&input, Some(Brand::Amex));
        let _ = Amount::parse_positive(&input);
        let _ = Amount::parse_non_negative(&input);
        let b = checkout_domain::BillingInput {
            first_name: input.clone(), last_name: input.clone(), company: input.clone(),
            address: input.clone(), city: input.clone(), state: input.clone(), zip: input.clone(),
            country: input.clone(), phone: input.clone(), email: input.clone(),
        };
        let _ = validate_billing(&b, &checkout_domain::AddressRequirements::default());
        let _ = validate_shipping(&b);
    }

    #[test]
    fn amount_parse_display_round_trip(cents in 0i64..=9_999_999_999) {
        let text = format!("{}.{:02}", cents / 100, cents % 100);
        let a = Amount::parse_non_negative(&text);
        prop_assert_eq!(a.as_ref().map(ToString::to_string).ok(), Some(text.clone()));
        let a = a.unwrap_or_default();
        prop_assert_eq!(a.cents(), cents);
        prop_assert_eq!(Amount::from_decimal(a.value()), Ok(a));
        prop_assert_eq!(Amount::parse_non_negative(&a.to_string()), Ok(a));
        prop_assert_eq!(Amount::parse_positive(&text).is_ok(), cents > 0);
    }

    #[test]
    fn amount_sums_are_exact(a in 0i64..=5_000_000_000, b in 0i64..=4_999_999_999) {
        let pa = Amount::from_decimal(rust_decimal::Decimal::new(a, 2)).unwrap_or_default();
        let pb = Amount::from_decimal(rust_decimal::Decimal::new(b, 2)).unwrap_or_default();
        prop_assert_eq!(pa.checked_add(pb).map(|s| s.cents()), Some(a + b));
        prop_assert_eq!(pa.checked_sub(pb).map(|s| s.cents()), (a >= b).then_some(a - b));
    }

    #[test]
    fn expiry_forms_round_trip(year in 2026u16..=2046, month in 1u8..=12) {
        let ym = YearMonth { year, month };
        prop_assume!(ym >= TODAY && ym <= LAST_VALID);
        let forms = [
            format!("{month:02}{:02}", year % 100),
            format!("{month:02}/{:02}", year % 100),
            format!("{month:02}-{:02}", year % 100),
            format!("{month:02} / {:02}", year % 100),
            format!("{month:02}{year}"),
            format!("{month:02}/{year}"),
            format!("{month:02}-{year}"),
        ];
        for f in &forms {
            let e = Expiry::parse(f, TODAY);
            prop_assert_eq!(e.map(|e| e.year_month()), Ok(ym), "{}", f);
            // What the auto-formatter shows parses to the same date.
            let shown = format_expiry_input(f);
            prop_assert_eq!(Expiry::parse(&shown, TODAY).map(|e| e.year_month()), Ok(ym), "{}", shown);
            prop_assert!(check_expiry_input(&shown, TODAY).is_valid());
        }
        let Ok(e) = Expiry::parse(&forms[0], TODAY) else { return Err(TestCaseError::fail("parse")) };
        prop_assert_eq!(Expiry::parse_unchecked(&e.to_aim()), Some(e));
        prop_assert_eq!(Expiry::parse_unchecked(&e.to_xml()), Some(e));
        prop_assert_eq!(Expiry::parse_unchecked(&e.to_string()), Some(e));
    }

    #[test]
    fn every_prefix_of_a_valid_expiry_is_not_an_error(year in 2026u16..=2046, month in 1u8..=12, long in any::<bool>()) {
        let ym = YearMonth { year, month };
        prop_assume!(ym >= TODAY && ym <= LAST_VALID);
        let full = if long { format!("{month:02}/{year}") } else { format!("{month:02}/{:02}", year % 100) };
        for end in 1..full.len() {
            let state = check_expiry_input(&full[..end], TODAY);
            prop_assert!(!matches!(state, FieldState::Invalid(_)), "{} -> {:?}", &full[..end], state);
        }
    }

    #[test]
    fn card_code_typing_never_errors_before_the_brand_length(brand in proptest::sample::select(&Brand::ALL[..]), digits in "[0-9]{1,4}") {
        let state = check_card_code_input(&digits, Some(brand));
        match digits.len().cmp(&brand.card_code_len()) {
            std::cmp::Ordering::Less => prop_assert_eq!(state, FieldState::Incomplete),
            std::cmp::Ordering::Equal => prop_assert!(state.is_valid()),
            std::cmp::Ordering::Greater => prop_assert!(state.error().is_some()),
        }
    }

    #[test]
    fn redaction_holds_for_every_card((_, number) in brand_number(), code in "[0-9]{3,4}") {
        let Ok(n) = CardNumber::parse(&number) else { return Err(TestCaseError::fail("parse")) };
        for shown in [format!("{n:?}"), format!("{n}"), format!("{n:#?}")] {
            prop_assert!(!shown.contains(&number), "{}", shown);
            prop_assert!(shown.contains(n.last4()));
        }
        if let Ok(c) = CardCode::parse(&code, None) {
            let (dbg, shown) = (format!("{c:?}"), format!("{c}"));
            prop_assert!(!dbg.contains(&code) && !shown.contains(&code));
        }
        // Error messages never echo digits the shopper typed.
        let bad = format!("{number}9");
        if let Err(e) = CardNumber::parse(&bad) {
            prop_assert!(!e.message.chars().any(|c| c.is_ascii_digit()));
            let dbg = format!("{e:?}");
            prop_assert!(!dbg.contains(&number));
        }
    }
}
