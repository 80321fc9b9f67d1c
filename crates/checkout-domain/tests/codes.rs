//! Every error code written in the source is in the message table, with English
//! and Spanish text, so the widget can always translate what the relay sends.

use checkout_domain::{Locale, all_codes, known_code, message};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SOURCES: &[(&str, &str)] = &[
    ("address.rs", include_str!("../src/address.rs")),
    ("card.rs", include_str!("../src/card.rs")),
    ("card_code.rs", include_str!("../src/card_code.rs")),
    ("expiry.rs", include_str!("../src/expiry.rs")),
    ("form.rs", include_str!("../src/form.rs")),
    ("money.rs", include_str!("../src/money.rs")),
];

const PREFIXES: &[&str] = &[
    "card_number.",
    "expiry.",
    "card_code.",
    "first_name.",
    "last_name.",
    "company.",
    "address.",
    "city.",
    "state.",
    "zip.",
    "country.",
    "phone.",
    "email.",
    "amount.",
];

/// String literals that look like error codes (`"prefix.snake_case"`).
fn code_literals(src: &str) -> Vec<&str> {
    src.split('"')
        .skip(1)
        .step_by(2)
        .filter(|lit| {
            PREFIXES.iter().any(|p| lit.starts_with(p))
                && lit
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                && lit.matches('.').count() == 1
                && !lit.ends_with(".rs")
        })
        .collect()
}

#[test]
fn every_code_in_the_source_has_messages() {
    let mut found = 0;
    for (file, src) in SOURCES {
        // Only the library part: test modules use made-up codes on purpose.
        let lib_part = src.split("#[cfg(test)]").next().unwrap_or_default();
        for code in code_literals(lib_part) {
            found += 1;
            assert_eq!(
                known_code(code),
                Some(code),
                "{file}: {code} is not in the table"
            );
            assert_ne!(
                message(code, Locale::En),
                message("no.such", Locale::En),
                "{code}"
            );
            assert_ne!(
                message(code, Locale::Es),
                message("no.such", Locale::Es),
                "{code}"
            );
        }
    }
    assert!(
        found > 40,
        "only {found} codes found: is the scanner broken?"
    );
}

#[test]
fn every_table_code_is_emitted_somewhere() {
    let all: String = SOURCES
        .iter()
        .map(|(_, s)| s.split("#[cfg(test)]").next().unwrap_or_default())
        .collect();
    for code in all_codes() {
        assert!(
            all.contains(&format!("\"{code}\"")),
            "{code} is never emitted"
        );
    }
}
