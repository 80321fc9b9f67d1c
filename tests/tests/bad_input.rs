//! Bad input, table-driven: every row gets a 4xx naming the field (or, for a
//! whole-body problem, the reason) and changes nothing — not the relay's
//! database, not the gateway's ledger. Then the sandbox's own endpoints under
//! hostile bodies, and a property test: arbitrary JSON to every relay POST
//! route never yields a 5xx.
//!
//! Run: `cargo test -p checkout-e2e --test bad_input`.

// Test code: a failed expectation is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use checkout_e2e::leaks::capture_logs;
use checkout_e2e::reliability::{
    self, AMEX_CARD_CODE, Body, CARD_CODE, EXPIRY, Gateway, Recorder, Relay, Reply, SECRET,
    billing, card_code_needles, charges_for, find_leaks, pay_body, visa,
};
use proptest::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

/// Who the request claims to be.
#[derive(Clone)]
enum Auth {
    None,
    Bearer(String),
}

/// One bad request and what its answer must say.
struct Row {
    name: String,
    method: Method,
    url: String,
    auth: Auth,
    body: Body,
    /// The field the error must name (`error.fields[].field`, prefix match).
    field: Option<&'static str>,
    /// Text the error code or message must contain (the reason), lower case.
    reason: &'static str,
    /// Only the gateway can tell (e.g. a void after settlement): the refused
    /// attempt may be recorded, but no session changes and the gateway ledger
    /// stays the same.
    gateway_judged: bool,
}

fn row(name: impl Into<String>, method: Method, url: String, auth: Auth, body: Body) -> Row {
    Row {
        name: name.into(),
        method,
        url,
        auth,
        body,
        field: None,
        reason: "",
        gateway_judged: false,
    }
}

impl Row {
    fn field(mut self, f: &'static str) -> Row {
        self.field = Some(f);
        self
    }
    fn reason(mut self, r: &'static str) -> Row {
        self.reason = r;
        self
    }
    fn judged_by_gateway(mut self) -> Row {
        self.gateway_judged = true;
        self
    }
}

fn raw(content_type: Option<&'static str>, bytes: impl Into<Vec<u8>>) -> Body {
    Body::Raw {
        content_type,
        bytes: bytes.into(),
    }
}

