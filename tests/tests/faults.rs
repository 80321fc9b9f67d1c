//! Gateway faults: every fault kind of the sandbox, a gateway that is down,
//! and a relay process killed mid-payment — paid once, 50 times at once on
//! one session, and on many sessions at once. After each: every session is
//! in a definite state the merchant API reports, the sandbox ledger holds at
//! most one charge per session, no approved charge is reported as failed,
//! and no card data reached the logs, the database or a response.
//!
//! Run: `cargo test -p checkout-e2e --test faults`.

// Test code: a failed expectation is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::time::Duration;

use checkout_e2e::leaks::capture_logs;
use checkout_e2e::reliability::{
    self, CARD_CODE, Gateway, GatewaySandbox, Relay, RelayProcess, Reply, SECRET,
    card_code_needles, charges_for, find_leaks, pay_body, visa,
};
use serde_json::{Value, json};

/// States a session may be left in: nothing in flight, nothing unknown.
const DEFINITE: &[&str] = &["open", "approved", "authorized", "declined"];

/// One session under test: id, client token, invoice number, the card used.
struct Shop {
    id: String,
    token: String,
    invoice: String,
    card: String,
}

async fn new_session(relay: &Relay, card: String) -> Shop {
    let (id, token) = relay
        .create_session(json!({"amount": "24.50", "description": "Fault drill"}))
        .await
        .expect("create session");
    let invoice = relay.session(&id).await.expect("session")["invoice_number"]
        .as_str()
        .expect("invoice number")
        .to_owned();
    Shop {
        id,
        token,
        invoice,
        card,
    }
}

/// What one scenario did: the sessions and every pay answer per session.
#[derive(Default)]
struct Run {
    shops: Vec<Shop>,
    replies: BTreeMap<String, Vec<Reply>>,
}

