//! Leaks: every flow the relay has (approve, decline, save card, pay with a
//! saved card, capture, void, refund, gateway faults on AIM and on the XML
//! API, card-testing refusals, bad input carrying card digits), then a scan
//! of every log line, the SQLite file (and a `pg_dump` of a PostgreSQL
//! database when `TEST_DATABASE_URL` is set), and every HTTP response body
//! for the card numbers and card codes used: 0 hits. And the merchant's
//! Transaction Key appears in no response or asset.
//!
//! Run: `cargo test -p checkout-e2e --test leaks`
//! (with PostgreSQL: `cargo xtask with-pg cargo test -p checkout-e2e --test leaks`).

// Test code: a failed expectation is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use checkout_e2e::leaks::capture_logs;
use checkout_e2e::reliability::{
    self, AMEX_CARD_CODE, Body, CARD_CODE, EXPIRY, Gateway, Relay, billing, card_code_needles,
    find_leaks, pay_body, visa,
};
use reqwest::Method;
use serde_json::{Value, json};

const CANARY_KEY: &str = "CanaryTxnKey4821";

/// Every card number typed, valid or not, and every card code.
struct Typed {
    numbers: Vec<String>,
    codes: Vec<&'static str>,
}

fn card(number: &str, code: &str, billing: Value) -> Value {
    json!({"payment": {"type": "new_card", "number": number, "expiry": EXPIRY, "card_code": code, "billing": billing}})
}

