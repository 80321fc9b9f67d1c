//! Test harness: the relay in-process (router called with `oneshot`) against
//! the real sandbox library served on a loopback port, on a fresh SQLite file
//! or a fresh PostgreSQL database.
//!
//! PostgreSQL: `TEST_DATABASE_URL=postgres://user@host:port/db`. When it is
//! unset the PostgreSQL tests FAIL, unless `ANET_SKIP_PG=1` is set explicitly.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::sync::Arc;

use authnet_sandbox::{Behaviour, LedgerEntry, Sandbox, SandboxConfig};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use checkout_relay::config::GatewayTarget;
use checkout_relay::gateway::embedded::EmbeddedGateway;
use checkout_relay::{AppState, Config, StartOptions, app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::Connection;
use tower::ServiceExt;

pub const SECRET: &str = "sk_test_relay_tests_0123456789";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Sqlite,
    Postgres,
}

/// Generates one `#[tokio::test]` per database for an `async fn(Flavor)`.
#[macro_export]
macro_rules! db_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Flavor::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if $crate::common::skip_pg() {
                        return;
                    }
                    super::$name($crate::common::Flavor::Postgres).await;
                }
            )*
        }
    };
}

/// True only when `ANET_SKIP_PG=1` and no `TEST_DATABASE_URL`; panics when
/// neither is set, so a missing PostgreSQL never passes silently.
pub fn skip_pg() -> bool {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        return false;
    }
    if std::env::var("ANET_SKIP_PG").as_deref() == Ok("1") {
        eprintln!("SKIPPED (ANET_SKIP_PG=1): PostgreSQL test not run");
        return true;
    }
    panic!(
        "TEST_DATABASE_URL is not set: the PostgreSQL suite needs a server \
         (set ANET_SKIP_PG=1 to skip it explicitly)"
    );
}

/// A fresh database URL (and the temp dir holding a SQLite file).
pub async fn fresh_database(flavor: Flavor) -> (String, Option<tempfile::TempDir>) {
    match flavor {
        Flavor::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}/relay.sqlite", dir.path().display());
            (url, Some(dir))
        }
        Flavor::Postgres => {
            let base = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
            let name = format!("anet_t_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .unwrap();
            let _ = conn.close().await;
            (replace_db_name(&base, &name), None)
        }
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

/// The sandbox as the tests configure it: control + faults on, AVS letters
/// A/N/Z... and card code N filtered (so those decline, as a merchant's
/// filters would).
pub fn test_sandbox() -> Sandbox {
    Sandbox::new(SandboxConfig {
        behaviour: Behaviour {
            avs_reject: "AENRWZ".into(),
            card_code_reject: "N".into(),
            ..Behaviour::default()
        },
        ..SandboxConfig::for_tests()
    })
}

pub struct Harness {
    pub state: AppState,
    pub app: Router,
    pub gateway: Arc<EmbeddedGateway>,
    pub db_url: String,
    pub flavor: Flavor,
    pub dir: Option<Arc<tempfile::TempDir>>,
}

impl Harness {
    pub async fn new(flavor: Flavor) -> Harness {
        Harness::with(flavor, |_| {}).await
    }

    /// With a configuration tweak (limits, ...).
    pub async fn with(flavor: Flavor, tweak: impl FnOnce(&mut Config)) -> Harness {
        let (db_url, dir) = fresh_database(flavor).await;
        let gateway = Arc::new(EmbeddedGateway::start_with(test_sandbox()).await.unwrap());
        let mut config = config_for(&db_url, &gateway);
        tweak(&mut config);
        let state = AppState::start(config, StartOptions::default())
            .await
            .unwrap();
        Harness {
            app: app(state.clone()),
            state,
            gateway,
            db_url,
            flavor,
            dir: dir.map(Arc::new),
        }
    }

    /// A new relay on the same database and gateway (a restart).
    pub async fn restart(&self) -> Harness {
        let config = config_for(&self.db_url, &self.gateway);
        let state = AppState::start(config, StartOptions::default())
            .await
            .unwrap();
        Harness {
            app: app(state.clone()),
            state,
            gateway: self.gateway.clone(),
            db_url: self.db_url.clone(),
            flavor: self.flavor,
            dir: self.dir.clone(),
        }
    }

    pub fn sandbox(&self) -> &Sandbox {
        &self.gateway.sandbox
    }

    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.sandbox().ledger()
    }

    /// Ledger entries that are charges (auth_capture / auth_only) for an invoice.
    pub fn charges_for(&self, invoice: &str) -> Vec<LedgerEntry> {
        self.ledger()
            .into_iter()
            .filter(|e| {
                e.invoice == invoice
                    && matches!(
                        e.kind,
                        authnet_proto::aim::TransactionType::AuthCapture
                            | authnet_proto::aim::TransactionType::AuthOnly
                    )
            })
            .collect()
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value, HeaderMap) {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = bearer {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let body = match body {
            Some(v) => {
                b = b.header("content-type", "application/json");
                Body::from(serde_json::to_vec(&v).unwrap())
            }
            None => Body::empty(),
        };
        let mut req = b.body(body).unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([203, 0, 113, 7], 40000))));
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        (status, value, headers)
    }

    pub async fn merchant(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let (s, v, _) = self.call(method, path, Some(SECRET), body, &[]).await;
        (s, v)
    }

    pub async fn create_session(&self, body: Value) -> (String, String) {
        let (s, v) = self
            .merchant(Method::POST, "/v1/sessions", Some(body))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        (
            v["id"].as_str().unwrap().to_owned(),
            v["client_token"].as_str().unwrap().to_owned(),
        )
    }

    pub async fn session(&self, id: &str) -> Value {
        let (s, v) = self
            .merchant(Method::GET, &format!("/v1/sessions/{id}"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    }

    pub async fn pay(&self, token: &str, body: Value) -> (StatusCode, Value) {
        let (s, v, _) = self
            .call(
                Method::POST,
                "/widget/v1/session/pay",
                Some(token),
                Some(body),
                &[],
            )
            .await;
        (s, v)
    }
}

/// One pay request through a router of its own (for pays sent at once from
/// spawned tasks): status and JSON body.
pub async fn pay_through(app: Router, token: &str, body: &Value) -> (StatusCode, Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/widget/v1/session/pay")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let b = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice::<Value>(&b).unwrap())
}

fn config_for(db_url: &str, gw: &EmbeddedGateway) -> Config {
    let mut c = Config::for_tests(db_url, SECRET);
    c.gateway = GatewayTarget::Custom {
        aim_url: gw.aim_url.clone(),
        api_url: gw.api_url.clone(),
    };
    c.gateway_timeout_secs = 3;
    c
}

pub fn order(amount: &str) -> Value {
    json!({ "amount": amount })
}

pub fn new_card(number: &str, code: &str, zip: &str) -> Value {
    json!({
        "payment": {
            "type": "new_card",
            "number": number,
            "expiry": "12/30",
            "card_code": code,
            "billing": {
                "first_name": "Ann", "last_name": "Lee",
                "address": "1 Main St", "city": "Portland", "state": "OR",
                "zip": zip, "country": "US"
            }
        }
    })
}

pub const VISA: &str = "4111111111111111";
pub const MASTERCARD: &str = "5424000000000015";
