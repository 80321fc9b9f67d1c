//! `anet-bench`: the load and browser measurements behind `cargo xtask bench`.
//! It starts the real binaries (release builds of `anet-sandbox` and
//! `anet-relay`) on loopback ports, drives them with a closed-loop load
//! generator (fixed request count, fixed concurrency, every latency kept), and
//! prints one JSON document the xtask turns into `BENCHMARKS.md`.
//!
//! Usage: anet-bench SANDBOX_BIN RELAY_BIN [--requests N] [--pg URL]
//!        [--widget-dir DIR] [--baseline-relay BIN]
//!
//! `--baseline-relay`: an earlier build of the relay, measured in the same
//! overhead runs (before/after from one run).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

const LOGIN: &str = "anet-test";
const KEY: &str = "SandboxKey123456";
const SECRET: &str = "sk_bench_merchant_secret";

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn wait_up(url: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if reqwest::get(url).await.is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{url} did not come up");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Latency summary of one run.
#[derive(Debug)]
struct Run {
    name: String,
    concurrency: usize,
    requests: usize,
    errors: usize,
    secs: f64,
    lat: Vec<Duration>,
}

impl Run {
    fn pct(&self, p: f64) -> f64 {
        if self.lat.is_empty() {
            return 0.0;
        }
        let i = ((self.lat.len() as f64 - 1.0) * p).round() as usize;
        self.lat[i].as_secs_f64() * 1000.0
    }
    fn json(&self) -> Value {
        json!({
            "name": self.name,
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "throughput_per_s": self.requests as f64 / self.secs,
            "p50_ms": self.pct(0.50),
            "p99_ms": self.pct(0.99),
            "max_ms": self.pct(1.0),
        })
    }
}

/// Sends `n` requests with `concurrency` workers; `make(i)` builds request i.
async fn load<F>(name: &str, n: usize, concurrency: usize, make: F) -> Result<Run>
where
    F: Fn(usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (make, next) = (make.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let t = Instant::now();
                let ok = match make(i).send().await {
                    Ok(r) => {
                        let good = r.status().is_success();
                        let _ = r.bytes().await;
                        good
                    }
                    Err(_) => false,
                };
                lat.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::with_capacity(n);
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        lat.extend(l);
        errors += e;
    }
    let secs = started.elapsed().as_secs_f64();
    lat.sort();
    let run = Run {
        name: name.to_string(),
        concurrency,
        requests: n,
        errors,
        secs,
        lat,
    };
    eprintln!("anet-bench: {}", run.json());
    Ok(run)
}

/// The AIM auth the relay sends for [`pay_body`] on a bench session: the same
/// card, billing address, amount, invoice style and duplicate window, so the
/// direct and relayed runs ask the sandbox for the same work.
fn aim_form(i: usize) -> String {
    format!(
        "x_login={LOGIN}&x_tran_key={KEY}&x_version=3.1&x_delim_data=TRUE&x_delim_char=%7C\
         &x_encap_char=%22&x_relay_response=FALSE&x_type=AUTH_ONLY&x_method=CC\
         &x_card_num=4111111111111111&x_exp_date=12%2F2030&x_card_code=123&x_amount=10.00\
         &x_invoice_num=B{i}&x_duplicate_window=0&x_first_name=Ada&x_last_name=Lovelace\
         &x_address=1+Main+St&x_city=Bellevue&x_state=WA&x_zip=98004&x_country=US\
         &x_customer_ip=127.0.0.1"
    )
}

fn cim_get(profile_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><getCustomerProfileRequest xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\">\
         <merchantAuthentication><name>{LOGIN}</name><transactionKey>{KEY}</transactionKey></merchantAuthentication>\
         <customerProfileId>{profile_id}</customerProfileId></getCustomerProfileRequest>"
    )
}

fn cim_create() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><createCustomerProfileRequest xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\">\
         <merchantAuthentication><name>{LOGIN}</name><transactionKey>{KEY}</transactionKey></merchantAuthentication>\
         <profile><merchantCustomerId>bench</merchantCustomerId><email>bench@example.com</email>\
         <paymentProfiles><customerType>individual</customerType><payment><creditCard>\
         <cardNumber>4111111111111111</cardNumber><expirationDate>2030-12</expirationDate></creditCard></payment>\
         </paymentProfiles></profile><validationMode>none</validationMode></createCustomerProfileRequest>"
    )
}