/// Session lines without their `updated_at` (a refused gateway operation
/// may touch it).
fn money_state(snapshot: &[String]) -> Vec<String> {
    snapshot
        .iter()
        .filter(|l| l.starts_with("cs_"))
        .map(|l| {
            l.rsplit_once(' ')
                .map(|(a, _)| a.to_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// Sends every row; returns the number of rows tried. Panics listing every
/// row that broke a rule.
async fn run_table(relay: &Relay, rows: Vec<Row>) -> usize {
    let mut problems = Vec::new();
    let n = rows.len();
    for r in rows {
        let before = relay.db_snapshot().await.expect("db");
        let ledger_before = relay.ledger().await.expect("ledger");
        let bearer = match &r.auth {
            Auth::None => None,
            Auth::Bearer(t) => Some(t.as_str()),
        };
        let reply = match relay
            .http
            .call(r.method.clone(), &r.url, bearer, r.body.clone())
            .await
        {
            Ok(reply) => reply,
            Err(e) => {
                problems.push(format!("{}: no answer: {e:#}", r.name));
                continue;
            }
        };
        if let Some(p) = check_reply(&r, &reply) {
            problems.push(p);
        }
        let after = relay.db_snapshot().await.expect("db");
        let ledger_after = relay.ledger().await.expect("ledger");
        if ledger_after != ledger_before {
            problems.push(format!("{}: the gateway ledger changed", r.name));
        }
        if r.gateway_judged {
            if money_state(&after) != money_state(&before) {
                problems.push(format!(
                    "{}: a session changed: {:?} -> {:?}",
                    r.name,
                    money_state(&before),
                    money_state(&after)
                ));
            }
        } else if after != before {
            problems.push(format!(
                "{}: the database changed: {before:?} -> {after:?}",
                r.name
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {n} rows broke a rule:\n{}",
        problems.len(),
        problems.join("\n")
    );
    n
}

fn check_reply(r: &Row, reply: &Reply) -> Option<String> {
    if !(400..500).contains(&reply.status) {
        return Some(format!(
            "{}: expected a 4xx, got {} {}",
            r.name, reply.status, reply.text
        ));
    }
    let Ok(body) = serde_json::from_value::<checkout_api::ErrorBody>(reply.json.clone()) else {
        return Some(format!("{}: not an ErrorBody: {}", r.name, reply.text));
    };
    if body.error.code.is_empty() || body.error.message.is_empty() {
        return Some(format!("{}: empty code or message: {}", r.name, reply.text));
    }
    if let Some(f) = r.field
        && !body
            .error
            .fields
            .iter()
            .any(|e| e.field.starts_with(f) && !e.code.is_empty() && !e.message.is_empty())
    {
        return Some(format!(
            "{}: the error does not name field {f}: {}",
            r.name, reply.text
        ));
    }
    if !r.reason.is_empty() {
        let text = format!(
            "{} {} {}",
            body.error.code,
            body.error.message,
            body.error
                .fields
                .iter()
                .map(|f| format!("{} {}", f.code, f.message))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .to_lowercase();
        if !text.contains(r.reason) {
            return Some(format!(
                "{}: the reason does not mention {:?}: {}",
                r.name, r.reason, reply.text
            ));
        }
    }
    None
}

fn session_body(extra: Value) -> Value {
    let mut b = json!({"amount": "24.50"});
    if let (Some(o), Value::Object(e)) = (b.as_object_mut(), extra) {
        o.extend(e);
    }
    b
}

fn line_items(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"item_id": format!("SKU{i}"), "name": "Mug", "quantity": "1", "unit_price": "0.50"}))
            .collect(),
    )
}

/// A session paid with `card` (auth_capture or auth_only).
async fn paid_session(relay: &Relay, mode: &str, card: &str) -> (String, String) {
    let (id, token) = relay
        .create_session(json!({"amount": "24.50", "mode": mode}))
        .await
        .expect("session");
    let r = relay
        .pay(&token, pay_body(card, CARD_CODE))
        .await
        .expect("pay");
    assert_eq!(r.json["result"], "approved", "{}", r.text);
    (id, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_merchant_request_gets_a_4xx_naming_the_problem_and_changes_nothing() {
    capture_logs();
    let relay = Relay::start(Gateway::Embedded, |_| {})
        .await
        .expect("relay");
    let other_merchant = Relay::start(Gateway::Embedded, |c| {
        c.merchant_secret = checkout_domain::Secret::new("sk_test_another_merchant_000".into());
    })
    .await
    .expect("second relay");
    let (foreign_id, _) = {
        let r = other_merchant
            .http
            .call(
                Method::POST,
                &format!("{}/v1/sessions", other_merchant.url),
                Some("sk_test_another_merchant_000"),
                Body::Json(json!({"amount": "5.00"})),
            )
            .await
            .expect("foreign session");
        assert_eq!(r.status, 201, "{}", r.text);
        (r.json["id"].as_str().expect("id").to_owned(), ())
    };
    let (authorized, _) = paid_session(&relay, "auth_only", &visa(1)).await;
    let (settled, _) = paid_session(&relay, "auth_capture", &visa(2)).await;
    let r = relay
        .http
        .call(
            Method::POST,
            &format!("{}/_sandbox/settle", relay.sandbox_url),
            None,
            Body::None,
        )
        .await
        .expect("settle");
    assert_eq!(r.status, 200);
    let (open, _) = relay
        .create_session(json!({"amount": "10.00"}))
        .await
        .expect("open");

    let u = |p: &str| format!("{}{p}", relay.url);
    let me = || Auth::Bearer(SECRET.to_owned());
    let post = |name: &str, path: &str, body: Value| {
        row(name, Method::POST, u(path), me(), Body::Json(body))
    };
    let create = |name: &str, body: Value| post(name, "/v1/sessions", body);
    let long = |n: usize| "x".repeat(n);

    let rows = vec![
        create("missing amount", json!({"description": "no amount"})).field("amount").reason("required"),
        create("empty object", json!({})).field("amount"),
        create("extra field", session_body(json!({"colour": "red"}))).field("colour").reason("unknown"),
        create("amount as a number", json!({"amount": 24.5})).field("amount"),
        create("amount as a bool", json!({"amount": true})).field("amount"),
        create("amount as an array", json!({"amount": ["1.00"]})).field("amount"),
        create("amount not a number", json!({"amount": "ten dollars"})).field("amount"),
        create("require_avs as a string", session_body(json!({"require_avs": "yes"}))).field("require_avs"),
        create("mode unknown", session_body(json!({"mode": "charge_twice"}))).field("mode"),
        create("line_items not an array", session_body(json!({"line_items": {"a": 1}}))).field("line_items"),
        create("negative amount", json!({"amount": "-5.00"})).field("amount"),
        create("zero amount", json!({"amount": "0.00"})).field("amount"),
        create("three-decimal amount", json!({"amount": "10.005"})).field("amount"),
        create("huge amount", json!({"amount": "100000000000000.00"})).field("amount"),
        create("amount beyond Decimal", json!({"amount": "1e400"})).field("amount"),
        create("negative tax", session_body(json!({"tax": {"amount": "-1.00"}}))).field("tax"),
        create("tax above total", session_body(json!({"tax": {"amount": "99.00"}}))).field("tax.amount"),
        create("31 line items", session_body(json!({"line_items": line_items(31)}))).field("line_items").reason("30"),
        create("line item quantity zero", session_body(json!({"line_items": [{"item_id": "A", "name": "Mug", "quantity": "0", "unit_price": "1.00"}]}))).field("line_items[0].quantity"),
        create("line item missing name", session_body(json!({"line_items": [{"item_id": "A", "quantity": "1", "unit_price": "1.00"}]}))).field("line_items[0]"),
        create("description 256 chars", session_body(json!({"description": long(256)}))).field("description").reason("255"),
        create("invoice number 21 chars", session_body(json!({"invoice_number": long(21)}))).field("invoice_number"),
        create("po number 26 chars", session_body(json!({"po_number": long(26)}))).field("po_number"),
        create("line item name 32 chars", session_body(json!({"line_items": [{"item_id": "A", "name": long(32), "quantity": "1", "unit_price": "1.00"}]}))).field("line_items[0].name"),
        create("shopper reference 21 chars", session_body(json!({"shopper_reference": long(21)}))).field("shopper_reference"),
        create("shopper reference with spaces", session_body(json!({"shopper_reference": "a b"}))).field("shopper_reference"),
        create("bad shopper email", session_body(json!({"shopper_email": "not-an-email"}))).field("shopper_email"),
        create("offer_save without shopper", session_body(json!({"offer_save": true}))).field("offer_save"),
        create("return_url not http", session_body(json!({"return_url": "javascript:alert(1)"}))).field("return_url"),
        create("description with the AIM delimiter", session_body(json!({"description": "a<|>b"}))).field("description"),
        create("description with a control character", session_body(json!({"description": "a\u{0}b"}))).field("description"),
        row("non-UTF-8 body", Method::POST, u("/v1/sessions"), me(), raw(Some("application/json"), b"{\"amount\": \"1\xff\xfe.00\"}".to_vec())).reason("json"),
        row("truncated JSON", Method::POST, u("/v1/sessions"), me(), raw(Some("application/json"), "{\"amount\": \"1.00\"")).reason("json"),
        row("not JSON at all", Method::POST, u("/v1/sessions"), me(), raw(Some("application/json"), "amount=1.00")).reason("json"),
        row("JSON array body", Method::POST, u("/v1/sessions"), me(), Body::Json(json!([1, 2]))),
        row("JSON null body", Method::POST, u("/v1/sessions"), me(), Body::Json(Value::Null)),
        row("form content type", Method::POST, u("/v1/sessions"), me(), raw(Some("application/x-www-form-urlencoded"), "amount=1.00")).reason("content-type"),
        row("text content type with JSON", Method::POST, u("/v1/sessions"), me(), raw(Some("text/plain"), "{\"amount\": \"1.00\"}")).reason("content-type"),
        row("no content type", Method::POST, u("/v1/sessions"), me(), raw(None, "{\"amount\": \"1.00\"}")).reason("content-type"),
        row("oversize body (200 KB)", Method::POST, u("/v1/sessions"), me(), Body::Json(session_body(json!({"description": long(200 * 1024)})))).reason("large"),
        row("missing secret", Method::POST, u("/v1/sessions"), Auth::None, Body::Json(json!({"amount": "1.00"}))).reason("bearer"),
        row("wrong secret", Method::POST, u("/v1/sessions"), Auth::Bearer("sk_test_guessed_secret_00000".into()), Body::Json(json!({"amount": "1.00"}))).reason("not valid"),
        row("empty bearer", Method::POST, u("/v1/sessions"), Auth::Bearer(String::new()), Body::Json(json!({"amount": "1.00"}))),
        row("another merchant's session", Method::GET, u(&format!("/v1/sessions/{foreign_id}")), me(), Body::None).reason("not found"),
        post("capture another merchant's session", &format!("/v1/sessions/{foreign_id}/capture"), json!({})).reason("not found"),
        row("unknown session id", Method::GET, u("/v1/sessions/cs_000000000000000000000000"), me(), Body::None).reason("not found"),
        row("session id with odd characters", Method::GET, u("/v1/sessions/..%2F..%2Fetc"), me(), Body::None),
        row("wrong secret on a real session", Method::GET, u(&format!("/v1/sessions/{open}")), Auth::Bearer("sk_test_guessed_secret_00000".into()), Body::None),
        post("capture above authorized", &format!("/v1/sessions/{authorized}/capture"), json!({"amount": "24.51"})).field("amount").reason("authorized"),
        post("capture of zero", &format!("/v1/sessions/{authorized}/capture"), json!({"amount": "0.00"})).field("amount"),
        post("capture with three decimals", &format!("/v1/sessions/{authorized}/capture"), json!({"amount": "1.005"})).field("amount"),
        post("capture with an extra field", &format!("/v1/sessions/{authorized}/capture"), json!({"amount": "1.00", "force": true})).field("force"),
        post("capture of an auth_capture payment", &format!("/v1/sessions/{settled}/capture"), json!({})).reason("capture"),
        post("capture of an unpaid session", &format!("/v1/sessions/{open}/capture"), json!({})).reason("open"),
        post("refund above captured", &format!("/v1/sessions/{settled}/refunds"), json!({"amount": "24.51"})).field("amount").reason("refund"),
        post("refund of a negative amount", &format!("/v1/sessions/{settled}/refunds"), json!({"amount": "-1.00"})).field("amount"),
        post("refund of an uncaptured authorization", &format!("/v1/sessions/{authorized}/refunds"), json!({})).reason("void"),
        post("refund of an unpaid session", &format!("/v1/sessions/{open}/refunds"), json!({})),
        post("void with an amount", &format!("/v1/sessions/{settled}/void"), json!({"amount": "1.00"})).field("amount"),
        post("void after settlement", &format!("/v1/sessions/{settled}/void"), json!({})).reason("settled").judged_by_gateway(),
        post("void of an unpaid session", &format!("/v1/sessions/{open}/void"), json!({})),
    ];
    let tried = run_table(&relay, rows).await;
    assert!(tried >= 60);

    let needles: Vec<String> = (1..=2).map(visa).collect();
    let mut hay = reliability::sqlite_files(&relay.db_path);
    hay.push(reliability::captured_logs());
    hay.extend(
        relay
            .http
            .received()
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("response #{i}"), b.into_bytes())),
    );
    let hits = find_leaks(&hay, &needles);
    assert!(hits.is_empty(), "{hits:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_widget_request_gets_a_4xx_naming_the_field_and_charges_nothing() {
    capture_logs();
    let relay = Relay::start(Gateway::Embedded, |_| {})
        .await
        .expect("relay");
    let short_lived = Relay::start(Gateway::Embedded, |c| c.session_ttl_secs = 1)
        .await
        .expect("second relay");
    let (_, foreign_token) = short_lived
        .create_session(json!({"amount": "5.00"}))
        .await
        .expect("foreign session");
    let (open, token) = relay
        .create_session(json!({"amount": "24.50"}))
        .await
        .expect("session");
    let (_, expired_token) = short_lived
        .create_session(json!({"amount": "5.00"}))
        .await
        .expect("short session");
    // The short-lived relay's sessions live one second.
    tokio::time::sleep(Duration::from_millis(2100)).await;

    let pay_url = format!("{}/widget/v1/session/pay", relay.url);
    let t = || Auth::Bearer(token.clone());
    let pay =
        |name: &str, body: Value| row(name, Method::POST, pay_url.clone(), t(), Body::Json(body));
    let card = |number: &str, expiry: &str, code: &str, billing: Value| json!({"payment": {"type": "new_card", "number": number, "expiry": expiry, "card_code": code, "billing": billing}});
    let good = visa(11);
    let mut no_zip = billing();
    no_zip["zip"] = json!("");
    let mut bad_zip = billing();
    bad_zip["zip"] = json!("ABCDE");
    let mut no_address = billing();
    no_address["address"] = json!("");
    let mut tampered = pay_body(&good, CARD_CODE);
    tampered["amount"] = json!("0.01");
    let mut tampered_in_payment = pay_body(&good, CARD_CODE);
    tampered_in_payment["payment"]["amount"] = json!("0.01");
    let mut tampered_tax = pay_body(&good, CARD_CODE);
    tampered_tax["tax"] = json!({"amount": "0.00"});
    let mut tampered_items = pay_body(&good, CARD_CODE);
    tampered_items["line_items"] = line_items(1);

    let rows = vec![
        row("no client token", Method::POST, pay_url.clone(), Auth::None, Body::Json(pay_body(&good, CARD_CODE))).reason("token"),
        row("forged client token", Method::POST, pay_url.clone(), Auth::Bearer("ct_forged0000000000000000000000".into()), Body::Json(pay_body(&good, CARD_CODE))).reason("token"),
        row("merchant secret as client token", Method::POST, pay_url.clone(), Auth::Bearer(SECRET.into()), Body::Json(pay_body(&good, CARD_CODE))).reason("token"),
        row("another relay's client token", Method::POST, pay_url.clone(), Auth::Bearer(foreign_token.clone()), Body::Json(pay_body(&good, CARD_CODE))).reason("token"),
        row("expired client token", Method::POST, format!("{}/widget/v1/session/pay", short_lived.url), Auth::Bearer(expired_token.clone()), Body::Json(pay_body(&good, CARD_CODE))).reason("expired"),
        row("expired client token (render)", Method::GET, format!("{}/widget/v1/session", short_lived.url), Auth::Bearer(expired_token.clone()), Body::None).reason("expired"),
        row("client token 200 chars", Method::GET, format!("{}/widget/v1/session", relay.url), Auth::Bearer(format!("ct_{}", "a".repeat(200))), Body::None).reason("token"),
        pay("card number fails Luhn", card("4111111111111112", EXPIRY, CARD_CODE, billing())).field("card_number"),
        pay("card number too short", card("411111", EXPIRY, CARD_CODE, billing())).field("card_number"),
        pay("card number 20 digits", card("41111111111111111113", EXPIRY, CARD_CODE, billing())).field("card_number"),
        pay("card number with letters", card("4111abcd11111111", EXPIRY, CARD_CODE, billing())).field("card_number"),
        pay("card number empty", card("", EXPIRY, CARD_CODE, billing())).field("card_number"),
        pay("card number unknown brand", card(&reliability::with_check_digit("999999999999999"), EXPIRY, CARD_CODE, billing())).field("card_number"),
        pay("card number as a JSON number", json!({"payment": {"type": "new_card", "number": 4_111_111_111_111_111u64, "expiry": EXPIRY, "card_code": CARD_CODE, "billing": billing()}})).field("payment"),
        pay("expiry in the past", card(&good, "01/2020", CARD_CODE, billing())).field("expiry"),
        pay("expiry month 13", card(&good, "13/2030", CARD_CODE, billing())).field("expiry"),
        pay("expiry not a date", card(&good, "tomorrow", CARD_CODE, billing())).field("expiry"),
        pay("expiry empty", card(&good, "", CARD_CODE, billing())).field("expiry"),
        pay("card code 2 digits", card(&good, EXPIRY, "12", billing())).field("card_code"),
        pay("card code 5 digits", card(&good, EXPIRY, "12345", billing())).field("card_code"),
        pay("card code letters", card(&good, EXPIRY, "abc", billing())).field("card_code"),
        pay("card code missing (required)", card(&good, EXPIRY, "", billing())).field("card_code"),
        pay("3-digit code on an Amex", card("370000000000002", EXPIRY, "123", billing())).field("card_code"),
        pay("4-digit code on a Visa", card(&good, EXPIRY, AMEX_CARD_CODE, billing())).field("card_code"),
        pay("ZIP missing (AVS required)", card(&good, EXPIRY, CARD_CODE, no_zip)).field("billing.zip"),
        pay("ZIP not a US ZIP", card(&good, EXPIRY, CARD_CODE, bad_zip)).field("billing.zip"),
        pay("address missing (AVS required)", card(&good, EXPIRY, CARD_CODE, no_address)).field("billing.address"),
        pay("unknown payment type", json!({"payment": {"type": "bitcoin", "wallet": "x"}})).field("payment"),
        pay("payment missing", json!({"save": true})).field("payment"),
        pay("unknown saved card", json!({"payment": {"type": "saved_card", "payment_method_id": "pm_nope", "card_code": CARD_CODE}})).field("payment_method_id"),
        pay("unknown saved address", {
            let mut b = pay_body(&good, CARD_CODE);
            b["shipping"] = json!({"type": "saved", "address_id": "ad_nope"});
            b
        }).field("shipping.address_id"),
        pay("tampering browser: amount", tampered).field("amount"),
        pay("tampering browser: payment.amount", tampered_in_payment).field("payment"),
        pay("tampering browser: tax", tampered_tax).field("tax"),
        pay("tampering browser: line items", tampered_items).field("line_items"),
        row("form-encoded pay", Method::POST, pay_url.clone(), t(), raw(Some("application/x-www-form-urlencoded"), "number=4111111111111111")).reason("content-type"),
        row("non-UTF-8 pay", Method::POST, pay_url.clone(), t(), raw(Some("application/json"), b"{\"payment\": {\"type\": \"new_card\", \"number\": \"\xff\xff\"}}".to_vec())).reason("json"),
        row("oversize pay (100 KB)", Method::POST, pay_url.clone(), t(), Body::Json(json!({"payment": {"type": "new_card", "number": "4".repeat(100 * 1024)}}))).reason("large"),
    ];
    let tried = run_table(&relay, rows).await;
    assert!(tried >= 38);

    // After all that, an honest pay on the same session is charged the
    // session's amount, once.
    let r = relay
        .pay(&token, pay_body(&good, CARD_CODE))
        .await
        .expect("pay");
    assert_eq!(r.json["result"], "approved", "{}", r.text);
    let view = relay.session(&open).await.expect("view");
    let ledger = relay.ledger().await.expect("ledger");
    let charges = charges_for(&ledger, view["invoice_number"].as_str().expect("invoice"));
    assert_eq!(charges.len(), 1);
    assert_eq!(
        charges[0]["amount"], "24.50",
        "the charge must use the session amount: {}",
        charges[0]
    );
    assert_eq!(view["amount_captured"], "24.50");

    // No typed card number or code anywhere.
    let mut needles = vec![
        good.clone(),
        "4111111111111112".to_owned(),
        "41111111111111111113".to_owned(),
        "370000000000002".to_owned(),
    ];
    needles.extend(card_code_needles(CARD_CODE));
    needles.extend(card_code_needles(AMEX_CARD_CODE));
    needles.extend(card_code_needles("12345"));
    let mut hay = reliability::sqlite_files(&relay.db_path);
    hay.push(reliability::captured_logs());
    hay.extend(
        relay
            .http
            .received()
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("response #{i}"), b.into_bytes())),
    );
    let hits = find_leaks(&hay, &needles);
    assert!(hits.is_empty(), "{hits:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paying_a_finished_session_again_returns_its_outcome_and_charges_nothing() {
    capture_logs();
    let relay = Relay::start(Gateway::Embedded, |_| {})
        .await
        .expect("relay");
    let (approved, token) = paid_session(&relay, "auth_capture", &visa(21)).await;
    let (voided, voided_token) = paid_session(&relay, "auth_capture", &visa(22)).await;
    let r = relay
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{voided}/void"),
            Body::Json(json!({})),
        )
        .await
        .expect("void");
    assert_eq!(r.status, 200, "{}", r.text);
    let ledger_before = relay.ledger().await.expect("ledger");
    let tid = relay.session(&approved).await.expect("view")["transaction_id"].clone();
    for (tok, other_card) in [(&token, visa(23)), (&voided_token, visa(24))] {
        let r = relay
            .pay(tok, pay_body(&other_card, CARD_CODE))
            .await
            .expect("pay");
        assert!(
            r.status == 200 || r.status == 409,
            "a finished session answers its outcome or 409: {} {}",
            r.status,
            r.text
        );
        assert_ne!(r.json["result"], "declined", "{}", r.text);
    }
    let r = relay
        .pay(&token, pay_body(&visa(25), CARD_CODE))
        .await
        .expect("pay");
    if r.status == 200 {
        assert_eq!(r.json["transaction_id"], tid, "{}", r.text);
        assert_eq!(r.json["can_retry"], false);
    }
    assert_eq!(
        relay.ledger().await.expect("ledger"),
        ledger_before,
        "a finished session was charged again"
    );
    assert_eq!(
        relay.session(&voided).await.expect("view")["status"],
        "voided"
    );
}

// ---------------------------------------------------------------------------
// The sandbox under hostile bodies.

const XMLNS: &str = "AnetApi/xml/v1/schema/AnetApiSchema.xsd";

fn auth_xml() -> String {
    format!(
        "<merchantAuthentication><name>{}</name><transactionKey>{}</transactionKey></merchantAuthentication>",
        reliability::LOGIN,
        reliability::TRANSACTION_KEY
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_answers_hostile_bodies_with_gateway_errors_never_a_5xx() {
    capture_logs();
    let relay = Relay::start(Gateway::Embedded, |_| {})
        .await
        .expect("relay");
    // Something in the ledger, to see that nothing is added to it.
    paid_session(&relay, "auth_capture", &visa(31)).await;
    let xml_url = format!("{}/xml/v1/request.api", relay.sandbox_url);
    let aim_url = format!("{}/gateway/transact.dll", relay.sandbox_url);
    let lol = {
        let mut d = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        d.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
        for i in 2..10 {
            let prev = format!("&lol{};", i - 1).repeat(10);
            d.push_str(&format!("<!ENTITY lol{i} \"{prev}\">"));
        }
        d.push_str(&format!(
            "]><getCustomerProfileIdsRequest xmlns=\"{XMLNS}\">{}<refId>&lol9;</refId></getCustomerProfileIdsRequest>",
            auth_xml()
        ));
        d
    };
    let xxe = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><getCustomerProfileIdsRequest xmlns=\"{XMLNS}\">{}<refId>&xxe;</refId></getCustomerProfileIdsRequest>",
        auth_xml()
    );
    let deep_xml = format!(
        "<getCustomerProfileIdsRequest xmlns=\"{XMLNS}\">{}{}{}</getCustomerProfileIdsRequest>",
        auth_xml(),
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let deep_json = format!(
        "{{\"getCustomerProfileIdsRequest\": {{\"refId\": {}1{}}}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let big_xml = |bytes: usize| {
        format!(
            "<createTransactionRequest xmlns=\"{XMLNS}\">{}<refId>{}</refId></createTransactionRequest>",
            auth_xml(),
            "A".repeat(bytes)
        )
    };
    let unknown_fn = format!(
        "<stealMoneyRequest xmlns=\"{XMLNS}\">{}</stealMoneyRequest>",
        auth_xml()
    );
    let unknown_json = json!({"stealMoneyRequest": {"merchantAuthentication": {"name": reliability::LOGIN, "transactionKey": reliability::TRANSACTION_KEY}}}).to_string();
    let form = |extra: &str| {
        format!(
            "x_login={}&x_tran_key={}&x_version=3.1&x_delim_data=TRUE&x_relay_response=FALSE{extra}",
            reliability::LOGIN,
            reliability::TRANSACTION_KEY
        )
    };
    let ct_xml = Some("text/xml");
    let ct_json = Some("application/json");
    let ct_form = Some("application/x-www-form-urlencoded");
    let cases: Vec<(&str, &str, Body, &str)> = vec![
        (
            "XML bomb (entity expansion)",
            &xml_url,
            raw(ct_xml, lol),
            "xml",
        ),
        ("external entity (XXE)", &xml_url, raw(ct_xml, xxe), "xml"),
        (
            "XML nested 100 000 deep",
            &xml_url,
            raw(ct_xml, deep_xml),
            "xml",
        ),
        (
            "JSON nested 100 000 deep",
            &xml_url,
            raw(ct_json, deep_json),
            "json",
        ),
        (
            "1.5 MB XML body (over the API's 1 MB)",
            &xml_url,
            raw(ct_xml, big_xml(1536 * 1024)),
            "xml",
        ),
        (
            "8 MB XML body (over the HTTP limit)",
            &xml_url,
            raw(ct_xml, big_xml(8 * 1024 * 1024)),
            "limit",
        ),
        (
            "invalid XML",
            &xml_url,
            raw(ct_xml, "<createTransactionRequest><merch"),
            "xml",
        ),
        (
            "invalid JSON",
            &xml_url,
            raw(ct_json, "{\"createTransactionRequest\": "),
            "json",
        ),
        (
            "unknown XML function",
            &xml_url,
            raw(ct_xml, unknown_fn),
            "xml",
        ),
        (
            "unknown JSON function",
            &xml_url,
            raw(ct_json, unknown_json),
            "json",
        ),
        (
            "non-UTF-8 XML",
            &xml_url,
            raw(
                ct_xml,
                b"<createTransactionRequest>\xff\xfe</createTransactionRequest>".to_vec(),
            ),
            "xml",
        ),
        ("empty XML body", &xml_url, raw(ct_xml, ""), "xml"),
        (
            "AIM without credentials",
            &aim_url,
            raw(ct_form, "x_type=AUTH_CAPTURE&x_amount=1.00"),
            "aim",
        ),
        (
            "AIM unknown type",
            &aim_url,
            raw(ct_form, form("&x_type=STEAL&x_amount=1.00")),
            "aim",
        ),
        (
            "AIM amount 1e400",
            &aim_url,
            raw(
                ct_form,
                form(&format!(
                    "&x_type=AUTH_CAPTURE&x_amount=1e400&x_card_num={}&x_exp_date=12/31",
                    visa(32)
                )),
            ),
            "aim",
        ),
        (
            "AIM non-UTF-8 form",
            &aim_url,
            raw(ct_form, b"x_login=\xff\xfe&x_type=AUTH_CAPTURE".to_vec()),
            "aim",
        ),
        (
            "AIM 8 MB form",
            &aim_url,
            raw(
                ct_form,
                form(&format!(
                    "&x_type=AUTH_CAPTURE&x_description={}",
                    "A".repeat(8 * 1024 * 1024)
                )),
            ),
            "limit",
        ),
        (
            "AIM 31 line items",
            &aim_url,
            raw(
                ct_form,
                form(&format!(
                    "&x_type=AUTH_CAPTURE&x_amount=1.00&x_card_num={}&x_exp_date=12/31{}",
                    visa(33),
                    "&x_line_item=A<|>B<|>C<|>1<|>1.00<|>N".repeat(31)
                )),
            ),
            "aim",
        ),
    ];
    let ledger_before = relay.ledger().await.expect("ledger");
    let mut problems = Vec::new();
    let n = cases.len();
    for (name, url, body, kind) in cases {
        let reply = match relay.http.call(Method::POST, url, None, body).await {
            Ok(r) => r,
            // Over the HTTP body limit the server may answer 413 and close
            // the connection while the client is still sending.
            Err(e) if kind == "limit" && format!("{e:#}").contains("writing a body") => continue,
            Err(e) => {
                problems.push(format!("{name}: no answer: {e:#}"));
                continue;
            }
        };
        if reply.status >= 500 {
            problems.push(format!(
                "{name}: {} {}",
                reply.status,
                &reply.text[..reply.text.len().min(300)]
            ));
            continue;
        }
        if reply.text.len() > 64 * 1024
            || reply.text.contains("lollol")
            || reply.text.contains("root:")
        {
            problems.push(format!(
                "{name}: the answer expanded or echoed the input ({} bytes)",
                reply.text.len()
            ));
        }
        let is_error = match kind {
            "aim" => reply.status == 200 && reply.text.starts_with('3'),
            "limit" => reply.status == 413,
            _ => {
                reply.status == 413 || (reply.text.contains("Error") && reply.text.contains("E000"))
            }
        };
        if !is_error {
            problems.push(format!(
                "{name}: not a gateway error: {} {}",
                reply.status,
                &reply.text[..reply.text.len().min(300)]
            ));
        }
    }
    // Still alive, nothing added to the ledger.
    let ledger_after = relay.ledger().await.expect("the sandbox still answers");
    assert_eq!(
        ledger_after, ledger_before,
        "a hostile body changed the ledger"
    );
    assert!(
        problems.is_empty(),
        "{} of {n} hostile bodies mishandled:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Property: arbitrary JSON to every relay POST route never yields a 5xx.

fn keys() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "amount",
            "mode",
            "payment",
            "type",
            "number",
            "expiry",
            "card_code",
            "billing",
            "zip",
            "address",
            "country",
            "line_items",
            "tax",
            "freight",
            "duty",
            "save",
            "shipping",
            "payment_method_id",
            "address_id",
            "quantity",
            "unit_price",
            "item_id",
            "name",
            "invoice_number",
            "shopper_reference",
            "shopper_email",
            "offer_save",
            "require_avs",
            "return_url",
            "description",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{1,12}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,24}".prop_map(Value::String),
        prop::sample::select(vec![
            "10.00",
            "-1.00",
            "0",
            "0.001",
            "1e999",
            "99999999999999999999.99",
            "4111111111111111",
            "new_card",
            "saved_card",
            "new",
            "saved",
            "auth_only",
            "auth_capture",
            "12/30",
            "737",
            "46282",
            "",
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys(), inner, 0..7)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn arbitrary_json_bodies_to_every_relay_post_route_never_yield_a_5xx() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (relay, routes, token) = rt.block_on(async {
        capture_logs();
        let relay = Relay::start(Gateway::Embedded, |_| {})
            .await
            .expect("relay");
        let (authorized, _) = paid_session(&relay, "auth_only", &visa(41)).await;
        let (approved, _) = paid_session(&relay, "auth_capture", &visa(42)).await;
        let (_, token) = relay
            .create_session(json!({"amount": "3.00"}))
            .await
            .expect("session");
        let routes = vec![
            "/v1/sessions".to_owned(),
            format!("/v1/sessions/{authorized}/capture"),
            format!("/v1/sessions/{authorized}/void"),
            format!("/v1/sessions/{approved}/refunds"),
            "/widget/v1/session/pay".to_owned(),
        ];
        (relay, routes, token)
    });
    let http = Recorder::new();
    let mut config = ProptestConfig::with_cases(400);
    config.failure_persistence = None;
    let tried = std::cell::Cell::new(0u32);
    proptest!(config, |(route in prop::sample::select(routes.clone()), body in json_value())| {
        let bearer = if route.starts_with("/widget") { token.clone() } else { SECRET.to_owned() };
        let url = format!("{}{route}", relay.url);
        let reply = rt.block_on(http.call(Method::POST, &url, Some(&bearer), Body::Json(body.clone())));
        let reply = reply.map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
        tried.set(tried.get() + 1);
        prop_assert!(reply.status < 500, "POST {} {} -> {} {}", route, body, reply.status, reply.text);
        if reply.status >= 400 {
            prop_assert!(
                serde_json::from_value::<checkout_api::ErrorBody>(reply.json.clone()).is_ok(),
                "4xx without an ErrorBody: {}", reply.text
            );
        }
    });
    assert!(tried.get() >= 400);
    drop(relay);
}
