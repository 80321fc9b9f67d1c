//! Offline Authorize.Net gateway emulator: an axum [`Router`] plus the
//! `anet-sandbox` binary. See `README.md` in this crate for the HTTP surface,
//! the default credentials, the control endpoints and fault injection.
//!
//! - [`Sandbox`]: the shared state (credentials, one ledger, clock, faults).
//! - [`engine`]: [`TxnRequest`] → [`Sandbox::transact`] → `AimResponse`; every
//!   rule and test value lives there (AIM, CIM and `createTransactionRequest`
//!   all go through it).
//! - [`aim_http`]: `POST /gateway/transact.dll`.
//! - [`xml_api`]: `POST /xml/v1/request.api` (XML and JSON).
//! - [`control`]: `/_sandbox/*` (off unless enabled).
//! - [`faults`]: fault injection (off unless enabled).
//! - [`serve`]: the accept loop that can really drop a connection.

pub mod aim_http;
pub mod clock;
pub mod control;
pub mod engine;
pub mod faults;
pub mod ledger;
pub mod magic;
pub mod serve;
pub mod xml_api;

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::RandomState;
use std::sync::atomic::AtomicI64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use checkout_domain::Secret;

pub use engine::TxnRequest;
pub use faults::{Fault, FaultKind, FaultTarget};
pub use ledger::{LedgerEntry, ProfileRef, TxnState};
pub use serve::serve;

/// Default API Login ID of the sandbox (documented test pair).
pub const DEFAULT_LOGIN: &str = "anet-test";
/// Default Transaction Key of the sandbox (documented test pair).
pub const DEFAULT_TRANSACTION_KEY: &str = "SandboxKey123456";

/// The `[U]` behaviours of the fact sheet, with the defaults the sandbox uses.
#[derive(Debug, Clone)]
pub struct Behaviour {
    /// AVS letters that decline with reason 27 (merchant AVS filter). Default: none.
    pub avs_reject: String,
    /// Card-code letters that decline with reason 65. Default: none.
    pub card_code_reject: String,
    /// Accept 905 → S and 906 → U as card-code triggers. Default: true.
    pub card_code_aliases: bool,
    /// Reason used by the `4222222222222` trick when the amount is not a known
    /// reason code. Default: 2 (declined).
    pub magic_unknown_reason: u16,
    /// AUTH_ONLY lifetime in days. Default: 30.
    pub auth_lifetime_days: i64,
    /// CREDIT window after settlement in days. Default: 120.
    pub refund_window_days: i64,
    /// Reason for a CREDIT against an unsettled charge: 54 (2011 sandbox) or
    /// 50 (the guide's "awaiting settlement"). Default: 54.
    pub unsettled_credit_reason: u16,
    /// Reason for a VOID of a settled transaction / a capture of a voided,
    /// expired or declined auth. Default: 16.
    pub not_actionable_reason: u16,
    /// Whether a capture for less than the authorised amount is allowed (else 48).
    pub partial_capture: bool,
    /// Whether CREDIT without `x_trans_id` (unlinked) is allowed (else 54).
    pub unlinked_credit: bool,
    /// Accept `YYYY-MM` in `x_exp_date`. Default: true.
    pub accept_yyyy_mm: bool,
    /// First transaction id issued. Default: 2170000001.
    pub first_trans_id: u64,
    /// MD5 hash value (merchant secret) for response position 38. Default: empty.
    pub md5_hash_value: String,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            avs_reject: String::new(),
            card_code_reject: String::new(),
            card_code_aliases: true,
            magic_unknown_reason: 2,
            auth_lifetime_days: 30,
            refund_window_days: 120,
            unsettled_credit_reason: 54,
            not_actionable_reason: 16,
            partial_capture: true,
            unlinked_credit: false,
            accept_yyyy_mm: true,
            first_trans_id: 2_170_000_001,
            md5_hash_value: String::new(),
        }
    }
}

/// How to build a [`Sandbox`].
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub login: String,
    pub transaction_key: Secret<String>,
    /// Serve `/_sandbox/*` (settle, ledger, faults, clock, reset).
    pub enable_control: bool,
    /// Allow fault injection (via `POST /_sandbox/faults` or [`Sandbox::set_fault`]).
    pub enable_faults: bool,
    /// Run a settlement batch this often (when served with [`serve`] or after
    /// [`Sandbox::spawn_settlement`]).
    pub settle_every: Option<Duration>,
    pub behaviour: Behaviour,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            login: DEFAULT_LOGIN.to_owned(),
            transaction_key: Secret::new(DEFAULT_TRANSACTION_KEY.to_owned()),
            enable_control: false,
            enable_faults: false,
            settle_every: None,
            behaviour: Behaviour::default(),
        }
    }
}