struct Relay {
    url: String,
    _proc: Proc,
}

fn start_relay(bin: &str, sandbox: &str, db: &str) -> Result<Relay> {
    start_relay_with(bin, sandbox, db, &[])
}

fn start_relay_with(bin: &str, sandbox: &str, db: &str, env: &[(&str, &str)]) -> Result<Relay> {
    let port = free_port()?;
    let child = Command::new(bin)
        .envs(env.iter().copied())
        .env("ANET_LISTEN", format!("127.0.0.1:{port}"))
        .env("ANET_GATEWAY", "custom")
        .env("ANET_AIM_URL", format!("{sandbox}/gateway/transact.dll"))
        .env("ANET_API_URL", format!("{sandbox}/xml/v1/request.api"))
        .env("ANET_API_LOGIN_ID", LOGIN)
        .env("ANET_TRANSACTION_KEY", KEY)
        .env("ANET_MERCHANT_SECRET", SECRET)
        .env("ANET_ALLOWED_ORIGINS", "http://localhost")
        .env("ANET_LIMIT_IP_PER_MINUTE", "100000000")
        .env("ANET_LIMIT_SESSION_PER_MINUTE", "1000")
        .env("ANET_DUPLICATE_WINDOW_SECS", "0")
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting anet-relay")?;
    Ok(Relay {
        url: format!("http://127.0.0.1:{port}"),
        _proc: Proc(child),
    })
}

