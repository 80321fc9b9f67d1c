//! Card testing and abuse: a bot trying many cards on one session, or one
//! card per session across many sessions from one address, is throttled with
//! a clear 429 before the gateway is called (the sandbox ledger stops
//! growing); the limits come from configuration; a normal shopper's retries
//! still work.
//!
//! Run: `cargo test -p checkout-e2e --test abuse`.

// Test code: a failed expectation is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use checkout_e2e::leaks::capture_logs;
use checkout_e2e::reliability::{
    self, CARD_CODE, EXPIRY, Gateway, Relay, Reply, billing, card_code_needles, charges_for,
    find_leaks, pay_body, visa,
};
use checkout_relay::config::{Config, Limits, Source};
use serde_json::{Value, json};

/// A pay body the sandbox declines (ZIP 46282 → reason 2): what a card
/// tester sees for most stolen numbers.
fn declined_body(number: &str) -> Value {
    let mut b = billing();
    b["zip"] = json!("46282");
    json!({"payment": {"type": "new_card", "number": number, "expiry": EXPIRY, "card_code": CARD_CODE, "billing": b}})
}

fn assert_clear_429(r: &Reply, mentions: &str) {
    assert_eq!(r.status, 429, "expected a 429: {}", r.text);
    assert_eq!(r.error_code(), "rate_limited", "{}", r.text);
    let message = r.json["error"]["message"].as_str().unwrap_or("");
    assert!(
        message.to_lowercase().contains(mentions),
        "the message should say what was limited ({mentions}): {message}"
    );
    let wait: u64 = r
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(wait >= 1, "a Retry-After header: {:?}", r.headers);
}

