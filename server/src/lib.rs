//! The anet-checkout relay: the only place the merchant's Authorize.Net
//! credentials live. It serves the merchant API (`/v1`), the widget API
//! (`/widget/v1`), the widget bundle and loader, and charges cards with AIM
//! (new cards) or CIM profile transactions (saved cards).
//!
//! Module map:
//! - [`config`]: environment / TOML configuration.
//! - [`storage`]: the database (SQLite or PostgreSQL, one code path) and
//!   `migrations/`.
//! - [`gateway`]: the HTTP client to AIM and the XML API; [`gateway::embedded`]
//!   runs the sandbox inside the relay.
//! - [`payments`]: the pay flow (ledger, at-most-once, uncertain-outcome
//!   resolution), shopper-safe messages, the CIM wallet, and the merchant
//!   operations (capture, void, refund).
//! - [`routes`]: thin axum handlers; [`http`]: extractors and auth;
//!   [`idempotency`]: the `Idempotency-Key` layer; [`limits`]: card-testing
//!   defence; [`metrics`]: Prometheus counters; [`error`]: the one error type.

pub mod config;
pub mod error;
pub mod gateway;
pub mod http;
pub mod idempotency;
pub mod limits;
pub mod metrics;
pub mod payments;
pub mod routes;
pub mod storage;

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use tokio::sync::Notify;

pub use config::Config;
pub use error::AppError;
use gateway::GatewayClient;
use gateway::embedded::EmbeddedGateway;
use storage::Db;

/// Everything a handler needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub config: Config,
    pub db: Db,
    pub gateway: GatewayClient,
    pub limits: limits::RateLimits,
    pub metrics: metrics::Metrics,
    pub inflight: InFlight,
    /// Set in embedded mode: the sandbox running inside this process.
    pub embedded: Option<EmbeddedGateway>,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database {0}")]
    Database(#[from] sqlx::Error),
    #[error("embedded gateway: {0}")]
    Embedded(std::io::Error),
    #[error("gateway client: {0}")]
    Gateway(#[from] gateway::GatewayError),
}

/// Options that are not configuration: test hooks.
#[derive(Debug, Clone, Copy, Default)]
pub struct StartOptions {
    /// Enable the embedded sandbox's control endpoints (settle, ledger, faults).
    pub sandbox_test_hooks: bool,
}

impl AppState {
    /// Connects the database (running migrations), starts the embedded
    /// gateway when configured, and resolves payments left uncertain by a
    /// previous run before returning.
    pub async fn start(config: Config, options: StartOptions) -> Result<AppState, StartError> {
        let db = Db::connect_with(&config.database_url, config.sqlite_synchronous).await?;
        let metrics = metrics::Metrics::default();
        let (embedded, aim_url, api_url) = match &config.gateway {
            config::GatewayTarget::Embedded => {
                let e = EmbeddedGateway::start(
                    &config.api_login_id,
                    config.transaction_key.expose_secret(),
                    options.sandbox_test_hooks,
                )
                .await
                .map_err(StartError::Embedded)?;
                let (a, x) = (e.aim_url.clone(), e.api_url.clone());
                (Some(e), a, x)
            }
            config::GatewayTarget::Sandbox => (
                None,
                config::SANDBOX_AIM_URL.to_owned(),
                config::SANDBOX_API_URL.to_owned(),
            ),
            config::GatewayTarget::Production => (
                None,
                config::PRODUCTION_AIM_URL.to_owned(),
                config::PRODUCTION_API_URL.to_owned(),
            ),
            config::GatewayTarget::Custom { aim_url, api_url } => {
                (None, aim_url.clone(), api_url.clone())
            }
        };
        let gateway = GatewayClient::new(
            aim_url,
            api_url,
            config.api_login_id.clone(),
            config.transaction_key.clone(),
            config.md5_hash.clone(),
            Duration::from_secs(config.gateway_timeout_secs),
            metrics.clone(),
        )?;
        let state = AppState(Arc::new(Inner {
            limits: limits::RateLimits::new(&config.limits),
            config,
            db,
            gateway,
            metrics,
            inflight: InFlight::default(),
            embedded,
        }));
        payments::resolve::resolve_at_startup(&state).await?;
        Ok(state)
    }

    /// The embedded sandbox's base URL (embedded mode only).
    pub fn embedded_gateway_url(&self) -> Option<&str> {
        self.embedded.as_ref().map(|e| e.base_url.as_str())
    }

    /// Background housekeeping: expire sessions, forget idle rate-limit keys and
    /// idempotency keys older than 24 hours.
    pub fn spawn_housekeeping(&self) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                state.limits.sweep();
                if let Err(e) = state.db.expire_sessions(storage::now()).await {
                    tracing::warn!(error = %e, "session expiry sweep failed");
                }
                if let Err(e) = state.db.purge_idempotency(storage::now() - 86_400).await {
                    tracing::warn!(error = %e, "idempotency key purge failed");
                }
            }
        })
    }
}

/// Counts payments in flight so that shutdown can wait for them.
#[derive(Debug, Default)]
pub struct InFlight {
    count: AtomicUsize,
    idle: Notify,
}

pub struct InFlightGuard<'a>(&'a InFlight);

impl InFlight {
    pub fn enter(&self) -> InFlightGuard<'_> {
        self.count.fetch_add(1, Ordering::SeqCst);
        InFlightGuard(self)
    }

    pub fn current(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Waits until no payment is in flight, or `limit` passes.
    pub async fn wait_idle(&self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.idle.notified();
            if self.current() == 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.current() == 0;
            }
        }
    }
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// The relay's router.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}
