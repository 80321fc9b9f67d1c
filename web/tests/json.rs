//! The widget maps the widget API's JSON with the browser's `JSON` instead of
//! `serde_json` (bundle size). These tests hold that mapping to the
//! `checkout-api` types' serde representation, both ways.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use checkout_api::{
    CardCodeInput, CardNumberInput, ErrorBody, PayRequest, PayResponse, PaymentInput,
    ShippingInput, WidgetSession,
};
use checkout_domain::BillingInput;
use checkout_widget::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn session_decodes_like_serde() {
    let session: WidgetSession = serde_json::from_value(serde_json::json!({
        "amount": "1234.50", "currency": "USD", "merchant_name": "Demo Store",
        "mode": "auth_only", "status": "open", "require_avs": true,
        "require_card_code": false, "offer_save": true, "shopper_known": true,
        "saved_cards": [
            {"id": "pm-1", "brand": "visa", "last4": "1111", "expiry": "12/2030", "expired": false},
            {"id": "pm-2", "last4": "0005", "expiry": "01/2020", "expired": true}
        ],
        "saved_addresses": [{"id": "a-1", "first_name": "Ada", "zip": "98004"}],
        "description": "Order 42"
    }))
    .unwrap();
    let text = serde_json::to_string(&session).unwrap();
    assert_eq!(json::decode_session(&text).unwrap(), session);

    // Optional parts absent.
    let text = r#"{"amount":"5.00","currency":"USD","merchant_name":"M","mode":"auth_capture",
        "status":"approved","require_avs":false,"require_card_code":true,"offer_save":false,
        "shopper_known":false}"#;
    let ours = json::decode_session(text).unwrap();
    let theirs: WidgetSession = serde_json::from_str(text).unwrap();
    assert_eq!(ours, theirs);

    assert!(json::decode_session(r#"{"amount":"-1"}"#).is_err());
    assert!(json::decode_session("not json").is_err());
}

#[wasm_bindgen_test]
fn pay_response_and_errors_decode_like_serde() {
    let response: PayResponse = serde_json::from_value(serde_json::json!({
        "result": "declined", "status": "open", "message_code": "declined.zip",
        "message": "The ZIP code does not match.", "can_retry": true,
        "fields": [{"field": "billing.zip", "code": "zip.mismatch", "message": "Check the ZIP."}]
    }))
    .unwrap();
    let text = serde_json::to_string(&response).unwrap();
    assert_eq!(json::decode_pay_response(&text).unwrap(), response);

    let approved: PayResponse = serde_json::from_value(serde_json::json!({
        "result": "approved", "status": "authorized", "transaction_id": "60001",
        "brand": "amex", "last4": "0005", "message_code": "approved", "message": "ok",
        "can_retry": false
    }))
    .unwrap();
    let text = serde_json::to_string(&approved).unwrap();
    assert_eq!(json::decode_pay_response(&text).unwrap(), approved);

    let body: ErrorBody = serde_json::from_value(serde_json::json!({
        "error": {"code": "validation_failed", "message": "Check the fields.",
                  "fields": [{"field": "card_number", "code": "card_number.luhn", "message": "x"}]}
    }))
    .unwrap();
    let text = serde_json::to_string(&body).unwrap();
    assert_eq!(json::decode_error_body(&text).unwrap(), body);
}

fn same_json(req: &PayRequest) {
    let ours: serde_json::Value =
        serde_json::from_str(&json::encode_pay_request(req).unwrap()).unwrap();
    assert_eq!(ours, serde_json::to_value(req).unwrap());
    // And the relay's deserializer (deny_unknown_fields) takes it back.
    let back: PayRequest = serde_json::from_value(ours).unwrap();
    assert_eq!(&back, req);
}

#[wasm_bindgen_test]
fn pay_request_encodes_like_serde() {
    same_json(&PayRequest {
        payment: PaymentInput::NewCard {
            number: CardNumberInput("4111111111111111".into()),
            expiry: "12/2030".into(),
            card_code: CardCodeInput("123".into()),
            billing: BillingInput {
                first_name: "Ada".into(),
                last_name: "Lovelace".into(),
                address: "1 Main St".into(),
                zip: "46282".into(),
                country: "US".into(),
                ..BillingInput::default()
            },
        },
        shipping: None,
        save: true,
    });
    same_json(&PayRequest {
        payment: PaymentInput::SavedCard {
            payment_method_id: "pm-1".into(),
            card_code: Some(CardCodeInput("1234".into())),
        },
        shipping: Some(ShippingInput::Saved {
            address_id: "a-1".into(),
        }),
        save: false,
    });
    same_json(&PayRequest {
        payment: PaymentInput::SavedCard {
            payment_method_id: "pm-1".into(),
            card_code: None,
        },
        shipping: Some(ShippingInput::New {
            address: BillingInput {
                city: "Bellevue".into(),
                ..BillingInput::default()
            },
        }),
        save: false,
    });
}