/// Pays `shop` `n` times at once with the same card.
async fn pay_concurrently(relay: &Relay, shop: &Shop, n: usize) -> Vec<Reply> {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let http = relay.http.clone();
        let url = format!("{}/widget/v1/session/pay", relay.url);
        let token = shop.token.clone();
        let body = pay_body(&shop.card, CARD_CODE);
        tasks.push(tokio::spawn(async move {
            http.call(
                reqwest::Method::POST,
                &url,
                Some(&token),
                reliability::Body::Json(body),
            )
            .await
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("pay task").expect("pay request"));
    }
    out
}

/// The three shapes of every fault scenario, each on fresh sessions.
async fn single(relay: &Relay, run: &mut Run, card: u32) {
    let shop = new_session(relay, visa(card)).await;
    let replies = pay_concurrently(relay, &shop, 1).await;
    run.replies.insert(shop.id.clone(), replies);
    run.shops.push(shop);
}

async fn fifty_at_once_on_one_session(relay: &Relay, run: &mut Run, card: u32) {
    let shop = new_session(relay, visa(card)).await;
    let replies = pay_concurrently(relay, &shop, 50).await;
    run.replies.insert(shop.id.clone(), replies);
    run.shops.push(shop);
}

async fn many_sessions_at_once(relay: &Relay, run: &mut Run, first_card: u32, sessions: u32) {
    let mut shops = Vec::new();
    for i in 0..sessions {
        shops.push(new_session(relay, visa(first_card + i)).await);
    }
    let mut tasks = Vec::new();
    for shop in &shops {
        // Two pays per session (a double click), all sessions at once.
        let r = relay.http.clone();
        let url = format!("{}/widget/v1/session/pay", relay.url);
        let (token, card) = (shop.token.clone(), shop.card.clone());
        tasks.push(tokio::spawn(async move {
            let a = r.call(
                reqwest::Method::POST,
                &url,
                Some(&token),
                reliability::Body::Json(pay_body(&card, CARD_CODE)),
            );
            let b = r.call(
                reqwest::Method::POST,
                &url,
                Some(&token),
                reliability::Body::Json(pay_body(&card, CARD_CODE)),
            );
            let (a, b) = tokio::join!(a, b);
            vec![a.expect("pay"), b.expect("pay")]
        }));
    }
    for (shop, t) in shops.iter().zip(tasks) {
        run.replies
            .insert(shop.id.clone(), t.await.expect("pay task"));
    }
    run.shops.extend(shops);
}

/// The rules of design.md for every session of `run`; returns how many
/// sessions (charges) were checked.
async fn assert_money_rules(relay: &Relay, run: &Run, settle_within: Duration) -> usize {
    // No pay answer is a server error; concurrent pays get the outcome or 409.
    for (id, replies) in &run.replies {
        for r in replies {
            assert!(
                r.status == 200 || r.status == 409,
                "session {id}: pay answered {} {}",
                r.status,
                r.text
            );
        }
    }
    let ids: Vec<String> = run.shops.iter().map(|s| s.id.clone()).collect();
    let views = relay
        .settled_sessions(&ids, settle_within)
        .await
        .expect("merchant API");
    let ledger = relay.ledger().await.unwrap_or_default();
    for shop in &run.shops {
        let view = &views[&shop.id];
        let status = view["status"].as_str().unwrap_or("?");
        assert!(
            DEFINITE.contains(&status),
            "session {} left {status} (not definite): {view}",
            shop.id
        );
        let charges = charges_for(&ledger, &shop.invoice);
        assert!(
            charges.len() <= 1,
            "session {} charged {} times: {charges:?}",
            shop.id,
            charges.len()
        );
        match charges.first() {
            Some(charge) => {
                let tid = charge["id"].to_string();
                assert_eq!(
                    status, "approved",
                    "session {}: the gateway charged it (transaction {tid}) but the merchant API says {status}",
                    shop.id
                );
                assert_eq!(view["transaction_id"].as_str(), Some(tid.as_str()));
                for r in &run.replies[&shop.id] {
                    if r.status == 200 {
                        let result = r.json["result"].as_str().unwrap_or("?");
                        if let Some(t) = r.json["transaction_id"].as_str() {
                            assert!(
                                t != tid || result == "approved",
                                "approved charge {tid} reported to the shopper as {result}: {}",
                                r.text
                            );
                        }
                        if result == "approved" {
                            assert_eq!(r.json["transaction_id"].as_str(), Some(tid.as_str()));
                        }
                    }
                }
            }
            None => {
                assert!(
                    !matches!(status, "approved" | "authorized"),
                    "session {} reported {status} with no charge in the gateway ledger",
                    shop.id
                );
                for r in &run.replies[&shop.id] {
                    assert_ne!(
                        r.json["result"], "approved",
                        "shopper told approved with nothing charged: {}",
                        r.text
                    );
                }
            }
        }
    }
    // Nothing is pending or uncertain in the relay's own ledger either.
    let snapshot = relay.db_snapshot().await.expect("db");
    for line in &snapshot {
        assert!(
            !(line.starts_with("pa_")
                && (line.ends_with(" pending")
                    || line.ends_with(" uncertain")
                    || line.ends_with(" unresolved"))),
            "relay ledger row left unsettled: {line}"
        );
    }
    run.shops.len()
}

/// No card number or card code in the captured logs, the database, or any
/// response this relay sent.
fn assert_no_card_data(relay: &Relay, run: &Run) {
    let mut needles: Vec<String> = run.shops.iter().map(|s| s.card.clone()).collect();
    needles.extend(card_code_needles(CARD_CODE));
    let mut haystacks = reliability::sqlite_files(&relay.db_path);
    haystacks.push(reliability::captured_logs());
    for (i, body) in relay.http.received().into_iter().enumerate() {
        haystacks.push((format!("response #{i}"), body.into_bytes()));
    }
    let hits = find_leaks(&haystacks, &needles);
    assert!(hits.is_empty(), "card data leaked: {hits:?}");
}

async fn relay_for_faults() -> Relay {
    capture_logs();
    Relay::start(Gateway::Embedded, |c| {
        // The relay's shortest timeout, so that a `delay` fault exceeds it.
        c.gateway_timeout_secs = 1;
    })
    .await
    .expect("relay")
}

/// Runs the three shapes with `fault` installed before each (hitting the
/// first `count` gateway requests), then checks the rules.
async fn drill(kind: &str, delay_ms: u64) -> usize {
    let relay = relay_for_faults().await;
    let mut run = Run::default();
    let fault =
        |count: u32| json!({"endpoint": "aim", "kind": kind, "delay_ms": delay_ms, "count": count});
    relay.fault(fault(1)).await.expect("fault");
    single(&relay, &mut run, 1000).await;
    assert_fault_fired(&relay).await;
    relay.fault(fault(1)).await.expect("fault");
    fifty_at_once_on_one_session(&relay, &mut run, 2000).await;
    assert_fault_fired(&relay).await;
    relay.fault(fault(4)).await.expect("fault");
    many_sessions_at_once(&relay, &mut run, 3000, 8).await;
    assert_fault_fired(&relay).await;
    let checked = assert_money_rules(&relay, &run, Duration::from_secs(40)).await;
    assert_no_card_data(&relay, &run);
    assert_eq!(checked, 10);
    checked
}

/// A counted fault clears itself once it has hit its requests: an empty
/// fault table proves the scenario went through the fault.
async fn assert_fault_fired(relay: &Relay) {
    let r = relay
        .http
        .get(&format!("{}/_sandbox/faults", relay.sandbox_url))
        .await
        .expect("faults");
    assert_eq!(r.json, json!([]), "the fault never fired: {}", r.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_slower_than_the_relay_timeout_charges_once_and_reports_approved() {
    // Committed at once, answered after 1.5 s: the relay (1 s timeout) resends
    // and the gateway's duplicate check returns the original transaction.
    drill("delay", 1500).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_before_processing_charges_once_after_the_resend() {
    drill("status_500", 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_after_commit_charges_once_and_reports_approved() {
    drill("status_500_after_commit", 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_dropped_before_commit_charges_once() {
    drill("close_before_commit", 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_after_commit_charges_once_and_reports_approved() {
    drill("close_after_commit", 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_answer_charges_once_and_reports_approved() {
    drill("truncate", 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_answer_charges_once_and_reports_approved() {
    drill("malformed", 0).await;
}

/// Every send and resend gets no answer (the gateway keeps committing and
/// dropping the connection) until the gateway recovers: the shopper is told
/// the outcome is being confirmed, the session stays `processing` meanwhile,
/// and the background resend settles it to the one charge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_after_commit_on_every_resend_settles_to_one_charge_once_the_gateway_recovers() {
    let relay = relay_for_faults().await;
    let mut run = Run::default();
    relay
        .fault(json!({"endpoint": "aim", "kind": "close_after_commit"}))
        .await
        .expect("fault");
    single(&relay, &mut run, 4000).await;
    let reply = &run.replies[&run.shops[0].id][0];
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_ne!(
        reply.json["result"], "approved",
        "no answer ever came back, yet: {}",
        reply.text
    );
    assert_eq!(
        reply.json["can_retry"], false,
        "the shopper must not pay again: {}",
        reply.text
    );
    // A second pay meanwhile never reaches the gateway a second time.
    let again = pay_concurrently(&relay, &run.shops[0], 5).await;
    run.replies
        .get_mut(&run.shops[0].id)
        .expect("replies")
        .extend(again);
    assert_eq!(
        charges_for(
            &relay.ledger().await.expect("ledger"),
            &run.shops[0].invoice
        )
        .len(),
        1
    );
    relay.clear_faults().await.expect("clear");
    assert_money_rules(&relay, &run, Duration::from_secs(60)).await;
    assert_no_card_data(&relay, &run);
}

/// The gateway's port is closed: nothing is charged, every session is left
/// `open` with a retryable error, and once the gateway is back on that port
/// the shopper's retry pays exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_is_down_charges_nothing_and_a_retry_pays_once_it_is_back() {
    capture_logs();
    let addr = reliability::closed_port().await.expect("port");
    let relay = Relay::start(Gateway::At(format!("http://{addr}")), |_| {})
        .await
        .expect("relay");
    let mut run = Run::default();
    single(&relay, &mut run, 5000).await;
    fifty_at_once_on_one_session(&relay, &mut run, 5100).await;
    many_sessions_at_once(&relay, &mut run, 5200, 8).await;
    for (id, replies) in &run.replies {
        for r in replies {
            assert!(
                r.status == 200 || r.status == 409,
                "{id}: {} {}",
                r.status,
                r.text
            );
            if r.status == 200 {
                assert_eq!(r.json["result"], "error", "{}", r.text);
                assert_eq!(r.json["can_retry"], true, "nothing was sent: {}", r.text);
            }
        }
    }
    let ids: Vec<String> = run.shops.iter().map(|s| s.id.clone()).collect();
    let views = relay
        .settled_sessions(&ids, Duration::from_secs(20))
        .await
        .expect("views");
    for (id, v) in &views {
        assert_eq!(v["status"], "open", "session {id}: {v}");
        assert!(v.get("transaction_id").is_none_or(Value::is_null), "{v}");
    }

    // The gateway comes back on the same address.
    let gateway = GatewaySandbox::start_at(&addr.to_string())
        .await
        .expect("gateway on the same port");
    for shop in &run.shops {
        let r = relay
            .pay(&shop.token, pay_body(&shop.card, CARD_CODE))
            .await
            .expect("retry");
        assert_eq!(r.json["result"], "approved", "{}", r.text);
        run.replies.get_mut(&shop.id).expect("replies").push(r);
    }
    assert_eq!(relay.sandbox_url, gateway.url);
    let checked = assert_money_rules(&relay, &run, Duration::from_secs(20)).await;
    assert_eq!(checked, 10);
    let ledger = relay.ledger().await.expect("ledger");
    for shop in &run.shops {
        assert_eq!(charges_for(&ledger, &shop.invoice).len(), 1);
    }
    assert_no_card_data(&relay, &run);
}

// ---------------------------------------------------------------------------
// The relay as a real process, killed mid-payment and restarted.

struct Proc {
    gateway: GatewaySandbox,
    dir: checkout_e2e::relay::TempDir,
    db_url: String,
    db_path: std::path::PathBuf,
}

impl Proc {
    async fn new() -> Proc {
        let gateway = GatewaySandbox::start().await.expect("gateway");
        let dir = reliability::temp_dir("killed-relay").expect("dir");
        let db_path = dir.0.join("relay.sqlite");
        Proc {
            gateway,
            db_url: format!("sqlite://{}", db_path.display()),
            db_path,
            dir,
        }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        let base = &self.gateway.url;
        vec![
            ("ANET_LISTEN", "127.0.0.1:0".into()),
            ("ANET_GATEWAY", "custom".into()),
            ("ANET_AIM_URL", format!("{base}/gateway/transact.dll")),
            ("ANET_API_URL", format!("{base}/xml/v1/request.api")),
            ("ANET_API_LOGIN_ID", reliability::LOGIN.into()),
            ("ANET_TRANSACTION_KEY", reliability::TRANSACTION_KEY.into()),
            ("ANET_MERCHANT_SECRET", SECRET.into()),
            ("DATABASE_URL", self.db_url.clone()),
            ("ANET_DEMO", "false".into()),
            // Longer than it takes to start every payment, shorter than the
            // gateway's delay below: the kill lands while the relay waits.
            ("ANET_GATEWAY_TIMEOUT_SECS", "6".into()),
            ("ANET_LIMIT_SESSION_ATTEMPTS", "1000".into()),
            ("ANET_LIMIT_SESSION_PER_MINUTE", "100000".into()),
            ("ANET_LIMIT_IP_PER_MINUTE", "100000".into()),
        ]
    }

    fn spawn(&self, tag: &str) -> RelayProcess {
        tokio::task::block_in_place(|| RelayProcess::spawn(&self.env(), &self.dir.0, tag))
            .expect("spawn anet-relay")
    }
}

/// Sessions paid through a spawned relay: one single pay, one session paid 50
/// times at once, and `many` sessions paid at once — all left waiting on a
/// gateway that committed and is slow to answer.
async fn start_payments_mid_flight(
    http: &reliability::Recorder,
    relay_url: &str,
    gateway: &GatewaySandbox,
    many: usize,
) -> (Vec<Shop>, Vec<tokio::task::JoinHandle<()>>) {
    // The gateway commits each charge at once and answers 8 s later.
    gateway
        .sandbox
        .set_fault(
            serde_json::from_value(json!({"endpoint": "aim", "kind": "delay", "delay_ms": 8000}))
                .expect("fault json"),
        )
        .expect("faults enabled");
    let mut shops = Vec::new();
    for i in 0..(2 + many) {
        let r = http
            .call(
                reqwest::Method::POST,
                &format!("{relay_url}/v1/sessions"),
                Some(SECRET),
                reliability::Body::Json(json!({"amount": "31.00"})),
            )
            .await
            .expect("create");
        assert_eq!(r.status, 201, "{}", r.text);
        let id = r.json["id"].as_str().expect("id").to_owned();
        let v = http
            .call(
                reqwest::Method::GET,
                &format!("{relay_url}/v1/sessions/{id}"),
                Some(SECRET),
                reliability::Body::None,
            )
            .await
            .expect("view");
        shops.push(Shop {
            token: r.json["client_token"].as_str().expect("token").to_owned(),
            invoice: v.json["invoice_number"]
                .as_str()
                .expect("invoice")
                .to_owned(),
            id,
            card: visa(7000 + u32::try_from(i).expect("small")),
        });
    }
    let mut tasks = Vec::new();
    for (i, shop) in shops.iter().enumerate() {
        let n = if i == 1 { 50 } else { 1 };
        for _ in 0..n {
            let http = http.clone();
            let url = format!("{relay_url}/widget/v1/session/pay");
            let (token, card) = (shop.token.clone(), shop.card.clone());
            tasks.push(tokio::spawn(async move {
                // The relay dies under this request: an error is expected.
                let _ = http
                    .call(
                        reqwest::Method::POST,
                        &url,
                        Some(&token),
                        reliability::Body::Json(pay_body(&card, CARD_CODE)),
                    )
                    .await;
            }));
        }
    }
    // Mid-call: wait (bounded) until the gateway committed a charge for every session.
    for _ in 0..200 {
        let ledger = gateway.sandbox.ledger();
        let committed = shops
            .iter()
            .filter(|s| ledger.iter().any(|e| e.invoice == s.invoice))
            .count();
        if committed == shops.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (shops, tasks)
}

/// After a restart: every session definite, at most one charge each, the
/// gateway's charge reported as approved, nothing unsettled in the relay.
/// The restarted relay may take a while to settle what it found (bounded).
async fn assert_restart_resolved(proc_: &Proc, relay_url: &str, shops: &[Shop]) {
    let http = reliability::Recorder::new();
    for _ in 0..120 {
        let mut busy = false;
        for shop in shops {
            let v = http
                .call(
                    reqwest::Method::GET,
                    &format!("{relay_url}/v1/sessions/{}", shop.id),
                    Some(SECRET),
                    reliability::Body::None,
                )
                .await
                .expect("view");
            busy |= v.json["status"] == "processing";
        }
        if !busy {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let ledger = reliability::sandbox_ledger(&http, &proc_.gateway.url)
        .await
        .expect("ledger");
    let mut problems = Vec::new();
    for shop in shops {
        let v = http
            .call(
                reqwest::Method::GET,
                &format!("{relay_url}/v1/sessions/{}", shop.id),
                Some(SECRET),
                reliability::Body::None,
            )
            .await
            .expect("view")
            .json;
        let status = v["status"].as_str().unwrap_or("?").to_owned();
        let charges = charges_for(&ledger, &shop.invoice);
        assert!(
            charges.len() <= 1,
            "session {} charged {} times",
            shop.id,
            charges.len()
        );
        if !DEFINITE.contains(&status.as_str()) {
            problems.push(format!(
                "session {} left {status} after restart: {v}",
                shop.id
            ));
        }
        if let Some(c) = charges.first()
            && (status != "approved"
                || v["transaction_id"].as_str() != Some(c["id"].to_string().as_str()))
        {
            problems.push(format!(
                "session {}: gateway charged transaction {} but the merchant API reports {status} / {}",
                shop.id, c["id"], v["transaction_id"]
            ));
        }
    }
    let snapshot = reliability::db_snapshot(&proc_.db_url).await.expect("db");
    for line in &snapshot {
        if line.starts_with("pa_")
            && (line.ends_with(" pending")
                || line.ends_with(" uncertain")
                || line.ends_with(" unresolved"))
        {
            problems.push(format!("relay ledger row left {line}"));
        }
    }
    assert!(
        problems.is_empty(),
        "after restart:\n{}",
        problems.join("\n")
    );
}

fn assert_process_leaked_nothing(
    proc_: &Proc,
    runs: &[&RelayProcess],
    shops: &[Shop],
    http: &reliability::Recorder,
) {
    let mut needles: Vec<String> = shops.iter().map(|s| s.card.clone()).collect();
    needles.extend(card_code_needles(CARD_CODE));
    needles.push(reliability::TRANSACTION_KEY.to_owned());
    let mut haystacks = reliability::sqlite_files(&proc_.db_path);
    for r in runs {
        haystacks.extend(r.output());
    }
    for (i, body) in http.received().into_iter().enumerate() {
        haystacks.push((format!("response #{i}"), body.into_bytes()));
    }
    let hits = find_leaks(&haystacks, &needles);
    assert!(hits.is_empty(), "leaked: {hits:?}");
}

/// SIGKILL while the gateway holds every payment (committed, not yet
/// answered); a new process on the same database must settle every session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_killed_mid_payment_and_restarted_leaves_no_session_uncertain_and_charges_once() {
    let p = Proc::new().await;
    let http = reliability::Recorder::new();
    let mut first = p.spawn("first");
    let (shops, tasks) = start_payments_mid_flight(&http, &first.url, &p.gateway, 6).await;
    tokio::task::block_in_place(|| first.kill()).expect("kill -9");
    for t in tasks {
        let _ = t.await;
    }
    p.gateway.sandbox.clear_faults();
    let second = p.spawn("second");
    assert_restart_resolved(&p, &second.url, &shops).await;
    assert_process_leaked_nothing(&p, &[&first, &second], &shops, &http);
}

/// SIGTERM while payments are in flight: graceful shutdown lets them finish,
/// so the restarted relay reports every charge as approved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_stopped_gracefully_mid_payment_finishes_the_payments_before_exiting() {
    let p = Proc::new().await;
    let http = reliability::Recorder::new();
    let mut first = p.spawn("first");
    let (shops, tasks) = start_payments_mid_flight(&http, &first.url, &p.gateway, 6).await;
    first.signal_term().expect("SIGTERM");
    // The gateway answers again: the relay's resends get the original outcome.
    p.gateway.sandbox.clear_faults();
    let exit = tokio::task::block_in_place(|| first.wait_exit(Duration::from_secs(90)));
    let status = exit.expect("graceful exit");
    assert!(status.success(), "graceful exit: {status}");
    for t in tasks {
        let _ = t.await;
    }
    let second = p.spawn("second");
    assert_restart_resolved(&p, &second.url, &shops).await;
    assert_process_leaked_nothing(&p, &[&first, &second], &shops, &http);
}

/// Concurrent pays while every attempt fails before reaching the gateway:
/// each loser of the race for the session must get the winner's outcome (or
/// a 409), never "this checkout has reached its limit of payment attempts"
/// while attempts are left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_pays_on_a_failing_gateway_are_never_told_the_attempt_limit_was_reached() {
    capture_logs();
    let addr = reliability::closed_port().await.expect("port");
    let relay = Relay::start(Gateway::At(format!("http://{addr}")), |_| {})
        .await
        .expect("relay");
    let mut run = Run::default();
    let mut shops = Vec::new();
    for i in 0..6 {
        shops.push(new_session(&relay, visa(6000 + i)).await);
    }
    // All sessions at once, 50 pays each.
    let answers = futures_join_all(shops.iter().map(|s| pay_concurrently(&relay, s, 50))).await;
    for (shop, replies) in shops.iter().zip(answers) {
        run.replies.insert(shop.id.clone(), replies);
    }
    run.shops = shops;
    let mut wrong = Vec::new();
    for (id, replies) in &run.replies {
        for r in replies {
            if r.status == 429 || !(r.status == 200 || r.status == 409) {
                wrong.push(format!("{id}: {} {}", r.status, r.text));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} concurrent pays got a wrong answer:\n{}",
        wrong.len(),
        run.replies.values().map(Vec::len).sum::<usize>(),
        wrong.join("\n")
    );
    for shop in &run.shops {
        assert_eq!(
            relay.session(&shop.id).await.expect("view")["status"],
            "open"
        );
    }
}

/// Awaits every future concurrently (tokio tasks would need `'static`).
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in pinned.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}