impl SandboxConfig {
    /// Defaults with control and fault injection on: what tests want.
    pub fn for_tests() -> Self {
        SandboxConfig {
            enable_control: true,
            enable_faults: true,
            ..SandboxConfig::default()
        }
    }
}

/// The sandbox state, cheap to clone (one `Arc`). Thread-safe: the ledger is
/// behind one mutex held only for the bookkeeping of a single transaction.
#[derive(Clone)]
pub struct Sandbox(Arc<Inner>);

pub(crate) struct Inner {
    pub(crate) config: SandboxConfig,
    pub(crate) ledger: Mutex<ledger::Ledger>,
    pub(crate) faults: Mutex<faults::FaultTable>,
    /// Seconds added to the system clock (`POST /_sandbox/clock`).
    pub(crate) clock_offset: AtomicI64,
    pub(crate) fingerprint_key: RandomState,
    extensions: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("login", &self.0.config.login)
            .field("enable_control", &self.0.config.enable_control)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    pub fn new(config: SandboxConfig) -> Sandbox {
        let first = config.behaviour.first_trans_id;
        Sandbox(Arc::new(Inner {
            config,
            ledger: Mutex::new(ledger::Ledger::new(first)),
            faults: Mutex::new(faults::FaultTable::default()),
            clock_offset: AtomicI64::new(0),
            fingerprint_key: RandomState::new(),
            extensions: Mutex::new(HashMap::new()),
        }))
    }

    pub fn config(&self) -> &SandboxConfig {
        &self.0.config
    }

    /// The configured API Login ID (needed for MD5 hashes).
    pub fn login(&self) -> &str {
        &self.0.config.login
    }

    /// True when both match the configured pair (key compared in constant time).
    pub fn check_credentials(&self, login: &str, key: &str) -> bool {
        let key_ok = checkout_domain::secret::constant_time_eq(
            key.as_bytes(),
            self.0.config.transaction_key.expose_secret().as_bytes(),
        );
        login == self.0.config.login && key_ok
    }

    /// A per-sandbox shared value of any type, created on first use. The XML
    /// API keeps its CIM store here: `sandbox.extension::<CimStore>()`.
    pub fn extension<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut map = lock(&self.0.extensions);
        let entry = map
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()) as Arc<dyn Any + Send + Sync>)
            .clone();
        drop(map);
        match entry.downcast::<T>() {
            Ok(v) => v,
            // Unreachable: the map is keyed by TypeId. Fall back to a fresh value.
            Err(_) => Arc::new(T::default()),
        }
    }

    /// Settles every captured transaction now; returns (batch id, count).
    pub fn settle_now(&self) -> (u64, usize) {
        let now = self.now();
        let lifetime = self.0.config.behaviour.auth_lifetime_days * 86_400;
        let (batch, n) = lock(&self.0.ledger).settle(now, lifetime);
        tracing::info!(batch, settled = n, "settlement batch");
        (batch, n)
    }

    /// Spawns the periodic settlement task if `settle_every` is set (needs a
    /// Tokio runtime). [`serve`] calls it.
    pub fn spawn_settlement(&self) -> Option<tokio::task::JoinHandle<()>> {
        let every = self.0.config.settle_every?;
        let sandbox = self.clone();
        Some(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                sandbox.settle_now();
            }
        }))
    }

    /// Every ledger entry, by id (no card numbers in it).
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        lock(&self.0.ledger).list()
    }

    /// One ledger entry.
    pub fn lookup(&self, trans_id: u64) -> Option<LedgerEntry> {
        lock(&self.0.ledger).entries.get(&trans_id).cloned()
    }

    /// Forgets every transaction and fault (ids keep increasing).
    pub fn reset(&self) {
        let mut l = lock(&self.0.ledger);
        let next = l.next_id;
        *l = ledger::Ledger::new(next);
        drop(l);
        *lock(&self.0.faults) = faults::FaultTable::default();
        lock(&self.0.extensions).clear();
        self.0
            .clock_offset
            .store(0, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Locks a mutex, recovering from poisoning (a panicked holder leaves the data
/// as it was; the sandbox keeps serving).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The whole HTTP surface: AIM, the XML API, and (when enabled) `/_sandbox/*`.
/// Fault injection wraps the two gateway endpoints.
pub fn router(sandbox: Sandbox) -> Router {
    let aim = aim_http::routes().route_layer(axum::middleware::from_fn_with_state(
        (sandbox.clone(), FaultTarget::Aim),
        faults::middleware,
    ));
    let xml = xml_api::routes().route_layer(axum::middleware::from_fn_with_state(
        (sandbox.clone(), FaultTarget::Xml),
        faults::middleware,
    ));
    let mut app = Router::new().merge(aim).merge(xml);
    if sandbox.0.config.enable_control {
        app = app.merge(control::routes());
    }
    app.with_state(sandbox)
}
