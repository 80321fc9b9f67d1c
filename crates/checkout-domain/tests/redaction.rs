//! Every type that holds (or is derived from) a card number or card code must not
//! print it, in `Debug`, pretty `Debug` or `Display`.

use checkout_domain::{
    BillingInput, CardCode, CardForm, CardFormPolicy, CardNumber, Secret, ValidCard, YearMonth,
    check_card_code_input, check_card_number, validate_card_form,
};

// Runs natively and, under wasm-bindgen-test, in headless Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const TODAY: YearMonth = YearMonth {
    year: 2026,
    month: 11,
};

/// Sandbox test cards of every brand (fact sheet §4.2) with a matching code.
const CARDS: &[(&str, &str)] = &[
    ("4111111111111111", "987"),
    ("4007000000027", "987"),
    ("370000000000002", "9876"),
    ("5424000000000015", "987"),
    ("2223000010309703", "987"),
    ("6011000000000012", "987"),
    ("3088000000000017", "987"),
    ("38000000000006", "987"),
    ("6221499053360818", "987"),
];

fn assert_hidden(shown: &str, number: &str, code: &str, what: &str) {
    assert!(!shown.contains(number), "{what} shows the number: {shown}");
    // The code must not appear as a field value. (Last four digits of a number
    // may happen to contain the code's digits; look for it delimited.)
    for pattern in [
        format!("\"{code}\""),
        format!("({code})"),
        format!(" {code} "),
        format!(": {code}"),
    ] {
        assert!(!shown.contains(&pattern), "{what} shows the code: {shown}");
    }
    // No run of more than four consecutive digits of the number (only last four allowed).
    let digits_only: String = shown.chars().filter(char::is_ascii_digit).collect();
    assert!(
        !digits_only.contains(&number[..6]),
        "{what} shows the IIN: {shown}"
    );
}

fn all_renderings<T: core::fmt::Debug>(value: &T) -> [String; 2] {
    [format!("{value:?}"), format!("{value:#?}")]
}

#[test]
fn card_number_and_code_redact_in_debug_and_display() {
    for (number, code) in CARDS {
        let Ok(n) = CardNumber::parse(number) else {
            unreachable!("{number} is a valid test card")
        };
        let Ok(c) = CardCode::parse(code, n.brand()) else {
            unreachable!("{code} fits {number}")
        };
        for shown in all_renderings(&n).into_iter().chain([n.to_string()]) {
            assert_hidden(&shown, number, code, "CardNumber");
            assert!(shown.contains(n.last4()), "{shown}");
        }
        for shown in all_renderings(&c).into_iter().chain([c.to_string()]) {
            assert!(!shown.contains(code), "CardCode shows the code: {shown}");
        }
        let state = check_card_code_input(code, n.brand());
        for shown in all_renderings(&state) {
            assert!(!shown.contains(code), "FieldState<CardCode>: {shown}");
        }
    }
}

#[test]
fn forms_and_results_redact() {
    for (number, code) in CARDS {
        let form = CardForm {
            number: (*number).into(),
            expiry: "12/27".into(),
            card_code: (*code).into(),
            billing: BillingInput {
                zip: "46282".into(),
                ..BillingInput::default()
            },
        };
        for shown in all_renderings(&form) {
            assert_hidden(&shown, number, code, "CardForm");
        }
        let valid: Result<ValidCard, _> =
            validate_card_form(&form, &CardFormPolicy::default(), TODAY);
        assert!(valid.is_ok(), "{number}");
        for shown in all_renderings(&valid) {
            assert_hidden(&shown, number, code, "ValidCard");
        }
        let state = check_card_number(number);
        for shown in all_renderings(&state) {
            assert_hidden(&shown, number, code, "CardNumberState");
        }
    }
}

#[test]
fn errors_never_echo_the_input() {
    // Invalid numbers: one digit changed, too long, bad character.
    for (number, _) in CARDS {
        let last = number.as_bytes()[number.len() - 1];
        let changed = format!(
            "{}{}",
            &number[..number.len() - 1],
            char::from(b'0' + (last - b'0' + 1) % 10)
        );
        for bad in [
            changed.clone(),
            format!("{number}12345"),
            format!("{number}x"),
        ] {
            let err = CardNumber::parse(&bad).err();
            assert!(err.is_some(), "{bad} should be rejected");
            let shown_state = all_renderings(&check_card_number(&bad));
            for shown in all_renderings(&err)
                .into_iter()
                .chain(err.iter().map(ToString::to_string))
                .chain(shown_state)
            {
                assert!(!shown.contains(&number[..6]), "error echoes input: {shown}");
            }
        }
    }
    let short = CardCode::parse("98", None).err();
    assert!(short.is_some());
    for shown in all_renderings(&short) {
        assert!(!shown.contains("98"), "{shown}");
    }
}

#[test]
fn secrets_redact() {
    let key = Secret::new(String::from("5KP3u95bQpv"));
    for shown in all_renderings(&key).into_iter().chain([key.to_string()]) {
        assert!(!shown.contains("5KP3u95bQpv"), "{shown}");
    }
}
