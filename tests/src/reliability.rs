//! Harness for the reliability and security suites (`tests/tests/faults.rs`,
//! `bad_input.rs`, `abuse.rs`, `leaks.rs`, `supply_chain.rs`):
//!
//! - [`Relay`]: the relay in this process on a loopback port, on a fresh
//!   SQLite file, with a configuration the test may adjust (limits, timeouts,
//!   gateway), against the embedded sandbox (control endpoints on) or any
//!   gateway URL;
//! - [`GatewaySandbox`]: a sandbox of its own on a loopback port (faults and
//!   control on), for a relay pointed at it with `ANET_GATEWAY=custom`;
//! - [`RelayProcess`]: the real `anet-relay` binary, spawned and killed;
//! - [`Recorder`]: an HTTP client that keeps every response body it received,
//!   so the leak checks can scan them;
//! - ledger and database checks: charges per invoice, database snapshots.
//!
//! All traffic stays on 127.0.0.1.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use checkout_relay::config::GatewayTarget;
use checkout_relay::{AppState, Config, StartOptions};
use serde_json::{Value, json};

use crate::relay::TempDir;

/// The merchant secret of every relay these suites start.
pub const SECRET: &str = "sk_test_reliability_suite_secret";
/// The sandbox's documented test credentials (what the relay sends it).
pub const LOGIN: &str = authnet_sandbox::DEFAULT_LOGIN;
pub const TRANSACTION_KEY: &str = authnet_sandbox::DEFAULT_TRANSACTION_KEY;
/// The card code every suite types: distinctive, and approved by the sandbox
/// (any code other than its 900-906 test values answers `P`).
pub const CARD_CODE: &str = "737";
pub const AMEX_CARD_CODE: &str = "7373";
/// A well-formed expiry in the future.
pub const EXPIRY: &str = "12/2031";

/// A Luhn-valid 16-digit Visa number, different for every `n`
/// (`411111` + `n` padded to 9 digits + check digit).
pub fn visa(n: u32) -> String {
    with_check_digit(&format!("411111{n:09}"))
}