/// Runs every flow once against `relay`; returns what was typed.
async fn every_flow(relay: &Relay) -> Typed {
    let mut typed = Typed {
        numbers: Vec::new(),
        codes: vec![CARD_CODE, AMEX_CARD_CODE, "901"],
    };
    let mut use_card = |n: String| {
        typed.numbers.push(n.clone());
        n
    };

    // New card, approved, saved for a returning shopper (the number goes to CIM).
    let (_, t) = relay
        .create_session(json!({"amount": "12.00", "shopper_reference": "leak-shopper", "shopper_email": "leak@example.com", "offer_save": true}))
        .await
        .expect("session");
    let mut body = pay_body(&use_card(visa(9001)), CARD_CODE);
    body["save"] = json!(true);
    body["shipping"] = json!({"type": "new", "address": billing()});
    let r = relay.pay(&t, body).await.expect("pay");
    assert_eq!(r.json["result"], "approved", "{}", r.text);

    // Returning shopper: the saved card, card code asked again.
    let (_, t) = relay
        .create_session(
            json!({"amount": "13.00", "shopper_reference": "leak-shopper", "offer_save": true}),
        )
        .await
        .expect("session");
    let w = relay
        .http
        .call(
            Method::GET,
            &format!("{}/widget/v1/session", relay.url),
            Some(&t),
            Body::None,
        )
        .await
        .expect("widget session");
    let pm = w.json["saved_cards"][0]["id"]
        .as_str()
        .expect("a saved card")
        .to_owned();
    let r = relay
        .pay(&t, json!({"payment": {"type": "saved_card", "payment_method_id": pm, "card_code": CARD_CODE}}))
        .await
        .expect("pay saved");
    assert_eq!(r.json["result"], "approved", "{}", r.text);

    // Declines: AVS (ZIP 46282), card code mismatch (901 → N).
    let (_, t) = relay
        .create_session(json!({"amount": "14.00"}))
        .await
        .expect("session");
    let mut b = billing();
    b["zip"] = json!("46282");
    relay
        .pay(&t, card(&use_card(visa(9002)), CARD_CODE, b))
        .await
        .expect("pay");
    relay
        .pay(&t, card(&use_card(visa(9003)), "901", billing()))
        .await
        .expect("pay");
    // Amex with its 4-digit code.
    relay
        .pay(
            &t,
            card(
                &use_card("378282246310005".into()),
                AMEX_CARD_CODE,
                billing(),
            ),
        )
        .await
        .expect("pay");

    // auth_only, partial capture, settlement, partial refund, and a void.
    let (a, t) = relay
        .create_session(json!({"amount": "50.00", "mode": "auth_only"}))
        .await
        .expect("session");
    relay
        .pay(&t, pay_body(&use_card(visa(9004)), CARD_CODE))
        .await
        .expect("pay");
    relay
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{a}/capture"),
            Body::Json(json!({"amount": "30.00"})),
        )
        .await
        .expect("capture");
    relay
        .http
        .call(
            Method::POST,
            &format!("{}/_sandbox/settle", relay.sandbox_url),
            None,
            Body::None,
        )
        .await
        .expect("settle");
    relay
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{a}/refunds"),
            Body::Json(json!({"amount": "5.00"})),
        )
        .await
        .expect("refund");
    let (v, t) = relay
        .create_session(json!({"amount": "8.00"}))
        .await
        .expect("session");
    relay
        .pay(&t, pay_body(&use_card(visa(9005)), CARD_CODE))
        .await
        .expect("pay");
    relay
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{v}/void"),
            Body::Json(json!({})),
        )
        .await
        .expect("void");

    // Gateway faults on AIM (resends carry the card again) and on the XML API.
    for (i, kind) in [
        "close_after_commit",
        "truncate",
        "malformed",
        "status_500_after_commit",
    ]
    .into_iter()
    .enumerate()
    {
        relay
            .fault(json!({"endpoint": "aim", "kind": kind, "count": 1}))
            .await
            .expect("fault");
        let (_, t) = relay
            .create_session(json!({"amount": "9.00"}))
            .await
            .expect("session");
        let n = u32::try_from(i).expect("small");
        relay
            .pay(&t, pay_body(&use_card(visa(9010 + n)), CARD_CODE))
            .await
            .expect("pay");
    }
    for kind in ["malformed", "truncate"] {
        relay
            .fault(json!({"endpoint": "xml", "kind": kind, "count": 1}))
            .await
            .expect("fault");
        let (_, t) = relay
            .create_session(
                json!({"amount": "10.00", "shopper_reference": "leak-xml", "offer_save": true}),
            )
            .await
            .expect("session");
        let mut body = pay_body(
            &use_card(visa(9020 + u32::from(kind == "truncate"))),
            CARD_CODE,
        );
        body["save"] = json!(true);
        relay.pay(&t, body).await.expect("pay");
    }
    relay.clear_faults().await.expect("clear");

    // Bad input carrying card digits in every place they could be echoed.
    let (_, t) = relay
        .create_session(json!({"amount": "11.00"}))
        .await
        .expect("session");
    let luhn_fail = use_card("4012888888881882".into());
    let in_expiry = use_card(visa(9030));
    let in_name = use_card(visa(9031));
    let as_number = use_card(visa(9032));
    let unknown_field = use_card(visa(9033));
    let mut named = billing();
    named["first_name"] = json!(in_name);
    let bad_bodies = vec![
        card(&luhn_fail, CARD_CODE, billing()),
        card(&visa(9040), &in_expiry, billing()),
        json!({"payment": {"type": "new_card", "number": visa(9041), "expiry": in_expiry, "card_code": CARD_CODE, "billing": billing()}}),
        card(&visa(9042), CARD_CODE, named),
        json!({"payment": {"type": "new_card", "number": as_number.parse::<u64>().expect("digits"), "expiry": EXPIRY, "card_code": CARD_CODE}}),
        json!({"payment": {"type": "new_card", "number": visa(9043), "expiry": EXPIRY, "card_code": CARD_CODE, "cardNumber": unknown_field}}),
        json!({"payment": {"type": "new_card", "number": visa(9044), "expiry": EXPIRY, "card_code": 737}}),
        json!({"payment": {"type": "new_card", "number": [visa(9045)]}}),
    ];
    for n in 9040..=9045 {
        use_card(visa(n));
    }
    for b in bad_bodies {
        let r = relay.pay(&t, b).await.expect("pay");
        assert!((400..500).contains(&r.status), "{} {}", r.status, r.text);
    }
    // Card testing refusals.
    let (_, t) = relay
        .create_session(json!({"amount": "1.00"}))
        .await
        .expect("session");
    let mut b = billing();
    b["zip"] = json!("46282");
    for i in 0..8 {
        relay
            .pay(&t, card(&use_card(visa(9050 + i)), CARD_CODE, b.clone()))
            .await
            .expect("pay");
    }
    typed
}

