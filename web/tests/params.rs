//! The iframe URL contract: what the loader puts in `/widget/?…`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use checkout_domain::Locale;
use checkout_widget::params::{WidgetParams, normalize_origin, safe_css_value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn reads_session_origin_locale_and_theme() {
    let p = WidgetParams::from_query(
        "?session=tok_abc&origin=https%3A%2F%2Fshop.example&locale=es-MX&theme=dark\
         &color-primary=%230a7d32&radius=12px&font=Georgia%2C%20serif&color-text=url(x)",
        Some("en-US".into()),
    );
    assert_eq!(p.session, "tok_abc");
    assert_eq!(p.parent_origin.as_deref(), Some("https://shop.example"));
    assert_eq!(p.locale, Locale::Es);
    assert_eq!(p.theme, Some("dark"));
    assert!(p.styles.contains(&("--anet-primary", "#0a7d32".to_owned())));
    assert!(p.styles.contains(&("--anet-radius", "12px".to_owned())));
    assert!(
        p.styles
            .contains(&("--anet-font", "Georgia, serif".to_owned()))
    );
    assert!(
        !p.styles.iter().any(|(k, _)| *k == "--anet-text"),
        "url() is refused"
    );
}

#[wasm_bindgen_test]
fn locale_falls_back_to_the_browser_language() {
    let p = WidgetParams::from_query("?session=t", Some("es-AR".into()));
    assert_eq!(p.locale, Locale::Es);
    let p = WidgetParams::from_query("?session=t", Some("fr-FR".into()));
    assert_eq!(p.locale, Locale::En);
}

#[wasm_bindgen_test]
fn only_a_plain_http_origin_is_a_postmessage_target() {
    assert_eq!(
        normalize_origin("http://127.0.0.1:8080").as_deref(),
        Some("http://127.0.0.1:8080")
    );
    assert_eq!(normalize_origin("https://shop.example/checkout"), None);
    assert_eq!(normalize_origin("*"), None);
    assert_eq!(normalize_origin("null"), None);
    assert_eq!(normalize_origin("javascript:alert(1)"), None);
    let p = WidgetParams::from_query("?session=t&origin=*", None);
    assert_eq!(p.parent_origin, None);
}

#[wasm_bindgen_test]
fn theme_values_are_plain() {
    assert!(safe_css_value("#fff"));
    assert!(safe_css_value("rgb(10, 20, 30)"));
    assert!(safe_css_value("\"Helvetica Neue\", Arial, sans-serif"));
    assert!(!safe_css_value("red; background: url(https://evil)"));
    assert!(!safe_css_value("var(--x)"));
    assert!(!safe_css_value("}body{display:none"));
}
