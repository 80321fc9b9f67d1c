//! The HTTP surface: auth, idempotency, limits, bad input, serving.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};

async fn merchant_api_needs_the_secret_key(f: Flavor) {
    let h = Harness::new(f).await;
    let (s, v, _) = h
        .call(Method::POST, "/v1/sessions", None, Some(order("1.00")), &[])
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    assert_eq!(v["error"]["code"], "unauthorized");
    let (s, _, _) = h
        .call(
            Method::GET,
            "/v1/sessions/cs_x",
            Some("sk_wrong_wrong_wrong"),
            None,
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // A client token is not a merchant key.
    let (_, token) = h.create_session(order("1.00")).await;
    let (s, _, _) = h
        .call(
            Method::POST,
            "/v1/sessions",
            Some(&token),
            Some(order("1.00")),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // And the merchant key does not open the widget API.
    let (s, v, _) = h
        .call(Method::GET, "/widget/v1/session", Some(SECRET), None, &[])
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    let (s, _) = h.merchant(Method::GET, "/v1/sessions/cs_nope", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn idempotency_key_replays_and_refuses_a_different_body(f: Flavor) {
    let h = Harness::new(f).await;
    let body = json!({"amount": "12.00", "invoice_number": "IDEM-1"});
    let hdr = [("idempotency-key", "order-77")];
    let (s1, v1, h1) = h
        .call(
            Method::POST,
            "/v1/sessions",
            Some(SECRET),
            Some(body.clone()),
            &hdr,
        )
        .await;
    assert_eq!(s1, StatusCode::CREATED, "{v1}");
    assert_eq!(h1["idempotent-replayed"], "false");
    let (s2, v2, h2) = h
        .call(Method::POST, "/v1/sessions", Some(SECRET), Some(body), &hdr)
        .await;
    assert_eq!(s2, StatusCode::CREATED);
    assert_eq!(h2["idempotent-replayed"], "true");
    assert_eq!(v1, v2, "same key + body → same answer");
    let (s3, v3, _) = h
        .call(
            Method::POST,
            "/v1/sessions",
            Some(SECRET),
            Some(json!({"amount": "13.00"})),
            &hdr,
        )
        .await;
    assert_eq!(s3, StatusCode::CONFLICT, "{v3}");
    assert_eq!(v3["error"]["code"], "idempotency_key_reused");

    // Capture with a key: the retry does not capture twice.
    let (id, token) = h
        .create_session(json!({"amount": "30.00", "mode": "auth_only"}))
        .await;
    let (_, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(v["result"], "approved", "{v}");
    let path = format!("/v1/sessions/{id}/capture");
    let cap = [("idempotency-key", "cap-1")];
    let (a, va, _) = h
        .call(
            Method::POST,
            &path,
            Some(SECRET),
            Some(json!({"amount": "10.00"})),
            &cap,
        )
        .await;
    let (b, vb, _) = h
        .call(
            Method::POST,
            &path,
            Some(SECRET),
            Some(json!({"amount": "10.00"})),
            &cap,
        )
        .await;
    assert_eq!(a, StatusCode::OK, "{va}");
    assert_eq!(b, StatusCode::OK, "{vb}");
    assert_eq!(va, vb);
    let audit = h.state.db.audit_events(&id).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|(e, _)| e == "capture.approved")
            .count(),
        1
    );
}

async fn attempts_per_session_are_limited_without_a_gateway_call(f: Flavor) {
    let h = Harness::with(f, |c| c.limits.session_attempts = 3).await;
    let (id, token) = h.create_session(order("10.00")).await;
    for i in 0..3 {
        let (s, v) = h.pay(&token, new_card(VISA, "900", "46282")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["result"], "declined");
        // The database's attempt count decides: open while attempts remain.
        let last = i == 2;
        assert_eq!(v["status"], if last { "declined" } else { "open" }, "{v}");
        assert_eq!(v["can_retry"], !last, "{v}");
    }
    assert_eq!(h.session(&id).await["status"], "declined");
    let before = h.ledger().len();
    let (s, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert_eq!(v["error"]["code"], "rate_limited");
    assert!(v["error"]["message"].as_str().unwrap().contains("limit"));
    assert_eq!(h.ledger().len(), before, "no gateway call");
}

async fn attempts_per_client_address_are_limited(f: Flavor) {
    let h = Harness::with(f, |c| c.limits.ip_per_minute = 2).await;
    let mut last = (StatusCode::OK, Value::Null);
    for i in 0..3 {
        let (_, token) = h.create_session(order("10.00")).await;
        last = h.pay(&token, new_card(VISA, "900", "46282")).await;
        if i < 2 {
            assert_eq!(last.0, StatusCode::OK, "{}", last.1);
        }
    }
    assert_eq!(last.0, StatusCode::TOO_MANY_REQUESTS, "{}", last.1);
    assert!(
        last.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("network")
    );
    assert_eq!(h.ledger().len(), 2);
}

/// Each bad input: a 4xx naming the field and reason, and nothing changes.
async fn bad_pay_input_is_refused_field_by_field(f: Flavor) {
    let h = Harness::new(f).await;
    let (id, token) = h.create_session(order("10.00")).await;
    let mut cases: Vec<(Value, &str, &str)> = Vec::new();
    let with = |path: &[&str], value: Value| {
        let mut b = new_card(VISA, "900", "98004");
        let mut cur = &mut b;
        for p in &path[..path.len() - 1] {
            cur = &mut cur[*p];
        }
        cur[path[path.len() - 1]] = value;
        b
    };
    cases.push((
        with(&["payment", "number"], json!("4111111111111112")),
        "card_number",
        "card_number.luhn",
    ));
    cases.push((
        with(&["payment", "number"], json!("")),
        "card_number",
        "card_number.required",
    ));
    cases.push((
        with(&["payment", "expiry"], json!("01/20")),
        "expiry",
        "expiry.past",
    ));
    cases.push((with(&["payment", "expiry"], json!("13/30")), "expiry", ""));
    cases.push((
        with(&["payment", "card_code"], json!("12")),
        "card_code",
        "card_code.length",
    ));
    cases.push((
        with(&["payment", "card_code"], json!("")),
        "card_code",
        "card_code.required",
    ));
    cases.push((
        with(&["payment", "billing", "zip"], json!("ABCDE")),
        "billing.zip",
        "zip.format",
    ));
    cases.push((
        with(&["payment", "billing", "zip"], json!("")),
        "billing.zip",
        "zip.required",
    ));
    cases.push((
        with(&["payment", "billing", "address"], json!("")),
        "billing.address",
        "address.required",
    ));
    cases.push((
        with(&["payment", "number"], json!(4111111111111111u64)),
        "payment",
        "invalid",
    ));
    cases.push((
        with(&["payment", "type"], json!("bitcoin")),
        "payment",
        "unknown_value",
    ));
    cases.push((
        with(&["payment", "surprise"], json!(1)),
        "payment",
        "unknown_field",
    ));
    cases.push((
        json!({"payment": {"type": "saved_card", "payment_method_id": "pm_nope", "card_code": "123"}}),
        "payment_method_id",
        "payment_method.not_found",
    ));
    cases.push((
        {
            let mut b = new_card(VISA, "900", "98004");
            b["shipping"] = json!({"type": "new", "address": {"first_name": "A"}});
            b
        },
        "shipping.",
        "",
    ));
    for (body, field, code) in cases {
        let (s, v) = h.pay(&token, body.clone()).await;
        assert!(s.is_client_error(), "{body} → {s} {v}");
        let fields = v["error"]["fields"].as_array().cloned().unwrap_or_default();
        assert!(
            fields
                .iter()
                .any(|e| e["field"].as_str().unwrap_or("").starts_with(field)
                    && (code.is_empty() || e["code"] == code)),
            "{body} → {v}"
        );
        // Messages never echo the card number.
        assert!(!v.to_string().contains("4111111111111111"), "{v}");
    }
    // Not JSON at all.
    let (s, v, _) = h
        .call(
            Method::POST,
            "/widget/v1/session/pay",
            Some(&token),
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    // Nothing changed.
    let m = h.session(&id).await;
    assert_eq!(m["status"], "open");
    assert!(h.ledger().is_empty());
    assert!(
        h.state
            .db
            .attempts_for_session(&id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn bad_session_input_is_refused_field_by_field(f: Flavor) {
    let h = Harness::new(f).await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "amount"),
        (json!({"amount": "abc"}), "amount"),
        (json!({"amount": "0.00"}), "amount"),
        (json!({"amount": "-1.00"}), "amount"),
        (json!({"amount": "1.001"}), "amount"),
        (json!({"amount": 12.5}), "amount"),
        (json!({"amount": "1.00", "mode": "later"}), "mode"),
        (json!({"amount": "1.00", "offer_save": true}), "offer_save"),
        (
            json!({"amount": "1.00", "shopper_reference": "a b"}),
            "shopper_reference",
        ),
        (
            json!({"amount": "1.00", "invoice_number": "x".repeat(21)}),
            "invoice_number",
        ),
        (
            json!({"amount": "1.00", "tax": {"amount": "2.00"}}),
            "tax.amount",
        ),
        (
            json!({"amount": "1.00", "line_items": [{"item_id": "", "name": "n", "quantity": "1", "unit_price": "1.00"}]}),
            "line_items[0].item_id",
        ),
        (
            json!({"amount": "1.00", "line_items": [{"item_id": "i", "name": "n", "quantity": "-1", "unit_price": "1.00"}]}),
            "line_items[0].quantity",
        ),
        (
            json!({"amount": "1.00", "return_url": "javascript:alert(1)"}),
            "return_url",
        ),
        (
            json!({"amount": "1.00", "shopper_email": "nope"}),
            "shopper_email",
        ),
        (json!({"amount": "1.00", "colour": "red"}), "colour"),
    ];
    for (body, field) in cases {
        let (s, v) = h
            .merchant(Method::POST, "/v1/sessions", Some(body.clone()))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {v}");
        let fields = v["error"]["fields"].as_array().unwrap();
        assert!(fields.iter().any(|e| e["field"] == field), "{body} → {v}");
    }
}

async fn widget_token_is_scoped_and_expires(f: Flavor) {
    let h = Harness::new(f).await;
    let (s, _, _) = h
        .call(
            Method::GET,
            "/widget/v1/session",
            Some("ct_forged"),
            None,
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (id, token) = h.create_session(order("3.00")).await;
    // Expire the session (as time would).
    sqlx::query("UPDATE sessions SET expires_at = 0 WHERE id = $1")
        .bind(&id)
        .execute(h.state.db.pool())
        .await
        .unwrap();
    let (s, v, _) = h
        .call(Method::GET, "/widget/v1/session", Some(&token), None, &[])
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    assert_eq!(v["error"]["code"], "token_expired");
    let (s, _) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(h.session(&id).await["status"], "expired");
    assert!(h.ledger().is_empty());
}

db_tests!(
    merchant_api_needs_the_secret_key,
    idempotency_key_replays_and_refuses_a_different_body,
    attempts_per_session_are_limited_without_a_gateway_call,
    attempts_per_client_address_are_limited,
    bad_pay_input_is_refused_field_by_field,
    bad_session_input_is_refused_field_by_field,
    widget_token_is_scoped_and_expires,
);