fn needles(typed: &Typed) -> Vec<String> {
    let mut n = typed.numbers.clone();
    for c in &typed.codes {
        n.extend(card_code_needles(c));
    }
    n.push(CANARY_KEY.to_owned());
    n
}

async fn relay_with_canary_key(db_url: Option<&str>) -> Relay {
    let tweak = |c: &mut checkout_relay::Config| {
        c.transaction_key = checkout_domain::Secret::new(CANARY_KEY.to_owned());
        c.limits.session_attempts = 5;
    };
    match db_url {
        None => Relay::start(Gateway::Embedded, tweak).await,
        Some(url) => Relay::start_on(url, Gateway::Embedded, tweak).await,
    }
    .expect("relay")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_card_number_or_code_reaches_the_logs_the_sqlite_file_or_any_response() {
    capture_logs();
    let relay = relay_with_canary_key(None).await;
    let typed = every_flow(&relay).await;
    assert!(typed.numbers.len() >= 30);
    let mut hay = reliability::sqlite_files(&relay.db_path);
    assert!(
        !hay.is_empty(),
        "the SQLite file is where the test expects it"
    );
    let logs = reliability::captured_logs();
    assert!(logs.1.len() > 1000, "the logs were captured");
    hay.push(logs);
    let bodies = relay.http.received();
    assert!(bodies.len() > 40);
    hay.extend(
        bodies
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("response #{i}"), b.into_bytes())),
    );
    let hits = find_leaks(&hay, &needles(&typed));
    assert!(hits.is_empty(), "{} leaks: {hits:?}", hits.len());
}

/// The scan itself finds what it looks for: a pay request as the relay
/// receives it, a form the relay sends, a Debug dump.
#[test]
fn the_leak_scan_finds_planted_card_data() {
    let typed = Typed {
        numbers: vec![visa(1)],
        codes: vec![CARD_CODE],
    };
    let n = needles(&typed);
    for planted in [
        pay_body(&visa(1), "000").to_string(),
        format!("x_card_num=0000&x_card_code={CARD_CODE}&x_amount=1.00"),
        json!({"card_code": CARD_CODE}).to_string(),
        format!("transaction key {CANARY_KEY}"),
    ] {
        let hits = find_leaks(&[("planted".into(), planted.clone().into_bytes())], &n);
        assert!(!hits.is_empty(), "missed: {planted}");
    }
    let clean =
        json!({"last4": "1111", "brand": "visa", "message": "card code 737 digits"}).to_string();
    assert!(find_leaks(&[("clean".into(), clean.into_bytes())], &n).is_empty());
}

/// The same flows on PostgreSQL, then a `pg_dump` of that database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_card_number_or_code_reaches_a_postgresql_dump() {
    let Some(base) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("SKIPPED: TEST_DATABASE_URL is not set (cargo xtask test sets it)");
        return;
    };
    use sqlx::Connection;
    capture_logs();
    let name = format!(
        "anet_leaks_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0)
    );
    let mut conn = sqlx::PgConnection::connect(&base).await.expect("postgres");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create database");
    let url = replace_db_name(&base, &name);
    let relay = relay_with_canary_key(Some(&url)).await;
    let typed = every_flow(&relay).await;
    let dump = std::process::Command::new(pg_dump_bin())
        .arg("--no-owner")
        .arg(&url)
        .output()
        .expect("pg_dump");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let text = String::from_utf8_lossy(&dump.stdout).into_owned();
    assert!(
        text.contains("payment_attempts"),
        "the dump holds the relay's tables"
    );
    let mut hay = vec![("pg_dump".to_owned(), dump.stdout)];
    hay.push(reliability::captured_logs());
    hay.extend(
        relay
            .http
            .received()
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("response #{i}"), b.into_bytes())),
    );
    let hits = find_leaks(&hay, &needles(&typed));
    drop(relay);
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await;
    assert!(hits.is_empty(), "{} leaks: {hits:?}", hits.len());
}

