//! The one ledger shared by AIM, CIM profile transactions and
//! `createTransactionRequest`. In memory; never holds a full card number
//! (only last four, card type and a keyed fingerprint for duplicate checks).

use authnet_proto::aim::TransactionType;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

/// Where a transaction is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TxnState {
    /// AUTH_ONLY approved, waiting for PRIOR_AUTH_CAPTURE.
    AuthorizedPendingCapture,
    /// Charged (or credited) and waiting for the settlement batch.
    CapturedPendingSettlement,
    /// In a settled batch.
    Settled,
    /// Voided before settlement.
    Voided,
    /// Settled and fully refunded by credits.
    Refunded,
    /// Declined by the (emulated) issuer.
    Declined,
    /// An AUTH_ONLY that was not captured within the authorisation lifetime.
    Expired,
}

/// Profile ids a CIM transaction was made with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProfileRef {
    pub customer_profile_id: String,
    pub payment_profile_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub shipping_address_id: String,
}

/// One ledger row.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerEntry {
    pub id: u64,
    #[serde(rename = "type")]
    pub kind: TransactionType,
    pub state: TxnState,
    /// Amount authorised / charged / credited.
    pub amount: Decimal,
    /// Amount captured (AUTH_CAPTURE/CAPTURE_ONLY: the amount; AUTH_ONLY: after capture).
    pub captured_amount: Option<Decimal>,
    /// Sum of credits issued against this transaction.
    pub credited_amount: Decimal,
    pub last4: String,
    pub card_type: String,
    pub auth_code: String,
    pub avs_result: String,
    pub card_code_result: String,
    pub invoice: String,
    /// For CREDIT: the transaction refunded.
    pub ref_trans_id: Option<u64>,
    pub split_tender_id: Option<u64>,
    pub profile: Option<ProfileRef>,
    /// Unix seconds (sandbox clock).
    pub created_at: i64,
    pub settled_at: Option<i64>,
    pub batch_id: Option<u64>,
    #[serde(skip)]
    pub(crate) card_fingerprint: u64,
}

/// The ledger proper (always accessed under the sandbox's lock).
#[derive(Debug)]
pub(crate) struct Ledger {
    pub entries: HashMap<u64, LedgerEntry>,
    pub next_id: u64,
    pub next_split_tender: u64,
    pub next_batch: u64,
    /// Duplicate-check key → (time, transaction id or 0, response to replay).
    pub recent: HashMap<u64, RecentTxn>,
    prune_at: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct RecentTxn {
    pub at: i64,
    pub expires_at: i64,
    pub response: authnet_proto::aim::AimResponse,
}

impl Ledger {
    pub fn new(first_id: u64) -> Self {
        Ledger {
            entries: HashMap::new(),
            next_id: first_id,
            next_split_tender: 106_712,
            next_batch: 1_000_001,
            recent: HashMap::new(),
            prune_at: 65_536,
        }
    }

    pub fn allocate_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub fn allocate_split_tender(&mut self) -> u64 {
        let id = self.next_split_tender;
        self.next_split_tender += 1;
        id
    }

    /// Remembers a result for the duplicate check, pruning entries older than
    /// the longest window once the map grows large.
    pub fn remember(
        &mut self,
        key: u64,
        at: i64,
        window: u32,
        response: authnet_proto::aim::AimResponse,
    ) {
        if self.recent.len() >= self.prune_at {
            self.recent.retain(|_, r| r.expires_at > at);
            self.prune_at = (self.recent.len() * 2).max(65_536);
        }
        let expires_at = at + i64::from(window);
        self.recent.insert(
            key,
            RecentTxn {
                at,
                expires_at,
                response,
            },
        );
    }

    /// Settles everything captured; expires stale authorisations. Returns
    /// (batch id, number of transactions settled).
    pub fn settle(&mut self, now: i64, auth_lifetime_secs: i64) -> (u64, usize) {
        let batch = self.next_batch;
        self.next_batch += 1;
        let mut n = 0;
        for e in self.entries.values_mut() {
            match e.state {
                TxnState::CapturedPendingSettlement => {
                    e.state = TxnState::Settled;
                    e.settled_at = Some(now);
                    e.batch_id = Some(batch);
                    n += 1;
                }
                TxnState::AuthorizedPendingCapture if now - e.created_at > auth_lifetime_secs => {
                    e.state = TxnState::Expired;
                }
                _ => {}
            }
        }
        // Forget duplicate-check entries older than the longest window.
        self.recent.retain(|_, r| r.expires_at > now);
        (batch, n)
    }

    /// Entries sorted by id.
    pub fn list(&self) -> Vec<LedgerEntry> {
        let mut v: Vec<LedgerEntry> = self.entries.values().cloned().collect();
        v.sort_by_key(|e| e.id);
        v
    }
}