fn assert_no_leaks(relay: &Relay, cards: &[String]) {
    let mut needles = cards.to_vec();
    needles.extend(card_code_needles(CARD_CODE));
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
async fn many_cards_on_one_session_are_stopped_before_the_gateway_with_a_clear_429() {
    capture_logs();
    let relay = Relay::start(Gateway::Embedded, |c| {
        c.limits = Limits {
            session_attempts: 5,
            session_per_minute: 10,
            ip_per_minute: 1000,
        };
    })
    .await
    .expect("relay");
    let (id, token) = relay
        .create_session(json!({"amount": "9.99"}))
        .await
        .expect("session");
    let invoice = relay.session(&id).await.expect("view")["invoice_number"]
        .as_str()
        .expect("invoice")
        .to_owned();
    let cards: Vec<String> = (0..25).map(|i| visa(100 + i)).collect();
    let mut declined = 0;
    let mut refused = Vec::new();
    for card in &cards {
        let r = relay.pay(&token, declined_body(card)).await.expect("pay");
        match r.status {
            200 => {
                assert_eq!(r.json["result"], "declined", "{}", r.text);
                assert!(
                    refused.is_empty(),
                    "a gateway call after a refusal: {}",
                    r.text
                );
                declined += 1;
            }
            429 => refused.push(r),
            other => panic!("unexpected {other}: {}", r.text),
        }
    }
    assert_eq!(
        declined, 5,
        "exactly the configured 5 attempts reach the gateway"
    );
    assert_eq!(refused.len(), 20);
    for r in &refused {
        assert_clear_429(r, "attempts");
    }
    let ledger = relay.ledger().await.expect("ledger");
    let tried = ledger
        .iter()
        .filter(|e| e["invoice"] == invoice.as_str())
        .count();
    assert_eq!(tried, 5, "the gateway saw only the allowed attempts");
    assert_eq!(
        relay.session(&id).await.expect("view")["status"],
        "declined"
    );
    assert_no_leaks(&relay, &cards);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_pays_on_one_session_is_throttled_per_minute_before_the_gateway() {
    capture_logs();
    let relay = Relay::start(Gateway::Embedded, |c| {
        c.limits = Limits {
            session_attempts: 1000,
            session_per_minute: 4,
            ip_per_minute: 1000,
        };
    })
    .await
    .expect("relay");
    let (_, token) = relay
        .create_session(json!({"amount": "9.99"}))
        .await
        .expect("session");
    let cards: Vec<String> = (0..12).map(|i| visa(200 + i)).collect();
    let mut statuses = Vec::new();
    let mut last_429 = None;
    for card in &cards {
        let r = relay.pay(&token, declined_body(card)).await.expect("pay");
        statuses.push(r.status);
        if r.status == 429 {
            last_429 = Some(r);
        }
    }
    let reached = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(reached, 4, "statuses: {statuses:?}");
    assert_clear_429(&last_429.expect("a 429"), "attempts");
    assert_eq!(relay.ledger().await.expect("ledger").len(), 4);
    assert_no_leaks(&relay, &cards);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_card_per_session_across_many_sessions_from_one_address_is_throttled_before_the_gateway()
 {
    capture_logs();
    let relay = Relay::start(Gateway::Embedded, |c| {
        c.limits = Limits {
            session_attempts: 5,
            session_per_minute: 10,
            ip_per_minute: 8,
        };
    })
    .await
    .expect("relay");
    let mut cards = Vec::new();
    let mut statuses = Vec::new();
    let mut ledger_sizes = Vec::new();
    let mut refusals = Vec::new();
    for i in 0..30 {
        let (_, token) = relay
            .create_session(json!({"amount": "1.00"}))
            .await
            .expect("session");
        let card = visa(300 + i);
        let r = relay.pay(&token, declined_body(&card)).await.expect("pay");
        statuses.push(r.status);
        if r.status == 429 {
            refusals.push(r);
        }
        ledger_sizes.push(relay.ledger().await.expect("ledger").len());
        cards.push(card);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        8,
        "{statuses:?}"
    );
    assert!(statuses[8..].iter().all(|s| *s == 429), "{statuses:?}");
    for r in &refusals {
        assert_clear_429(r, "network");
    }
    // The ledger stopped growing at the limit.
    assert!(
        ledger_sizes[8..].iter().all(|n| *n == 8),
        "{ledger_sizes:?}"
    );

    // A forged X-Forwarded-For does not buy new budget (the relay does not
    // trust proxies unless told to).
    let (_, token) = relay
        .create_session(json!({"amount": "1.00"}))
        .await
        .expect("session");
    let r = relay
        .http
        .call_with(
            reqwest::Method::POST,
            &format!("{}/widget/v1/session/pay", relay.url),
            Some(&token),
            &[("x-forwarded-for", "203.0.113.7")],
            reliability::Body::Json(declined_body(&visa(399))),
        )
        .await
        .expect("pay");
    assert_clear_429(&r, "network");
    assert_eq!(relay.ledger().await.expect("ledger").len(), 8);
    cards.push(visa(399));
    assert_no_leaks(&relay, &cards);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_come_from_configuration() {
    let env: BTreeMap<String, String> = [
        ("ANET_LIMIT_SESSION_ATTEMPTS", "3"),
        ("ANET_LIMIT_SESSION_PER_MINUTE", "7"),
        ("ANET_LIMIT_IP_PER_MINUTE", "11"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let config = Config::from_source(&Source::new(env).expect("source")).expect("config");
    assert_eq!(
        config.limits,
        Limits {
            session_attempts: 3,
            session_per_minute: 7,
            ip_per_minute: 11,
        }
    );
    for bad in ["0", "-1", "lots"] {
        let env: BTreeMap<String, String> =
            [("ANET_LIMIT_IP_PER_MINUTE".to_owned(), bad.to_owned())]
                .into_iter()
                .collect();
        let e = Config::from_source(&Source::new(env).expect("source")).expect_err(bad);
        assert_eq!(e.var, "ANET_LIMIT_IP_PER_MINUTE");
    }

    // And the configured value is what the relay enforces: 3 attempts.
    capture_logs();
    let relay = Relay::start(Gateway::Embedded, |c| c.limits = config.limits.clone())
        .await
        .expect("relay");
    let (_, token) = relay
        .create_session(json!({"amount": "2.00"}))
        .await
        .expect("session");
    let cards: Vec<String> = (0..5).map(|i| visa(400 + i)).collect();
    let mut statuses = Vec::new();
    for card in &cards {
        statuses.push(
            relay
                .pay(&token, declined_body(card))
                .await
                .expect("pay")
                .status,
        );
    }
    assert_eq!(statuses, vec![200, 200, 200, 429, 429]);
    assert_eq!(relay.ledger().await.expect("ledger").len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_normal_shoppers_retries_still_work_under_the_default_limits() {
    capture_logs();
    let relay = Relay::start(Gateway::Embedded, |c| c.limits = Limits::default())
        .await
        .expect("relay");
    let (id, token) = relay
        .create_session(json!({"amount": "42.00"}))
        .await
        .expect("session");
    let card = visa(500);
    // A typo in the card code: refused by validation, no attempt used.
    for _ in 0..3 {
        let r = relay.pay(&token, pay_body(&card, "7")).await.expect("pay");
        assert_eq!(r.status, 422, "{}", r.text);
    }
    // The wrong ZIP: declined, may retry.
    let r = relay.pay(&token, declined_body(&card)).await.expect("pay");
    assert_eq!(r.json["result"], "declined", "{}", r.text);
    assert_eq!(r.json["can_retry"], true, "{}", r.text);
    // Corrected: approved.
    let r = relay
        .pay(&token, pay_body(&card, CARD_CODE))
        .await
        .expect("pay");
    assert_eq!(r.json["result"], "approved", "{}", r.text);
    let tid = r.json["transaction_id"].clone();
    // A double click afterwards still answers approved, with no new charge.
    for _ in 0..2 {
        let again = relay
            .pay(&token, pay_body(&card, CARD_CODE))
            .await
            .expect("pay");
        assert_eq!(again.status, 200, "{}", again.text);
        assert_eq!(again.json["result"], "approved");
        assert_eq!(again.json["transaction_id"], tid);
    }
    // Other shoppers behind the same address (an office, a carrier NAT) pay too.
    for i in 0..5 {
        let (_, t) = relay
            .create_session(json!({"amount": "5.00"}))
            .await
            .expect("session");
        let r = relay
            .pay(&t, pay_body(&visa(510 + i), CARD_CODE))
            .await
            .expect("pay");
        assert_eq!(r.json["result"], "approved", "{}", r.text);
    }
    let view = relay.session(&id).await.expect("view");
    assert_eq!(view["status"], "approved");
    let ledger = relay.ledger().await.expect("ledger");
    assert_eq!(
        charges_for(&ledger, view["invoice_number"].as_str().expect("invoice")).len(),
        1
    );
    let mut cards: Vec<String> = (0..5).map(|i| visa(510 + i)).collect();
    cards.push(card);
    assert_no_leaks(&relay, &cards);
}