async fn create_sessions(
    http: &reqwest::Client,
    relay: &str,
    n: usize,
    prefix: &str,
) -> Result<Vec<String>> {
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let v: Value = http
            .post(format!("{relay}/v1/sessions"))
            .bearer_auth(SECRET)
            .json(&json!({"amount": "10.00", "mode": "auth_only", "invoice_number": format!("{prefix}{i}"),
                          "require_avs": true, "require_card_code": true}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        tokens.push(
            v["client_token"]
                .as_str()
                .context("client_token")?
                .to_string(),
        );
    }
    Ok(tokens)
}

fn pay_body() -> Value {
    json!({
        "payment": {"type": "new_card", "number": "4111111111111111", "expiry": "12/30",
                    "card_code": "123", "billing": {"first_name": "Ada", "last_name": "Lovelace",
                    "address": "1 Main St", "city": "Bellevue", "state": "WA", "zip": "98004", "country": "US"}},
        "save": false
    })
}

async fn relay_pay_run(
    http: &reqwest::Client,
    relay: &str,
    n: usize,
    c: usize,
    name: &str,
    invoice_prefix: &str,
) -> Result<Run> {
    let tokens = Arc::new(create_sessions(http, relay, n, invoice_prefix).await?);
    let (http2, relay2, body) = (http.clone(), relay.to_string(), pay_body());
    load(name, n, c, move |i| {
        http2
            .post(format!("{relay2}/widget/v1/session/pay"))
            .bearer_auth(&tokens[i])
            .json(&body)
    })
    .await
}

/// Time to interactive: from the loader's start on the merchant page to the
/// widget's `anet:ready` (the card field rendered and accepting input), over
/// `loads` fresh page loads in headless Chromium.
async fn time_to_interactive(relay_bin: &str, widget_dir: &str, loads: usize) -> Result<Value> {
    let shop = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let shop_url = format!("http://localhost:{}", shop.local_addr()?.port());
    let port = free_port()?;
    let relay_url = format!("http://127.0.0.1:{port}");
    let dir = std::env::temp_dir().join(format!("anet-bench-tti-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let _relay = Proc(
        Command::new(relay_bin)
            .env("ANET_LISTEN", format!("127.0.0.1:{port}"))
            .env("ANET_MERCHANT_SECRET", SECRET)
            .env("ANET_ALLOWED_ORIGINS", &shop_url)
            .env("ANET_WIDGET_DIR", widget_dir)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/tti.sqlite", dir.display()),
            )
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .context("starting anet-relay")?,
    );
    wait_up(&format!("{relay_url}/healthz")).await?;
    tokio::spawn(checkout_e2e::storefront::serve(shop, relay_url.clone()));
    let http = reqwest::Client::new();
    let browser = checkout_e2e::Browser::start().await?;
    let c = &browser.client;
    let mut ms = Vec::new();
    for _ in 0..loads {
        let token = create_sessions(&http, &relay_url, 1, "TTI")
            .await?
            .remove(0);
        c.goto(&format!("{shop_url}/?token={token}")).await?;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = c
                .execute(
                    "var r = (window.anetEvents || []).find(function (e) { return e.type === 'anet:ready'; });\
                     return r ? r.at - window.anetT0 : null;",
                    vec![],
                )
                .await?;
            if let Some(t) = v.as_f64() {
                ms.push(t);
                break;
            }
            if Instant::now() > deadline {
                bail!("the widget never became ready");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    let _ = browser.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    ms.sort_by(f64::total_cmp);
    let pick = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    Ok(
        json!({"loads": ms.len(), "median_ms": pick(0.5), "p95_ms": pick(0.95), "min_ms": pick(0.0)}),
    )
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let sandbox_bin = args
        .get(1)
        .context("usage: anet-bench SANDBOX_BIN RELAY_BIN")?
        .clone();
    let relay_bin = args
        .get(2)
        .context("usage: anet-bench SANDBOX_BIN RELAY_BIN")?
        .clone();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n: usize = flag("--requests")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(5000);
    let pg = flag("--pg");
    let tti = match flag("--widget-dir") {
        Some(dir) => time_to_interactive(&relay_bin, &dir, 25).await?,
        None => Value::Null,
    };

    let port = free_port()?;
    let sandbox_url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let sandbox = Proc(
        Command::new(&sandbox_bin)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--enable-control"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .context("starting anet-sandbox")?,
    );
    wait_up(&format!("{sandbox_url}/_sandbox/ledger")).await?;
    let sandbox_start_ms = started.elapsed().as_secs_f64() * 1000.0;

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;
    let aim_url = format!("{sandbox_url}/gateway/transact.dll");
    let api_url = format!("{sandbox_url}/xml/v1/request.api");
    let mut runs: Vec<Value> = Vec::new();

    // Sandbox alone: AIM auth, CIM get profile.
    for c in [1usize, 16, 64] {
        let (h, u) = (http.clone(), aim_url.clone());
        let r = load(&format!("sandbox AIM auth c={c}"), n, c, move |i| {
            h.post(&u)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(aim_form(i))
        })
        .await?;
        runs.push(r.json());
    }
    let created = http
        .post(&api_url)
        .header("content-type", "text/xml")
        .body(cim_create())
        .send()
        .await?
        .text()
        .await?;
    let profile_id = created
        .split("<customerProfileId>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .context("creating the bench CIM profile")?
        .to_string();
    {
        let (h, u) = (http.clone(), api_url.clone());
        let r = load("sandbox CIM getCustomerProfile c=16", n, 16, move |_| {
            h.post(&u)
                .header("content-type", "text/xml")
                .body(cim_get(&profile_id))
        })
        .await?;
        runs.push(r.json());
    }

    // Relay overhead, side by side: the same AIM auth direct vs. through pay,
    // for this relay (default: SQLite fsync per commit), this relay with
    // `ANET_SQLITE_SYNCHRONOUS=normal`, and the baseline build when given.
    // Each variant has its own process and database file; the runs for one
    // concurrency follow each other, so they see the same machine.
    let dir = std::env::temp_dir().join(format!("anet-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sqlite = format!("sqlite://{}/bench.sqlite", dir.display());
    let relay = start_relay(&relay_bin, &sandbox_url, &sqlite)?;
    wait_up(&format!("{}/healthz", relay.url)).await?;
    let normal = start_relay_with(
        &relay_bin,
        &sandbox_url,
        &format!("sqlite://{}/bench-normal.sqlite", dir.display()),
        &[("ANET_SQLITE_SYNCHRONOUS", "normal")],
    )?;
    wait_up(&format!("{}/healthz", normal.url)).await?;
    let before = match flag("--baseline-relay") {
        Some(bin) => {
            let r = start_relay(
                &bin,
                &sandbox_url,
                &format!("sqlite://{}/bench-before.sqlite", dir.display()),
            )?;
            wait_up(&format!("{}/healthz", r.url)).await?;
            Some(r)
        }
        None => None,
    };
    let mut overhead = Vec::new();
    let pay_n = (n / 5).max(200);
    for c in [1usize, 8, 32] {
        let (h, u) = (http.clone(), aim_url.clone());
        let direct = load(&format!("direct AIM auth c={c}"), pay_n, c, move |i| {
            h.post(&u)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(aim_form(1_000_000 + c * 100_000 + i))
        })
        .await?;
        let mut variants = Vec::new();
        let mut targets = vec![("relay", &relay), ("relay, synchronous=normal", &normal)];
        if let Some(b) = &before {
            targets.push(("relay before (baseline build)", b));
        }
        for (k, (label, target)) in targets.into_iter().enumerate() {
            let via = relay_pay_run(
                &http,
                &target.url,
                pay_n,
                c,
                &format!("{label} c={c}"),
                &format!("SQ{k}-{c}-"),
            )
            .await?;
            variants.push(json!({
                "label": label,
                "run": via.json(),
                "added_p50_ms": via.pct(0.5) - direct.pct(0.5),
                "added_p99_ms": via.pct(0.99) - direct.pct(0.99),
            }));
        }
        overhead.push(json!({
            "concurrency": c,
            "direct": direct.json(),
            "variants": variants,
        }));
    }
    drop(normal);
    drop(before);
    // Session creation throughput.
    {
        let (h, u) = (http.clone(), relay.url.clone());
        let r = load("relay session creation c=16", n, 16, move |i| {
            h.post(format!("{u}/v1/sessions"))
                .bearer_auth(SECRET)
                .json(&json!({"amount": "10.00", "invoice_number": format!("S{i}")}))
        })
        .await?;
        runs.push(r.json());
    }
    drop(relay);

    // Scale: PostgreSQL, one relay vs. two relays sharing it.
    let mut scale = Value::Null;
    if let Some(pg) = pg {
        let one = start_relay(&relay_bin, &sandbox_url, &pg)?;
        wait_up(&format!("{}/healthz", one.url)).await?;
        let single = relay_pay_run(
            &http,
            &one.url,
            pay_n,
            32,
            "relay pay (PostgreSQL, 1 instance) c=32",
            "PGONE",
        )
        .await?;
        let two = start_relay(&relay_bin, &sandbox_url, &pg)?;
        wait_up(&format!("{}/healthz", two.url)).await?;
        // Sessions created on one instance, paid alternately through both:
        // the database is the only shared state.
        let tokens = Arc::new(create_sessions(&http, &one.url, pay_n, "PGTWO").await?);
        let urls = Arc::new([one.url.clone(), two.url.clone()]);
        let (h, body) = (http.clone(), pay_body());
        let t2 = tokens.clone();
        let both = load(
            "relay pay (PostgreSQL, 2 instances) c=32",
            pay_n,
            32,
            move |i| {
                h.post(format!("{}/widget/v1/session/pay", urls[i % 2]))
                    .bearer_auth(&t2[i])
                    .json(&body)
            },
        )
        .await?;
        // Double pays across the two instances must not double charge.
        let (h, body) = (http.clone(), pay_body());
        let urls2 = Arc::new([one.url.clone(), two.url.clone()]);
        let dup_tokens = Arc::new(create_sessions(&http, &one.url, 100, "DUP").await?);
        let t3 = dup_tokens.clone();
        let _ = load("double pay across instances", 200, 32, move |i| {
            h.post(format!("{}/widget/v1/session/pay", urls2[i % 2]))
                .bearer_auth(&t3[i / 2])
                .json(&body)
        })
        .await?;
        let ledger: Vec<Value> = http
            .get(format!("{sandbox_url}/_sandbox/ledger"))
            .send()
            .await?
            .json()
            .await?;
        let mut per_invoice = std::collections::HashMap::<String, usize>::new();
        for t in &ledger {
            if t["state"] != "declined" {
                *per_invoice
                    .entry(t["invoice"].as_str().unwrap_or_default().to_string())
                    .or_default() += 1;
            }
        }
        let relay_charges: Vec<usize> = per_invoice
            .iter()
            .filter(|(k, _)| !k.starts_with('B'))
            .map(|(_, v)| *v)
            .collect();
        scale = json!({
            "one_instance": single.json(),
            "two_instances": both.json(),
            "sessions_double_paid": 100,
            "max_charges_per_session": relay_charges.iter().copied().max().unwrap_or(0),
        });
    }
    let _ = std::fs::remove_dir_all(&dir);
    drop(sandbox);
    println!(
        "{}",
        json!({
            "sandbox_start_ms": sandbox_start_ms,
            "runs": runs,
            "overhead": overhead,
            "scale": scale,
            "tti": tti,
        })
    );
    Ok(())
}
