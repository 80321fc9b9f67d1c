//! A relay on a loopback port (in this process, embedded sandbox with its test
//! hooks, a fresh SQLite file), plus a merchant storefront on another port, so
//! the iframe is cross-origin exactly as on a real shop.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use checkout_api::{CreateSessionResponse, SessionView};
use checkout_relay::{AppState, Config, StartOptions};
use serde_json::Value;

pub const MERCHANT_SECRET: &str = "sk_test_e2e_merchant_secret";

pub struct TestRelay {
    pub url: String,
    pub sandbox_url: String,
    pub storefront_url: String,
    pub state: AppState,
    pub db_path: PathBuf,
    http: reqwest::Client,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    _dir: TempDir,
}

/// A directory removed on drop.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

impl TestRelay {
    pub async fn start() -> Result<TestRelay> {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("anet-e2e-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let db_path = dir.join("relay.sqlite");

        // The storefront first: its origin must be allowed to frame the widget.
        let shop = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let shop_addr = shop.local_addr()?;
        // `localhost` vs `127.0.0.1`: a different origin from the relay's.
        let storefront_url = format!("http://localhost:{}", shop_addr.port());

        let relay = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let relay_addr = relay.local_addr()?;
        let url = format!("http://127.0.0.1:{}", relay_addr.port());

        let mut config =
            Config::for_tests(&format!("sqlite://{}", db_path.display()), MERCHANT_SECRET);
        config.listen = relay_addr;
        config.allowed_origins = vec![storefront_url.clone()];
        config.widget_dir = crate::widget_dir();
        config.loader_fallback =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../web/loader/checkout.js");
        let state = AppState::start(
            config,
            StartOptions {
                sandbox_test_hooks: true,
            },
        )
        .await
        .context("starting the relay")?;
        let sandbox_url = state
            .embedded
            .as_ref()
            .map(|e| e.base_url.clone())
            .context("embedded sandbox not running")?;

        let router = checkout_relay::app(state.clone());
        let relay_task = tokio::spawn(async move {
            let _ = axum_serve(relay, router).await;
        });
        let shop_task = tokio::spawn(crate::storefront::serve(shop, url.clone()));
        Ok(TestRelay {
            url,
            sandbox_url,
            storefront_url,
            state,
            db_path,
            http: reqwest::Client::new(),
            tasks: vec![relay_task, shop_task],
            _dir: TempDir(dir),
        })
    }

    /// `POST /v1/sessions` as the merchant backend.
    pub async fn create_session(&self, body: Value) -> Result<CreateSessionResponse> {
        let r = self
            .http
            .post(format!("{}/v1/sessions", self.url))
            .bearer_auth(MERCHANT_SECRET)
            .json(&body)
            .send()
            .await?;
        let status = r.status();
        let text = r.text().await?;
        if status.as_u16() != 201 {
            bail!("create session: {status}: {text}");
        }
        Ok(serde_json::from_str(&text)?)
    }

    pub async fn session(&self, id: &str) -> Result<SessionView> {
        let r = self
            .http
            .get(format!("{}/v1/sessions/{id}", self.url))
            .bearer_auth(MERCHANT_SECRET)
            .send()
            .await?;
        Ok(r.error_for_status()?.json().await?)
    }

    /// A merchant API call; returns (status, JSON body).
    pub async fn merchant(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value)> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(MERCHANT_SECRET);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await?;
        let status = r.status().as_u16();
        let text = r.text().await?;
        Ok((
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        ))
    }

    /// The sandbox's ledger (ids, types, states, amounts, last four).
    pub async fn ledger(&self) -> Result<Vec<Value>> {
        let v: Value = self
            .http
            .get(format!("{}/_sandbox/ledger", self.sandbox_url))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    pub async fn sandbox_post(&self, path: &str, body: Value) -> Result<Value> {
        Ok(self
            .http
            .post(format!("{}{path}", self.sandbox_url))
            .json(&body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// The storefront page that embeds the widget for `client_token`.
    pub fn shop_page(&self, client_token: &str, extra: &str) -> String {
        format!(
            "{}/?token={client_token}{}",
            self.storefront_url,
            if extra.is_empty() {
                String::new()
            } else {
                format!("&{extra}")
            }
        )
    }

    /// How many calls reached the relay's pay endpoint (from `/metrics`).
    pub async fn metrics_text(&self) -> Result<String> {
        Ok(self
            .http
            .get(format!("{}/metrics", self.url))
            .send()
            .await?
            .text()
            .await?)
    }
}

impl Drop for TestRelay {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

async fn axum_serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