/// Appends the Luhn check digit to `body` (digits only).
pub fn with_check_digit(body: &str) -> String {
    let mut sum = 0u32;
    // Walking from the right, the digit next to the check digit is doubled.
    for (i, c) in body.bytes().rev().enumerate() {
        let mut d = u32::from(c.saturating_sub(b'0'));
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    let check = (10 - sum % 10) % 10;
    format!("{body}{check}")
}

/// An address that passes AVS in the sandbox (a ZIP with no test meaning →
/// AVS `Y`, approved whatever the merchant's AVS filter).
pub fn billing() -> Value {
    json!({
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address": "1 Main St",
        "city": "Indianapolis",
        "state": "IN",
        "zip": "46250",
        "country": "US"
    })
}

/// A widget pay body with a new card.
pub fn pay_body(number: &str, card_code: &str) -> Value {
    json!({
        "payment": {
            "type": "new_card",
            "number": number,
            "expiry": EXPIRY,
            "card_code": card_code,
            "billing": billing()
        }
    })
}

/// Limits high enough that a fault scenario is never throttled.
pub fn generous_limits() -> checkout_relay::config::Limits {
    checkout_relay::config::Limits {
        session_attempts: 1000,
        session_per_minute: 100_000,
        ip_per_minute: 100_000,
    }
}

/// One HTTP answer, as received.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub text: String,
    pub json: Value,
    /// Response headers, names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// `error.code` of an `ErrorBody`.
    pub fn error_code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("")
    }
    /// A response header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `field` of every entry of `error.fields`.
    pub fn error_fields(&self) -> Vec<String> {
        self.json["error"]["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A request body: none, JSON, or raw bytes with a content type.
#[derive(Debug, Clone)]
pub enum Body {
    None,
    Json(Value),
    Raw {
        content_type: Option<&'static str>,
        bytes: Vec<u8>,
    },
}

/// An HTTP client that keeps every response body (and the request bodies it
/// sent, kept apart) so that the leak checks can scan what crossed the wire.
#[derive(Clone)]
pub struct Recorder {
    http: reqwest::Client,
    received: Arc<Mutex<Vec<String>>>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder {
            http: reqwest::Client::builder()
                .no_proxy()
                .pool_max_idle_per_host(0)
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap_or_default(),
            received: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Every response body received so far.
    pub fn received(&self) -> Vec<String> {
        self.received.lock().map(|v| v.clone()).unwrap_or_default()
    }

    pub async fn call(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        body: Body,
    ) -> Result<Reply> {
        self.call_with(method, url, bearer, &[], body).await
    }

    /// [`Recorder::call`] with extra request headers.
    pub async fn call_with(
        &self,
        method: reqwest::Method,
        url: &str,
        bearer: Option<&str>,
        headers: &[(&str, &str)],
        body: Body,
    ) -> Result<Reply> {
        let mut req = self.http.request(method, url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = bearer {
            req = req.bearer_auth(b);
        }
        req = match body {
            Body::None => req,
            Body::Json(v) => req.json(&v),
            Body::Raw {
                content_type,
                bytes,
            } => {
                let r = match content_type {
                    Some(ct) => req.header(reqwest::header::CONTENT_TYPE, ct),
                    None => req,
                };
                r.body(bytes)
            }
        };
        let r = req
            .send()
            .await
            .with_context(|| format!("request to {url}"))?;
        let status = r.status().as_u16();
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let bytes = r.bytes().await.unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Ok(mut v) = self.received.lock() {
            v.push(text.clone());
        }
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply {
            status,
            text,
            json,
            headers,
        })
    }

    pub async fn get(&self, url: &str) -> Result<Reply> {
        self.call(reqwest::Method::GET, url, None, Body::None).await
    }
}

/// A relay under test (in this process): its URL, state, database file, and
/// the base URL of the sandbox it charges (embedded or separate).
pub struct Relay {
    pub url: String,
    pub sandbox_url: String,
    pub state: AppState,
    pub db_path: PathBuf,
    pub db_url: String,
    pub http: Recorder,
    task: tokio::task::JoinHandle<()>,
    _dir: Option<TempDir>,
}

/// Where a relay under test sends its charges.
#[derive(Debug, Clone)]
pub enum Gateway {
    /// The sandbox inside the relay, control endpoints and faults on.
    Embedded,
    /// A gateway at this base URL (`http://127.0.0.1:PORT`), with the
    /// sandbox's default credentials.
    At(String),
}

fn fresh_dir(tag: &str) -> Result<TempDir> {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("anet-{tag}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(TempDir(dir))
}

/// The base configuration of a relay under test on `db_url`.
pub fn test_config(db_url: &str, gateway: &Gateway) -> Config {
    let mut config = Config::for_tests(db_url, SECRET);
    config.limits = generous_limits();
    config.widget_dir = crate::widget_dir();
    config.loader_fallback =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../web/loader/checkout.js");
    if let Gateway::At(base) = gateway {
        config.gateway = GatewayTarget::Custom {
            aim_url: format!("{base}/gateway/transact.dll"),
            api_url: format!("{base}/xml/v1/request.api"),
        };
        config.api_login_id = LOGIN.to_owned();
        config.transaction_key = checkout_domain::Secret::new(TRANSACTION_KEY.to_owned());
    }
    config
}

impl Relay {
    /// A relay on a fresh SQLite file, `tweak` applied to its configuration.
    pub async fn start(gateway: Gateway, tweak: impl FnOnce(&mut Config)) -> Result<Relay> {
        let dir = fresh_dir("reliability")?;
        let db_path = dir.0.join("relay.sqlite");
        let db_url = format!("sqlite://{}", db_path.display());
        let mut relay = Relay::start_on(&db_url, gateway, tweak).await?;
        relay.db_path = db_path;
        relay._dir = Some(dir);
        Ok(relay)
    }

    /// A relay on an existing database URL.
    pub async fn start_on(
        db_url: &str,
        gateway: Gateway,
        tweak: impl FnOnce(&mut Config),
    ) -> Result<Relay> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let mut config = test_config(db_url, &gateway);
        config.listen = addr;
        tweak(&mut config);
        let state = AppState::start(
            config,
            StartOptions {
                sandbox_test_hooks: true,
            },
        )
        .await
        .context("starting the relay")?;
        let sandbox_url = match &gateway {
            Gateway::Embedded => state
                .embedded_gateway_url()
                .context("embedded sandbox not running")?
                .to_owned(),
            Gateway::At(base) => base.clone(),
        };
        let router = checkout_relay::app(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        Ok(Relay {
            url: format!("http://{addr}"),
            sandbox_url,
            state,
            db_path: PathBuf::new(),
            db_url: db_url.to_owned(),
            http: Recorder::new(),
            task,
            _dir: None,
        })
    }

    /// A merchant API call with the right secret.
    pub async fn merchant(&self, method: reqwest::Method, path: &str, body: Body) -> Result<Reply> {
        self.http
            .call(method, &format!("{}{path}", self.url), Some(SECRET), body)
            .await
    }

    /// `POST /v1/sessions`; returns (session id, client token).
    pub async fn create_session(&self, body: Value) -> Result<(String, String)> {
        let r = self
            .merchant(reqwest::Method::POST, "/v1/sessions", Body::Json(body))
            .await?;
        ensure!(r.status == 201, "create session: {} {}", r.status, r.text);
        let id = r.json["id"].as_str().context("no id")?.to_owned();
        let token = r.json["client_token"]
            .as_str()
            .context("no client_token")?
            .to_owned();
        Ok((id, token))
    }

    /// `GET /v1/sessions/{id}` as JSON.
    pub async fn session(&self, id: &str) -> Result<Value> {
        let r = self
            .merchant(
                reqwest::Method::GET,
                &format!("/v1/sessions/{id}"),
                Body::None,
            )
            .await?;
        ensure!(r.status == 200, "get session {id}: {} {}", r.status, r.text);
        Ok(r.json)
    }

    /// `POST /widget/v1/session/pay` with a client token.
    pub async fn pay(&self, token: &str, body: Value) -> Result<Reply> {
        self.http
            .call(
                reqwest::Method::POST,
                &format!("{}/widget/v1/session/pay", self.url),
                Some(token),
                Body::Json(body),
            )
            .await
    }

    /// Waits (bounded) until no session is `processing`; returns every
    /// session id → its merchant API view.
    pub async fn settled_sessions(
        &self,
        ids: &[String],
        limit: Duration,
    ) -> Result<BTreeMap<String, Value>> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let mut out = BTreeMap::new();
            for id in ids {
                out.insert(id.clone(), self.session(id).await?);
            }
            let busy = out.values().any(|v| v["status"] == "processing");
            if !busy || tokio::time::Instant::now() > deadline {
                return Ok(out);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// The sandbox's ledger.
    pub async fn ledger(&self) -> Result<Vec<Value>> {
        sandbox_ledger(&self.http, &self.sandbox_url).await
    }

    /// Installs a fault on the sandbox this relay charges.
    pub async fn fault(&self, fault: Value) -> Result<()> {
        let r = self
            .http
            .call(
                reqwest::Method::POST,
                &format!("{}/_sandbox/faults", self.sandbox_url),
                None,
                Body::Json(fault),
            )
            .await?;
        ensure!(
            r.status == 200,
            "installing a fault: {} {}",
            r.status,
            r.text
        );
        Ok(())
    }

    pub async fn clear_faults(&self) -> Result<()> {
        let r = self
            .http
            .call(
                reqwest::Method::DELETE,
                &format!("{}/_sandbox/faults", self.sandbox_url),
                None,
                Body::None,
            )
            .await?;
        ensure!(r.status == 200, "clearing faults: {} {}", r.status, r.text);
        Ok(())
    }

    /// Row counts and the money-relevant columns of every table.
    pub async fn db_snapshot(&self) -> Result<Vec<String>> {
        db_snapshot(&self.db_url).await
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `GET /_sandbox/ledger` of the sandbox at `base`.
pub async fn sandbox_ledger(http: &Recorder, base: &str) -> Result<Vec<Value>> {
    let r = http.get(&format!("{base}/_sandbox/ledger")).await?;
    ensure!(r.status == 200, "ledger: {} {}", r.status, r.text);
    Ok(r.json.as_array().cloned().unwrap_or_default())
}

/// Charges (auth_capture / auth_only not declined) in `ledger` for `invoice`.
pub fn charges_for<'a>(ledger: &'a [Value], invoice: &str) -> Vec<&'a Value> {
    ledger
        .iter()
        .filter(|e| e["invoice"] == invoice)
        .filter(|e| matches!(e["type"].as_str(), Some("auth_capture" | "auth_only")))
        .filter(|e| e["state"] != "declined")
        .collect()
}

/// A sandbox on its own loopback port (control and faults on).
pub struct GatewaySandbox {
    pub url: String,
    pub addr: SocketAddr,
    pub sandbox: authnet_sandbox::Sandbox,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl GatewaySandbox {
    pub async fn start() -> Result<GatewaySandbox> {
        GatewaySandbox::start_at("127.0.0.1:0").await
    }

    pub async fn start_at(addr: &str) -> Result<GatewaySandbox> {
        let sandbox = authnet_sandbox::Sandbox::new(authnet_sandbox::SandboxConfig::for_tests());
        let (addr, task) = authnet_sandbox::serve::spawn(addr, sandbox.clone()).await?;
        Ok(GatewaySandbox {
            url: format!("http://{addr}"),
            addr,
            sandbox,
            task,
        })
    }

    /// Stops serving (the port closes).
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for GatewaySandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A loopback port nothing listens on (bound, then released).
pub async fn closed_port() -> Result<SocketAddr> {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = l.local_addr()?;
    drop(l);
    Ok(addr)
}

/// Row counts of every table and the columns that carry money or state.
pub async fn db_snapshot(db_url: &str) -> Result<Vec<String>> {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let mut out = Vec::new();
    let mut conn = sqlx::AnyConnection::connect(db_url).await?;
    for table in [
        "sessions",
        "payment_attempts",
        "shoppers",
        "saved_cards",
        "saved_addresses",
        "idempotency_keys",
        "audit_log",
    ] {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut conn)
            .await?
            .try_get(0)?;
        out.push(format!("{table}: {n}"));
    }
    let rows = sqlx::query(
        "SELECT id, status, attempts, amount_captured, amount_refunded, updated_at FROM sessions ORDER BY id",
    )
    .fetch_all(&mut conn)
    .await?;
    for r in rows {
        let id: String = r.try_get(0)?;
        let status: String = r.try_get(1)?;
        let attempts: i64 = r.try_get(2)?;
        let cap: String = r.try_get(3)?;
        let refd: String = r.try_get(4)?;
        let upd: i64 = r.try_get(5)?;
        out.push(format!("{id} {status} {attempts} {cap} {refd} {upd}"));
    }
    let rows = sqlx::query("SELECT id, state FROM payment_attempts ORDER BY id")
        .fetch_all(&mut conn)
        .await?;
    for r in rows {
        let id: String = r.try_get(0)?;
        let st: String = r.try_get(1)?;
        out.push(format!("{id} {st}"));
    }
    conn.close().await?;
    Ok(out)
}

/// Fails with every occurrence of any `needles` in `haystacks` (name, bytes),
/// naming where; needles are masked in the message.
pub fn find_leaks(haystacks: &[(String, Vec<u8>)], needles: &[String]) -> Vec<String> {
    let mut hits = Vec::new();
    for (name, bytes) in haystacks {
        for n in needles {
            if n.is_empty() {
                continue;
            }
            if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                let masked: String = n
                    .chars()
                    .enumerate()
                    .map(|(i, c)| if i < 2 || i + 2 >= n.len() { c } else { '*' })
                    .collect();
                hits.push(format!("{masked} in {name}"));
            }
        }
    }
    hits
}

/// The key/value spellings of a card code that would be a leak: JSON, form,
/// Debug and XML forms (a bare 3-digit run occurs everywhere).
pub fn card_code_needles(code: &str) -> Vec<String> {
    vec![
        format!("card_code\":\"{code}\""),
        format!("card_code\": \"{code}\""),
        format!("x_card_code={code}"),
        format!("card_code={code}"),
        format!("card_code: \"{code}\""),
        format!("cardCode>{code}<"),
        format!("cardCode\":\"{code}\""),
        format!("CardCode(\"{code}\")"),
        format!("CardCodeInput(\"{code}\")"),
    ]
}

/// The database files next to a SQLite path (file, WAL, shared memory, journal).
pub fn sqlite_files(db_path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = format!("{}{suffix}", db_path.display());
        if let Ok(bytes) = std::fs::read(&p) {
            out.push((p, bytes));
        }
    }
    out
}

/// The captured in-process logs (see [`crate::leaks::capture_logs`]).
pub fn captured_logs() -> (String, Vec<u8>) {
    let logs = crate::leaks::capture_logs();
    let bytes = logs.lock().map(|v| v.clone()).unwrap_or_default();
    ("in-process logs".to_owned(), bytes)
}

/// `pg_dump` of `TEST_DATABASE_URL` when it is set (plain SQL text).
pub fn pg_dump() -> Result<Option<(String, Vec<u8>)>> {
    let Some(url) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return Ok(None);
    };
    let bin = ["/usr/lib/postgresql/15/bin/pg_dump", "pg_dump"]
        .into_iter()
        .find(|b| !b.contains('/') || Path::new(b).exists())
        .unwrap_or("pg_dump");
    let out = Command::new(bin)
        .arg("--no-owner")
        .arg(&url)
        .output()
        .with_context(|| format!("running {bin}"))?;
    ensure!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(Some((
        "pg_dump of TEST_DATABASE_URL".to_owned(),
        out.stdout,
    )))
}

/// The `anet-relay` binary: `$ANET_RELAY_BIN`, else next to this test binary
/// (`target/debug/anet-relay`, built by `cargo test --workspace`) when it is
/// newer than the relay's sources, else built into a target directory of its
/// own (the shared one is locked by the running `cargo test`).
pub fn relay_binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("ANET_RELAY_BIN") {
        return Ok(PathBuf::from(p));
    }
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let sources = newest_source(&workspace);
    let exe = std::env::current_exe()?;
    // target/debug/deps/<test> → target/debug/anet-relay
    if let Some(debug) = exe.parent().and_then(Path::parent) {
        let candidate = debug.join("anet-relay");
        let built = std::fs::metadata(&candidate)
            .and_then(|m| m.modified())
            .ok();
        if built.is_some_and(|b| sources.is_none_or(|s| b >= s)) {
            return Ok(candidate);
        }
    }
    // One build per test process, however many tests ask at once.
    static BUILD: Mutex<()> = Mutex::new(());
    let _one_at_a_time = BUILD.lock();
    let target = workspace.join("target").join("reliability-relay");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "-p", "checkout-relay", "--bin", "anet-relay"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&workspace)
        .status()
        .context("running cargo build for anet-relay")?;
    ensure!(
        status.success(),
        "cargo build -p checkout-relay --bin anet-relay failed"
    );
    Ok(target.join("debug").join("anet-relay"))
}

/// The newest modification time among the relay's and its libraries' sources.
fn newest_source(workspace: &Path) -> Option<std::time::SystemTime> {
    fn walk(dir: &Path, newest: &mut Option<std::time::SystemTime>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, newest);
            } else if let Ok(t) = e.metadata().and_then(|m| m.modified())
                && newest.is_none_or(|n| t > n)
            {
                *newest = Some(t);
            }
        }
    }
    let mut newest = None;
    for d in [
        "server/src",
        "server/migrations",
        "crates/checkout-domain/src",
        "crates/checkout-api/src",
        "crates/authnet-proto/src",
        "crates/authnet-sandbox/src",
    ] {
        walk(&workspace.join(d), &mut newest);
    }
    newest
}

