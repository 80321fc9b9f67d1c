//! The same rules, run inside headless Chromium (`wasm32-unknown-unknown`), to
//! prove the crate behaves identically in the browser:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p checkout-domain --target wasm32-unknown-unknown`
//! On native targets this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use checkout_domain::{
    AddressRequirements, Amount, BillingInput, Brand, CardCode, CardCodePolicy, CardForm,
    CardFormPolicy, CardNumber, CardNumberState, Expiry, FieldState, Locale, YearMonth,
    aim_accepts, check_card_code_input, check_card_number, check_expiry_input, detect_brand,
    format_card_number, format_expiry_deletion, format_expiry_input, message, validate_billing,
    validate_card_form, validate_zip,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const TODAY: YearMonth = YearMonth {
    year: 2026,
    month: 11,
};

const SANDBOX_CARDS: &[(&str, Brand)] = &[
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

#[wasm_bindgen_test]
fn sandbox_cards_validate_in_the_browser() {
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
            }
        );
    }
}

#[wasm_bindgen_test]
fn brand_follows_the_typed_prefix() {
    assert_eq!(detect_brand("4"), Some(Brand::Visa));
    assert_eq!(detect_brand("3"), None);
    assert_eq!(detect_brand("34"), Some(Brand::Amex));
    assert_eq!(detect_brand("2221"), Some(Brand::Mastercard));
    assert_eq!(detect_brand("62"), Some(Brand::UnionPay));
    assert_eq!(detect_brand("622126"), Some(Brand::Discover));
    assert_eq!(detect_brand("3088"), Some(Brand::Jcb));
    assert_eq!(
        check_card_number("4111 1111 1111 1112").brand(),
        Some(Brand::Visa)
    );
}

#[wasm_bindgen_test]
fn typing_states_and_errors() {
    assert_eq!(check_card_number(""), CardNumberState::Empty);
    assert_eq!(
        check_card_number("4111 1111"),
        CardNumberState::Incomplete {
            brand: Some(Brand::Visa)
        }
    );
    let code = |s: &str| check_card_number(s).error().map(|e| e.code);
    assert_eq!(code("4111a"), Some("card_number.bad_character"));
    assert_eq!(code("41111111111111111111"), Some("card_number.too_long"));
    assert_eq!(code("5424000000000016"), Some("card_number.luhn"));
    assert_eq!(code("1"), Some("card_number.unsupported"));
    assert_eq!(
        CardNumber::parse("41111111111111").err().map(|e| e.code),
        Some("card_number.length")
    );
}

#[wasm_bindgen_test]
fn formatting_and_caret() {
    assert_eq!(
        format_card_number("4111111111111111", 16),
        ("4111 1111 1111 1111".to_owned(), 19)
    );
    assert_eq!(
        format_card_number("378282246310005", 0).0,
        "3782 822463 10005"
    );
    assert_eq!(
        format_card_number("38000000000006", 0).0,
        "3800 000000 0006"
    );
    assert_eq!(format_card_number("41111", 5), ("4111 1".to_owned(), 6));
    assert_eq!(
        format_card_number("41191 1111", 4),
        ("4119 1111 1".to_owned(), 4)
    );
    assert_eq!(format_card_number("é4111", 2), ("4111".to_owned(), 1));
}

#[wasm_bindgen_test]
fn expiry_rules() {
    for input in [
        "1227", "12/27", "12-27", "12 / 27", "122027", "12/2027", "12-2027",
    ] {
        assert_eq!(
            Expiry::parse(input, TODAY).map(|e| e.to_aim()),
            Ok("1227".to_owned()),
            "{input}"
        );
    }
    let err = |s: &str| Expiry::parse(s, TODAY).err().map(|e| e.code);
    assert_eq!(err("10/26"), Some("expiry.past"));
    assert_eq!(err("11/26"), None);
    assert_eq!(err("12/2046"), Some("expiry.too_far"));
    assert_eq!(err("13/27"), Some("expiry.month"));
    assert_eq!(err("127"), Some("expiry.format"));
    assert_eq!(err(""), Some("expiry.required"));
    assert_eq!(
        Expiry::from_parts("7", "2030", TODAY).map(|e| e.to_xml()),
        Ok("2030-07".to_owned())
    );
    assert_eq!(check_expiry_input("12/20", TODAY), FieldState::Incomplete);
    assert!(check_expiry_input("12/2030", TODAY).is_valid());
    assert_eq!(format_expiry_input("1225"), "12/25");
    assert_eq!(format_expiry_input("12"), "12/");
    assert_eq!(format_expiry_deletion("12"), "12");
}

#[wasm_bindgen_test]
fn card_code_rules() {
    assert!(CardCode::parse("1234", Some(Brand::Amex)).is_ok());
    assert_eq!(
        CardCode::parse("123", Some(Brand::Amex))
            .err()
            .map(|e| e.code),
        Some("card_code.length")
    );
    assert_eq!(
        check_card_code_input("123", Some(Brand::Amex)),
        FieldState::Incomplete
    );
    assert_eq!(
        check_card_code_input("1234", Some(Brand::Visa))
            .error()
            .map(|e| e.code),
        Some("card_code.length")
    );
    let Ok(c) = CardCode::parse("987", None) else {
        unreachable!("valid code")
    };
    assert_eq!(format!("{c:?}"), "CardCode(***)");
}

#[wasm_bindgen_test]
fn money_rules() {
    assert_eq!(
        Amount::parse_positive("12.3").map(|a| a.to_string()),
        Ok("12.30".to_owned())
    );
    for bad in ["12.345", "-1", "1e3", " 12", "", "NaN", "12.", ".5", "0"] {
        assert!(Amount::parse_positive(bad).is_err(), "{bad:?}");
    }
    assert_eq!(Amount::MAX.to_string(), "99999999.99");
}

#[wasm_bindgen_test]
fn address_rules() {
    assert_eq!(
        validate_zip("462821234", "US", true),
        Ok(Some("46282-1234".to_owned()))
    );
    assert_eq!(
        validate_zip("K1A 0B6", "US", true).err().map(|e| e.code),
        Some("zip.format")
    );
    let req = AddressRequirements {
        require_address: true,
        require_zip: true,
        require_name: true,
    };
    let codes: Vec<&str> = validate_billing(&BillingInput::default(), &req)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(
        codes,
        [
            "first_name.required",
            "last_name.required",
            "address.required",
            "zip.required"
        ]
    );
}

#[wasm_bindgen_test]
fn whole_form_and_redaction() {
    let form = CardForm {
        number: "3700 000000 00002".into(),
        expiry: "03/30".into(),
        card_code: "1234".into(),
        billing: BillingInput {
            zip: "46282".into(),
            ..BillingInput::default()
        },
    };
    let policy = CardFormPolicy {
        card_code: CardCodePolicy::Required,
        ..CardFormPolicy::default()
    };
    let valid = validate_card_form(&form, &policy, TODAY);
    let shown = format!("{valid:?} {form:?}");
    assert!(valid.is_ok(), "{shown}");
    assert!(!shown.contains("370000000000002"), "{shown}");
    assert!(!shown.contains("1234"), "{shown}");
    assert!(shown.contains("****0002"), "{shown}");
}

#[wasm_bindgen_test]
fn messages_translate_by_code() {
    assert_eq!(message("expiry.past", Locale::En), "This card has expired.");
    assert_eq!(
        message("expiry.past", Locale::Es),
        "Esta tarjeta está vencida."
    );
}