fn pg_dump_bin() -> String {
    let p = "/usr/lib/postgresql/15/bin/pg_dump";
    if std::path::Path::new(p).exists() {
        p.to_owned()
    } else {
        "pg_dump".to_owned()
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let scheme_end = url.find("://").map(|i| i + 3).unwrap_or(0);
    let (query_start, query) = match url.find('?') {
        Some(q) => (q, &url[q..]),
        None => (url.len(), ""),
    };
    let head = &url[..query_start];
    let base = match head[scheme_end..].find('/') {
        Some(slash) => &head[..scheme_end + slash],
        None => head,
    };
    format!("{base}/{name}{query}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_transaction_key_appears_in_no_response_or_asset() {
    capture_logs();
    let relay = relay_with_canary_key(None).await;
    // Some traffic first, so /metrics and the session pages have content.
    let (id, t) = relay
        .create_session(json!({"amount": "3.00"}))
        .await
        .expect("session");
    relay
        .pay(&t, pay_body(&visa(9100), CARD_CODE))
        .await
        .expect("pay");
    relay.pay(&t, json!({})).await.expect("bad pay");

    let mut paths: Vec<String> = [
        "/",
        "/checkout.js",
        "/widget",
        "/widget/",
        "/widget/index.html",
        "/openapi.json",
        "/metrics",
        "/healthz",
        "/demo.js",
        "/demo.css",
        "/nope",
        "/widget/../Cargo.toml",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    paths.push(format!("/demo/sessions/{id}"));
    let mut widget_files = 0;
    if let Ok(dir) = std::fs::read_dir(checkout_e2e::widget_dir()) {
        for e in dir.flatten() {
            if let Some(name) = e.file_name().to_str() {
                paths.push(format!("/widget/{name}"));
                widget_files += 1;
            }
        }
    }
    let mut hay = Vec::new();
    let mut served = 0;
    for p in &paths {
        let r = relay
            .http
            .get(&format!("{}{p}", relay.url))
            .await
            .expect("get");
        if r.status == 200 {
            served += 1;
        }
        let headers: String = r
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect();
        hay.push((
            format!("GET {p} ({})", r.status),
            format!("{headers}\n{}", r.text).into_bytes(),
        ));
    }
    assert!(
        served >= 6 + widget_files,
        "the assets were served ({served} of {})",
        paths.len()
    );
    for (i, b) in relay.http.received().into_iter().enumerate() {
        hay.push((format!("response #{i}"), b.into_bytes()));
    }
    let widget = relay
        .http
        .call(
            Method::GET,
            &format!("{}/widget/v1/session", relay.url),
            Some(&t),
            Body::None,
        )
        .await
        .expect("widget session");
    hay.push(("widget session".into(), widget.text.into_bytes()));
    let key_needles = vec![CANARY_KEY.to_owned(), CANARY_KEY.to_lowercase()];
    let hits = find_leaks(&hay, &key_needles);
    assert!(hits.is_empty(), "the Transaction Key leaked: {hits:?}");
    // The merchant secret is not in anything the browser loads either.
    let public: Vec<(String, Vec<u8>)> = hay
        .into_iter()
        .filter(|(n, _)| {
            n.starts_with("GET /widget")
                || n.starts_with("GET /checkout.js")
                || n.starts_with("widget")
        })
        .collect();
    let hits = find_leaks(&public, &[reliability::SECRET.to_owned()]);
    assert!(
        hits.is_empty(),
        "the merchant secret reached a browser asset: {hits:?}"
    );
}
