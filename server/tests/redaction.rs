//! Card numbers and card codes never reach a log line or the database: run
//! the flows with every log level captured, then scan the logs, every row of
//! every table, and (SQLite) the raw database files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;
use sqlx::{Column, Row};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logs() -> &'static Buffer {
    static LOGS: OnceLock<Buffer> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Buffer::default();
        let writer = buf.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
        buf
    })
}

const CARDS: [&str; 3] = ["4111111111111111", "370000000000002", "5424000000000015"];
const CODES: [&str; 3] = ["386", "7319", "642"];

/// `needle` as a token of its own (not inside a longer run of letters or
/// digits), ignoring byte counts that happen to be equal to a card code
/// (`content-length: 386`, `read 386 bytes`) and timings (`elapsed=386.93µs`).
fn standalone_hits(hay: &str, needle: &str) -> usize {
    let bytes = hay.as_bytes();
    let mut n = 0;
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|s| s.find(needle)) {
        let start = from + i;
        let end = start + needle.len();
        let before = start
            .checked_sub(1)
            .and_then(|j| bytes.get(j))
            .is_some_and(u8::is_ascii_alphanumeric);
        let after = bytes.get(end).is_some_and(u8::is_ascii_alphanumeric)
            || (bytes.get(end) == Some(&b'.')
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit));
        let context =
            String::from_utf8_lossy(&bytes[start.saturating_sub(24)..(end + 8).min(bytes.len())])
                .to_lowercase();
        let a_size = ["len", "bytes", "size", "elapsed", "µs", "ms"]
            .iter()
            .any(|w| context.contains(w));
        if !before && !after && !a_size {
            eprintln!("HIT {needle}: …{context}…");
            n += 1;
        }
        from = end;
    }
    n
}

fn scan(what: &str, text: &str) {
    for c in CARDS {
        assert_eq!(text.matches(c).count(), 0, "card number found in {what}");
        let spaced: String = c
            .chars()
            .collect::<Vec<_>>()
            .chunks(4)
            .map(|g| g.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            text.matches(&spaced).count(),
            0,
            "spaced card number found in {what}"
        );
    }
    for code in CODES {
        assert_eq!(
            standalone_hits(text, code),
            0,
            "card code {code} found in {what}"
        );
    }
}

async fn dump_tables(h: &Harness) -> String {
    let mut out = String::new();
    for table in [
        "sessions",
        "payment_attempts",
        "shoppers",
        "saved_cards",
        "saved_addresses",
        "idempotency_keys",
        "audit_log",
    ] {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(h.state.db.pool())
            .await
            .unwrap();
        for r in rows {
            for (i, col) in r.columns().iter().enumerate() {
                let v = r
                    .try_get::<Option<String>, _>(i)
                    .ok()
                    .flatten()
                    .or_else(|| {
                        r.try_get::<Option<i64>, _>(i)
                            .ok()
                            .flatten()
                            .map(|n| n.to_string())
                    })
                    .unwrap_or_default();
                out.push_str(&format!("{table}.{}={v}\n", col.name()));
            }
        }
    }
    out
}

fn card(number: &str, code: &str, zip: &str) -> serde_json::Value {
    new_card(number, code, zip)
}

async fn flows_leave_no_card_data_behind(f: Flavor) {
    let logs = logs();
    let h = Harness::new(f).await;

    // Approve, decline, AVS decline, card-code result, formatted number.
    let (_, t) = h.create_session(order("10.00")).await;
    let (_, v) = h.pay(&t, card("4111 1111 1111 1111", "386", "98004")).await;
    assert_eq!(v["result"], "approved", "{v}");
    let (_, t) = h.create_session(order("11.00")).await;
    let (_, v) = h.pay(&t, card(CARDS[1], CODES[1], "46282")).await;
    assert_eq!(v["result"], "declined", "{v}");
    let (_, v) = h.pay(&t, card(CARDS[1], CODES[1], "46201")).await;
    assert_eq!(v["result"], "declined", "{v}");

    // Bad input that carries the number in the wrong JSON type.
    let mut bad = card(CARDS[0], CODES[0], "98004");
    bad["payment"]["number"] = json!(4111111111111111u64);
    let (s, v) = h.pay(&t, bad).await;
    assert!(s.is_client_error());
    scan("an error response", &v.to_string());
    let (s, v) = h.pay(&t, card("4111111111111112", CODES[0], "98004")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    scan("an error response", &v.to_string());

    // Save a card, pay with it (card code again), under a gateway timeout.
    let (_, t) = h
        .create_session(json!({"amount": "12.00", "shopper_reference": "rita", "offer_save": true, "mode": "auth_only"}))
        .await;
    let mut b = card(CARDS[2], CODES[2], "98004");
    b["save"] = json!(true);
    h.sandbox()
        .set_fault(authnet_sandbox::Fault {
            endpoint: authnet_sandbox::FaultTarget::Aim,
            kind: authnet_sandbox::FaultKind::CloseAfterCommit,
            delay_ms: 0,
            count: Some(1),
        })
        .unwrap();
    let (_, v) = h.pay(&t, b).await;
    assert_eq!(v["result"], "approved", "{v}");
    let pm = h.state.db.list_cards("rita").await.unwrap()[0].id.clone();
    let (id, t) = h
        .create_session(json!({"amount": "13.00", "shopper_reference": "rita", "offer_save": true}))
        .await;
    let (_, v) = h
        .pay(&t, json!({"payment": {"type": "saved_card", "payment_method_id": pm, "card_code": CODES[2]}}))
        .await;
    assert_eq!(v["result"], "approved", "{v}");
    let (s, _) = h
        .merchant(Method::POST, &format!("/v1/sessions/{id}/void"), None)
        .await;
    assert_eq!(s, StatusCode::OK);

    let log_text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(log_text.contains("payment finished"), "logs were captured");
    scan("the logs", &log_text);
    scan("the database rows", &dump_tables(&h).await);
    if let Some(dir) = &h.dir {
        h.state.db.close().await;
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            scan(
                &path.display().to_string(),
                &String::from_utf8_lossy(&bytes),
            );
        }
    }
}

db_tests!(flows_leave_no_card_data_behind);