/// A spawned `anet-relay` process; stdout and stderr go to files that the
/// leak checks read.
pub struct RelayProcess {
    pub url: String,
    child: Child,
    pub stdout_path: PathBuf,
    pub stderr_path: PathBuf,
}

impl RelayProcess {
    /// Spawns the relay with `env` (on top of a clean environment: PATH only)
    /// and waits (bounded) for it to print its address.
    pub fn spawn(env: &[(&str, String)], log_dir: &Path, tag: &str) -> Result<RelayProcess> {
        let bin = relay_binary()?;
        let stdout_path = log_dir.join(format!("{tag}.stdout"));
        let stderr_path = log_dir.join(format!("{tag}.stderr"));
        let mut cmd = Command::new(&bin);
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env(
                "RUST_LOG",
                "debug,sqlx=warn,hyper=info,reqwest=info,h2=info",
            )
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout_path)?)
            .stderr(std::fs::File::create(&stderr_path)?);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .with_context(|| format!("spawning {}", bin.display()))?;
        for _ in 0..600 {
            let out = std::fs::read_to_string(&stdout_path).unwrap_or_default();
            if let Some(rest) = out.split("merchant API at ").nth(1) {
                let url = rest
                    .split("/v1")
                    .next()
                    .context("unexpected start-up line")?
                    .to_owned();
                return Ok(RelayProcess {
                    url,
                    child,
                    stdout_path,
                    stderr_path,
                });
            }
            if let Some(status) = child.try_wait()? {
                bail!(
                    "anet-relay exited early ({status}): {}",
                    std::fs::read_to_string(&stderr_path).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        bail!("anet-relay did not print its address within 30 s")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: a crash, nothing finishes.
    pub fn kill(&mut self) -> Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }

    /// Sends SIGTERM (graceful shutdown) without waiting.
    pub fn signal_term(&self) -> Result<()> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        ensure!(status.success(), "kill -TERM failed");
        Ok(())
    }

    /// Waits (bounded) for the process to exit; kills it after `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> Result<std::process::ExitStatus> {
        let steps = limit.as_millis() / 50;
        for _ in 0..steps {
            if let Some(s) = self.child.try_wait()? {
                return Ok(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill()?;
        bail!("anet-relay did not exit within {limit:?}")
    }

    /// SIGTERM, then waits (bounded) for the process to exit.
    pub fn terminate(&mut self, limit: Duration) -> Result<std::process::ExitStatus> {
        self.signal_term()?;
        self.wait_exit(limit)
    }

    /// stdout and stderr, for the leak scan.
    pub fn output(&self) -> Vec<(String, Vec<u8>)> {
        [&self.stdout_path, &self.stderr_path]
            .into_iter()
            .filter_map(|p| std::fs::read(p).ok().map(|b| (p.display().to_string(), b)))
            .collect()
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs the relay binary with `env` only (clean environment) and returns
/// (exit code, stdout + stderr) once it exits; kills it after `limit`.
pub fn run_relay_expecting_exit(
    env: &[(&str, &str)],
    limit: Duration,
) -> Result<(Option<i32>, String)> {
    let bin = relay_binary()?;
    let dir = fresh_dir("relay-config")?;
    let out_path = dir.0.join("out");
    let err_path = dir.0.join("err");
    let mut cmd = Command::new(&bin);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(&dir.0)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path)?)
        .stderr(std::fs::File::create(&err_path)?);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn()?;
    let steps = limit.as_millis() / 50;
    let mut code = None;
    let mut exited = false;
    for _ in 0..steps {
        if let Some(s) = child.try_wait()? {
            code = s.code();
            exited = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if !exited {
        let _ = child.kill();
        let _ = child.wait();
    }
    let text = format!(
        "{}{}",
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default()
    );
    if !exited {
        bail!("anet-relay kept running: {text}");
    }
    Ok((code, text))
}

/// A fresh temporary directory removed on drop.
pub fn temp_dir(tag: &str) -> Result<TempDir> {
    fresh_dir(tag)
}
