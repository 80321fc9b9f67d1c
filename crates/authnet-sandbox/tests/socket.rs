//! Over a real socket with reqwest: the accept loop, the connection-dropping
//! faults ("close after commit" really leaves the client without a response
//! while the charge stands), and the binary's start-up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use authnet_proto::aim::AimResponse;
use authnet_sandbox::{Sandbox, SandboxConfig};
use common::{aim_body, sale};

async fn start(config: SandboxConfig) -> (String, Sandbox) {
    let sandbox = Sandbox::new(config);
    let (addr, _task) = authnet_sandbox::serve::spawn("127.0.0.1:0", sandbox.clone())
        .await
        .unwrap();
    (format!("http://{addr}"), sandbox)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn post_aim(base: &str, fields: &[(&str, &str)]) -> reqwest::Result<reqwest::Response> {
    client()
        .post(format!("{base}/gateway/transact.dll"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(aim_body(fields))
        .send()
        .await
}

async fn ledger(base: &str) -> Vec<serde_json::Value> {
    client()
        .get(format!("{base}/_sandbox/ledger"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn set_fault(base: &str, json: &str) {
    let r = client()
        .post(format!("{base}/_sandbox/faults"))
        .header("content-type", "application/json")
        .body(json.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn approves_over_a_real_socket() {
    let (base, _) = start(SandboxConfig::for_tests()).await;
    let resp = post_aim(&base, &sale("AUTH_CAPTURE", "10.00", "S1"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body = resp.bytes().await.unwrap();
    let r = AimResponse::parse(&body, b'|', Some(b'"')).unwrap();
    assert_eq!((r.response_code.as_u8(), r.reason_code), (1, 1));
}

#[tokio::test]
async fn close_after_commit_drops_the_connection_but_the_charge_stands() {
    let (base, _) = start(SandboxConfig::for_tests()).await;
    set_fault(
        &base,
        r#"{"endpoint":"aim","kind":"close_after_commit","count":1}"#,
    )
    .await;
    let mut fields = sale("AUTH_CAPTURE", "25.00", "ONCE-1");
    fields.push(("x_duplicate_window", "600"));
    let err = post_aim(&base, &fields)
        .await
        .expect_err("no response must arrive");
    assert!(!err.is_status(), "{err}");
    let entries = ledger(&base).await;
    assert_eq!(entries.len(), 1, "the transaction was committed");
    let charged_id = entries[0]["id"].to_string();

    // The client resends with the same fields: the duplicate window returns the
    // original result instead of charging twice.
    let body = post_aim(&base, &fields)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let r = AimResponse::parse(&body, b'|', Some(b'"')).unwrap();
    assert_eq!(r.reason_code, 11);
    assert_eq!(r.trans_id, charged_id);
    assert_eq!(ledger(&base).await.len(), 1, "exactly one charge");
}

#[tokio::test]
async fn close_before_commit_drops_the_connection_and_charges_nothing() {
    let (base, _) = start(SandboxConfig::for_tests()).await;
    set_fault(
        &base,
        r#"{"endpoint":"aim","kind":"close_before_commit","count":1}"#,
    )
    .await;
    let err = post_aim(&base, &sale("AUTH_CAPTURE", "25.00", "ONCE-2"))
        .await
        .expect_err("no response");
    assert!(!err.is_status());
    assert!(ledger(&base).await.is_empty());
    // The fault was for one request only.
    let ok = post_aim(&base, &sale("AUTH_CAPTURE", "25.00", "ONCE-2"))
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ledger(&base).await.len(), 1);
}

#[tokio::test]
async fn delay_fault_trips_a_client_timeout_after_commit() {
    let (base, _) = start(SandboxConfig::for_tests()).await;
    set_fault(
        &base,
        r#"{"endpoint":"aim","kind":"delay","delay_ms":800,"count":1}"#,
    )
    .await;
    let short = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = short
        .post(format!("{base}/gateway/transact.dll"))
        .body(aim_body(&sale("AUTH_CAPTURE", "9.00", "SLOW")))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout());
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(
        ledger(&base).await.len(),
        1,
        "the slow request still committed"
    );
}

#[tokio::test]
async fn binary_starts_fast_and_serves() {
    let exe = env!("CARGO_BIN_EXE_anet-sandbox");
    let start = Instant::now();
    let mut child = Command::new(exe)
        .args(["--listen", "127.0.0.1:0", "--enable-control"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    // Keep the pipe open while the child runs (it prints more lines).
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut line).unwrap();
    let elapsed = start.elapsed();
    let url = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let resp = post_aim(&url, &sale("AUTH_CAPTURE", "10.00", "BIN")).await;
    let _ = child.kill();
    let _ = child.wait();
    drop(reader);
    assert!(elapsed < Duration::from_secs(1), "started in {elapsed:?}");
    let body = resp.unwrap().bytes().await.unwrap();
    let r = AimResponse::parse(&body, b'|', Some(b'"')).unwrap();
    assert_eq!(r.reason_code, 1);
}

#[tokio::test]
async fn scheduled_settlement_runs() {
    let (base, _) = start(SandboxConfig {
        settle_every: Some(Duration::from_millis(200)),
        ..SandboxConfig::for_tests()
    })
    .await;
    let resp = post_aim(&base, &sale("AUTH_CAPTURE", "10.00", "SCHED"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let entries = ledger(&base).await;
        if entries[0]["state"] == "settled" {
            assert!(entries[0]["batch_id"].is_number());
            break;
        }
        assert!(Instant::now() < deadline, "not settled: {entries:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
