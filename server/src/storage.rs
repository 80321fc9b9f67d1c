//! Storage: one function per operation, on SQLite or PostgreSQL through sqlx's
//! `Any` driver, so both databases run the very same SQL (`$n` placeholders,
//! TEXT and BIGINT columns). Amounts are decimal strings, times Unix seconds.

use std::str::FromStr;

use checkout_domain::Amount;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row};

pub type DbResult<T> = Result<T, sqlx::Error>;

/// The relay's database handle (cheap to clone).
///
/// Reads and writes use different pools. On SQLite the writer pool has one
/// connection: SQLite allows one writer at a time, and a second connection
/// that tries to write sleeps in SQLite's busy handler (in steps of up to
/// 100 ms), which is what made pay latency jump under concurrency. Queueing
/// writers on one connection in-process is fair and sleeps no longer than the
/// writes ahead take. Readers (WAL) never wait for the writer. On PostgreSQL
/// both are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    writer: AnyPool,
    pub kind: DbKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// How SQLite makes a commit durable (`ANET_SQLITE_SYNCHRONOUS`); the
/// database is in WAL mode either way, so it is never corrupted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SqliteSynchronous {
    /// The WAL is fsynced at every commit: a committed write survives a power
    /// loss. The default, because the ledger row written before a charge is
    /// what makes "at most once" hold across crashes.
    #[default]
    Full,
    /// No fsync per commit (only at checkpoints): a commit survives a relay
    /// crash but the last ones may be lost if the machine itself loses power.
    /// Faster writes (the bench measures both).
    Normal,
}

impl SqliteSynchronous {
    fn pragma(self) -> &'static str {
        match self {
            SqliteSynchronous::Full => "PRAGMA synchronous = FULL",
            SqliteSynchronous::Normal => "PRAGMA synchronous = NORMAL",
        }
    }
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub fn rfc3339(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Parses a stored decimal string; a corrupt value is a database error.
pub fn amount(s: &str) -> DbResult<Amount> {
    Amount::from_str(s).map_err(|_| sqlx::Error::Decode(format!("bad amount {s:?}").into()))
}

impl Db {
    /// Connects (creating the SQLite file and its directory), and runs the
    /// in-tree migrations. SQLite commits are fsynced ([`SqliteSynchronous::Full`]).
    pub async fn connect(url: &str) -> DbResult<Db> {
        Db::connect_with(url, SqliteSynchronous::Full).await
    }

    /// [`Db::connect`], choosing how SQLite makes commits durable.
    pub async fn connect_with(url: &str, synchronous: SqliteSynchronous) -> DbResult<Db> {
        sqlx::any::install_default_drivers();
        let (kind, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path_only = path.split('?').next().unwrap_or(path);
            if path_only != ":memory:"
                && !path_only.is_empty()
                && let Some(parent) = std::path::Path::new(path_only).parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
            }
            let url = if url.contains("mode=") {
                url.to_owned()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (DbKind::Sqlite, url)
        } else {
            (DbKind::Postgres, url.to_owned())
        };
        let options = |max: u32| {
            AnyPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(std::time::Duration::from_secs(10))
        };
        let (pool, writer) = match kind {
            DbKind::Postgres => {
                let pool = options(10).connect(&url).await?;
                (pool.clone(), pool)
            }
            // One in-memory database per connection: one connection for all.
            DbKind::Sqlite if url.contains(":memory:") => {
                let pool = options(1).connect(&url).await?;
                (pool.clone(), pool)
            }
            DbKind::Sqlite => {
                let pragma = synchronous.pragma();
                let writer = options(1)
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?;
                // WAL lets readers run while one writer writes; persistent per file.
                sqlx::query("PRAGMA journal_mode=WAL")
                    .execute(&writer)
                    .await?;
                (options(8).connect(&url).await?, writer)
            }
        };
        MIGRATOR.run(&writer).await?;
        Ok(Db { pool, writer, kind })
    }

    /// SQLite's `PRAGMA synchronous` on the writer connection (0 off,
    /// 1 normal, 2 full); `None` on PostgreSQL.
    pub async fn sqlite_synchronous(&self) -> DbResult<Option<i64>> {
        if self.kind != DbKind::Sqlite {
            return Ok(None);
        }
        let row = sqlx::query("PRAGMA synchronous")
            .fetch_one(&self.writer)
            .await?;
        Ok(Some(row.try_get::<i64, _>(0)?))
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn ping(&self) -> DbResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    // ---------------------------------------------------------------- sessions

    pub async fn insert_session(&self, s: &SessionRow) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id, client_token_hash, status, mode, amount, currency, order_json, \
             invoice_number, shopper_reference, shopper_email, require_avs, require_card_code, offer_save, \
             return_url, attempts, amount_authorized, amount_captured, amount_refunded, expires_at, created_at, updated_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,0,$15,$15,$15,$16,$17,$17)",
        )
        .bind(&s.id)
        .bind(&s.client_token_hash)
        .bind(&s.status)
        .bind(&s.mode)
        .bind(&s.amount)
        .bind(&s.currency)
        .bind(&s.order_json)
        .bind(&s.invoice_number)
        .bind(&s.shopper_reference)
        .bind(&s.shopper_email)
        .bind(i64::from(s.require_avs))
        .bind(i64::from(s.require_card_code))
        .bind(i64::from(s.offer_save))
        .bind(&s.return_url)
        .bind("0.00")
        .bind(s.expires_at)
        .bind(s.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn get_session(&self, id: &str) -> DbResult<Option<SessionRow>> {
        let row = sqlx::query("SELECT * FROM sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| SessionRow::from_row(&r)).transpose()
    }

    pub async fn get_session_by_token_hash(&self, hash: &str) -> DbResult<Option<SessionRow>> {
        let row = sqlx::query("SELECT * FROM sessions WHERE client_token_hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| SessionRow::from_row(&r)).transpose()
    }

    /// `open → processing`, counting the attempt (the conditional UPDATE is
    /// the lock that serialises pays on one session across relay instances),
    /// and the ledger row of the attempt it starts, in one transaction: either
    /// the session is `processing` with its `pending` attempt recorded, or
    /// nothing changed. `attempt(n)` builds the row for the `n`th attempt.
    pub async fn claim_and_record_attempt(
        &self,
        id: &str,
        max_attempts: u32,
        at: i64,
        attempt: impl FnOnce(i64) -> AttemptRow,
    ) -> DbResult<Option<AttemptRow>> {
        let mut tx = self.writer.begin().await?;
        let Some(n) = claim_on(&mut *tx, id, max_attempts, at).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let row = attempt(n);
        insert_attempt_on(&mut *tx, &row).await?;
        tx.commit().await?;
        Ok(Some(row))
    }

    /// A charge attempt's outcome: the ledger row settled, the session out of
    /// `processing`, and the audit entry, in one transaction. A decline or an
    /// error reopens the session only while attempts remain (the database's
    /// count decides). Returns the session's new status; `None` when the
    /// session was no longer `processing` (someone else recorded it).
    pub async fn record_charge_outcome(
        &self,
        outcome: &ChargeOutcome<'_>,
        max_attempts: u32,
    ) -> DbResult<Option<String>> {
        let mut tx = self.writer.begin().await?;
        settle_attempt_on(&mut *tx, outcome.attempt_id, outcome.result).await?;
        let status =
            finish_payment_on(&mut *tx, outcome.session_id, outcome.finish, max_attempts).await?;
        audit_on(
            &mut *tx,
            Some(outcome.session_id),
            "relay",
            outcome.audit_event,
            outcome.audit_detail,
        )
        .await?;
        tx.commit().await?;
        Ok(status)
    }

    /// `from → to` for a session in `from` (merchant operations, expiry).
    pub async fn transition_session(&self, id: &str, from: &str, to: &str) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(to)
        .bind(now())
        .bind(id)
        .bind(from)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A note for the merchant on a session that stays as it is (e.g. an
    /// unresolved payment).
    pub async fn note_session_error(&self, id: &str, code: &str, message: &str) -> DbResult<()> {
        sqlx::query(
            "UPDATE sessions SET last_error_code = $1, last_error = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(code)
        .bind(message)
        .bind(now())
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn set_save_outcome(&self, id: &str, outcome: &str) -> DbResult<()> {
        sqlx::query("UPDATE sessions SET save_outcome = $1, updated_at = $2 WHERE id = $3")
            .bind(outcome)
            .bind(now())
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Money columns after capture / void / refund, guarded by the status the
    /// caller read (optimistic concurrency: false when someone else moved first).
    pub async fn update_session_money(
        &self,
        id: &str,
        expected_status: &str,
        status: &str,
        captured: &str,
        refunded: &str,
    ) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET status = $1, amount_captured = $2, amount_refunded = $3, updated_at = $4 \
             WHERE id = $5 AND status = $6",
        )
        .bind(status)
        .bind(captured)
        .bind(refunded)
        .bind(now())
        .bind(id)
        .bind(expected_status)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks open sessions past their expiry as `expired`.
    pub async fn expire_sessions(&self, at: i64) -> DbResult<u64> {
        let done = sqlx::query(
            "UPDATE sessions SET status = 'expired', updated_at = $1 WHERE status = 'open' AND expires_at <= $1",
        )
        .bind(at)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    // ----------------------------------------------------------------- ledger

    pub async fn insert_attempt(&self, a: &AttemptRow) -> DbResult<()> {
        insert_attempt_on(&self.writer, a).await
    }

    pub async fn mark_attempt_uncertain(&self, id: &str) -> DbResult<()> {
        sqlx::query(
            "UPDATE payment_attempts SET state = 'uncertain', resends = resends + 1, updated_at = $1 WHERE id = $2",
        )
        .bind(now())
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn settle_attempt(&self, id: &str, r: &AttemptResult) -> DbResult<()> {
        settle_attempt_on(&self.writer, id, r).await
    }

    pub async fn attempts_for_session(&self, session_id: &str) -> DbResult<Vec<AttemptRow>> {
        let rows = sqlx::query(
            "SELECT * FROM payment_attempts WHERE session_id = $1 ORDER BY created_at, id",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(AttemptRow::from_row).collect()
    }

    /// Attempts whose outcome is not known: `pending` (the relay stopped during
    /// the call) and `uncertain`.
    pub async fn unresolved_attempts(&self) -> DbResult<Vec<AttemptRow>> {
        let rows = sqlx::query(
            "SELECT * FROM payment_attempts WHERE state IN ('pending', 'uncertain') ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(AttemptRow::from_row).collect()
    }

    // --------------------------------------------------------------- shoppers

    pub async fn get_shopper(&self, reference: &str) -> DbResult<Option<ShopperRow>> {
        let row = sqlx::query(
            "SELECT reference, customer_profile_id, email FROM shoppers WHERE reference = $1",
        )
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ShopperRow {
                reference: r.try_get("reference")?,
                customer_profile_id: r.try_get("customer_profile_id")?,
                email: r.try_get("email")?,
            })
        })
        .transpose()
    }

    /// Records (or re-points) the shopper → customer profile mapping.
    pub async fn upsert_shopper(
        &self,
        reference: &str,
        customer_profile_id: &str,
        email: Option<&str>,
    ) -> DbResult<()> {
        let at = now();
        sqlx::query(
            "INSERT INTO shoppers (reference, customer_profile_id, email, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (reference) DO UPDATE SET customer_profile_id = $2, updated_at = $4",
        )
        .bind(reference)
        .bind(customer_profile_id)
        .bind(email)
        .bind(at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn list_cards(&self, reference: &str) -> DbResult<Vec<CardRow>> {
        let rows = sqlx::query(
            "SELECT * FROM saved_cards WHERE shopper_reference = $1 ORDER BY created_at, id",
        )
        .bind(reference)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(CardRow::from_row).collect()
    }

    pub async fn get_card(&self, reference: &str, id: &str) -> DbResult<Option<CardRow>> {
        let row = sqlx::query("SELECT * FROM saved_cards WHERE shopper_reference = $1 AND id = $2")
            .bind(reference)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(CardRow::from_row).transpose()
    }

    /// Inserts the card, or returns the existing row for the same payment profile.
    pub async fn insert_card(&self, c: &CardRow) -> DbResult<CardRow> {
        sqlx::query(
            "INSERT INTO saved_cards (id, shopper_reference, payment_profile_id, brand, last4, exp_month, exp_year, created_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (shopper_reference, payment_profile_id) DO NOTHING",
        )
        .bind(&c.id)
        .bind(&c.shopper_reference)
        .bind(&c.payment_profile_id)
        .bind(&c.brand)
        .bind(&c.last4)
        .bind(c.exp_month)
        .bind(c.exp_year)
        .bind(c.created_at)
        .execute(&self.writer)
        .await?;
        let row = sqlx::query(
            "SELECT * FROM saved_cards WHERE shopper_reference = $1 AND payment_profile_id = $2",
        )
        .bind(&c.shopper_reference)
        .bind(&c.payment_profile_id)
        .fetch_one(&self.pool)
        .await?;
        CardRow::from_row(&row)
    }

    /// Refreshes the display expiry of a reused payment profile.
    pub async fn update_card_expiry(&self, id: &str, month: i64, year: i64) -> DbResult<()> {
        sqlx::query("UPDATE saved_cards SET exp_month = $1, exp_year = $2 WHERE id = $3")
            .bind(month)
            .bind(year)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn delete_card(&self, reference: &str, id: &str) -> DbResult<bool> {
        let done = sqlx::query("DELETE FROM saved_cards WHERE shopper_reference = $1 AND id = $2")
            .bind(reference)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn list_addresses(&self, reference: &str) -> DbResult<Vec<AddressRow>> {
        let rows = sqlx::query(
            "SELECT * FROM saved_addresses WHERE shopper_reference = $1 ORDER BY created_at, id",
        )
        .bind(reference)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(AddressRow::from_row).collect()
    }

    pub async fn get_address(&self, reference: &str, id: &str) -> DbResult<Option<AddressRow>> {
        let row =
            sqlx::query("SELECT * FROM saved_addresses WHERE shopper_reference = $1 AND id = $2")
                .bind(reference)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(AddressRow::from_row).transpose()
    }

    pub async fn insert_address(&self, a: &AddressRow) -> DbResult<AddressRow> {
        sqlx::query(
            "INSERT INTO saved_addresses (id, shopper_reference, address_id, first_name, last_name, company, \
             address, city, state, zip, country, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) \
             ON CONFLICT (shopper_reference, address_id) DO NOTHING",
        )
        .bind(&a.id)
        .bind(&a.shopper_reference)
        .bind(&a.address_id)
        .bind(&a.first_name)
        .bind(&a.last_name)
        .bind(&a.company)
        .bind(&a.address)
        .bind(&a.city)
        .bind(&a.state)
        .bind(&a.zip)
        .bind(&a.country)
        .bind(a.created_at)
        .execute(&self.writer)
        .await?;
        let row = sqlx::query(
            "SELECT * FROM saved_addresses WHERE shopper_reference = $1 AND address_id = $2",
        )
        .bind(&a.shopper_reference)
        .bind(&a.address_id)
        .fetch_one(&self.pool)
        .await?;
        AddressRow::from_row(&row)
    }

    pub async fn delete_address(&self, reference: &str, id: &str) -> DbResult<bool> {
        let done =
            sqlx::query("DELETE FROM saved_addresses WHERE shopper_reference = $1 AND id = $2")
                .bind(reference)
                .bind(id)
                .execute(&self.writer)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    // ------------------------------------------------------------ idempotency

    /// Starts a keyed request. `Ok(None)` = we own the key now; `Ok(Some(row))`
    /// = the key was used before (done or still in progress).
    pub async fn begin_idempotent(
        &self,
        key: &str,
        request_hash: &str,
    ) -> DbResult<Option<IdempotencyRow>> {
        let done = sqlx::query(
            "INSERT INTO idempotency_keys (idem_key, request_hash, state, created_at) VALUES ($1, $2, 'in_progress', $3) \
             ON CONFLICT (idem_key) DO NOTHING",
        )
        .bind(key)
        .bind(request_hash)
        .bind(now())
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT request_hash, state, status_code, response_body FROM idempotency_keys WHERE idem_key = $1",
        )
        .bind(key)
        .fetch_one(&self.pool)
        .await?;
        Ok(Some(IdempotencyRow {
            request_hash: row.try_get("request_hash")?,
            state: row.try_get("state")?,
            status_code: row.try_get("status_code")?,
            response_body: row.try_get("response_body")?,
        }))
    }

    pub async fn finish_idempotent(&self, key: &str, status: u16, body: &str) -> DbResult<()> {
        sqlx::query(
            "UPDATE idempotency_keys SET state = 'done', status_code = $1, response_body = $2 WHERE idem_key = $3",
        )
        .bind(i64::from(status))
        .bind(body)
        .bind(key)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Drops stored answers older than `before` (keys are kept 24 hours).
    pub async fn purge_idempotency(&self, before: i64) -> DbResult<u64> {
        let done =
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1 AND state = 'done'")
                .bind(before)
                .execute(&self.writer)
                .await?;
        Ok(done.rows_affected())
    }

    pub async fn forget_idempotent(&self, key: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM idempotency_keys WHERE idem_key = $1")
            .bind(key)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    // ------------------------------------------------------------------ audit

    pub async fn audit(
        &self,
        session_id: Option<&str>,
        actor: &str,
        event: &str,
        detail: &str,
    ) -> DbResult<()> {
        audit_on(&self.writer, session_id, actor, event, detail).await
    }

    pub async fn audit_events(&self, session_id: &str) -> DbResult<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT event, detail FROM audit_log WHERE session_id = $1 ORDER BY created_at, id",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("event")?, r.try_get("detail")?)))
            .collect()
    }
}

// ------------------------------------------------- statements on any executor
// (the pool, or a transaction that groups several of them into one commit)

async fn claim_on<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
    max_attempts: u32,
    at: i64,
) -> DbResult<Option<i64>> {
    let row = sqlx::query(
        "UPDATE sessions SET status = 'processing', attempts = attempts + 1, updated_at = $1 \
         WHERE id = $2 AND status = 'open' AND attempts < $3 AND expires_at > $1 RETURNING attempts",
    )
    .bind(at)
    .bind(id)
    .bind(i64::from(max_attempts))
    .fetch_optional(e)
    .await?;
    row.map(|r| r.try_get::<i64, _>("attempts")).transpose()
}

async fn insert_attempt_on<'c, E: Executor<'c, Database = Any>>(
    e: E,
    a: &AttemptRow,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO payment_attempts (id, session_id, kind, channel, state, amount, invoice_number, \
         ref_transaction_id, customer_profile_id, payment_profile_id, shipping_address_id, brand, last4, \
         expiry, client_ip, duplicate_window, resends, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,0,$17,$17)",
    )
    .bind(&a.id)
    .bind(&a.session_id)
    .bind(&a.kind)
    .bind(&a.channel)
    .bind(&a.state)
    .bind(&a.amount)
    .bind(&a.invoice_number)
    .bind(&a.ref_transaction_id)
    .bind(&a.customer_profile_id)
    .bind(&a.payment_profile_id)
    .bind(&a.shipping_address_id)
    .bind(&a.brand)
    .bind(&a.last4)
    .bind(&a.expiry)
    .bind(&a.client_ip)
    .bind(a.duplicate_window)
    .bind(a.created_at)
    .execute(e)
    .await?;
    Ok(())
}

async fn settle_attempt_on<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
    r: &AttemptResult,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE payment_attempts SET state = $1, transaction_id = $2, auth_code = $3, response_code = $4, \
         reason_code = $5, avs_result = $6, card_code_result = $7, message_code = $8, updated_at = $9 \
         WHERE id = $10",
    )
    .bind(&r.state)
    .bind(&r.transaction_id)
    .bind(&r.auth_code)
    .bind(r.response_code)
    .bind(r.reason_code)
    .bind(&r.avs_result)
    .bind(&r.card_code_result)
    .bind(&r.message_code)
    .bind(now())
    .bind(id)
    .execute(e)
    .await?;
    Ok(())
}

/// Records a pay attempt's outcome on the session (leaving `processing`).
/// `status = "open"` means "open again if attempts remain", else `declined`.
async fn finish_payment_on<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
    f: &PaymentFinish,
    max_attempts: u32,
) -> DbResult<Option<String>> {
    let row = sqlx::query(
        "UPDATE sessions SET \
         status = CASE WHEN $1 = 'open' AND attempts >= $16 THEN 'declined' ELSE $1 END, \
         transaction_id = COALESCE($2, transaction_id), \
         auth_code = COALESCE($3, auth_code), brand = COALESCE($4, brand), last4 = COALESCE($5, last4), \
         avs_result = $6, card_code_result = $7, customer_profile_id = COALESCE($8, customer_profile_id), \
         payment_profile_id = COALESCE($9, payment_profile_id), amount_authorized = $10, \
         amount_captured = $11, last_error_code = $12, last_error = $13, updated_at = $14 \
         WHERE id = $15 AND status = 'processing' RETURNING status",
    )
    .bind(&f.status)
    .bind(&f.transaction_id)
    .bind(&f.auth_code)
    .bind(&f.brand)
    .bind(&f.last4)
    .bind(&f.avs_result)
    .bind(&f.card_code_result)
    .bind(&f.customer_profile_id)
    .bind(&f.payment_profile_id)
    .bind(&f.amount_authorized)
    .bind(&f.amount_captured)
    .bind(&f.last_error_code)
    .bind(&f.last_error)
    .bind(now())
    .bind(id)
    .bind(i64::from(max_attempts))
    .fetch_optional(e)
    .await?;
    row.map(|r| r.try_get::<String, _>("status")).transpose()
}

async fn audit_on<'c, E: Executor<'c, Database = Any>>(
    e: E,
    session_id: Option<&str>,
    actor: &str,
    event: &str,
    detail: &str,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, session_id, actor, event, detail, created_at) VALUES ($1,$2,$3,$4,$5,$6)",
    )
    .bind(new_id("au_"))
    .bind(session_id)
    .bind(actor)
    .bind(event)
    .bind(detail)
    .bind(now())
    .execute(e)
    .await?;
    Ok(())
}

/// A random id with a prefix: `cs_` sessions, `pa_` attempts, `pm_` cards, ...
pub fn new_id(prefix: &str) -> String {
    let bytes: [u8; 12] = rand::random();
    format!("{prefix}{}", hex::encode(bytes))
}

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: String,
    pub client_token_hash: String,
    pub status: String,
    pub mode: String,
    pub amount: String,
    pub currency: String,
    pub order_json: String,
    pub invoice_number: String,
    pub shopper_reference: Option<String>,
    pub shopper_email: Option<String>,
    pub require_avs: bool,
    pub require_card_code: bool,
    pub offer_save: bool,
    pub return_url: Option<String>,
    pub attempts: i64,
    pub transaction_id: Option<String>,
    pub auth_code: Option<String>,
    pub brand: Option<String>,
    pub last4: Option<String>,
    pub avs_result: Option<String>,
    pub card_code_result: Option<String>,
    pub customer_profile_id: Option<String>,
    pub payment_profile_id: Option<String>,
    pub amount_authorized: String,
    pub amount_captured: String,
    pub amount_refunded: String,
    pub last_error_code: Option<String>,
    pub last_error: Option<String>,
    pub save_outcome: Option<String>,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl SessionRow {
    fn from_row(r: &AnyRow) -> DbResult<SessionRow> {
        Ok(SessionRow {
            id: r.try_get("id")?,
            client_token_hash: r.try_get("client_token_hash")?,
            status: r.try_get("status")?,
            mode: r.try_get("mode")?,
            amount: r.try_get("amount")?,
            currency: r.try_get("currency")?,
            order_json: r.try_get("order_json")?,
            invoice_number: r.try_get("invoice_number")?,
            shopper_reference: r.try_get("shopper_reference")?,
            shopper_email: r.try_get("shopper_email")?,
            require_avs: r.try_get::<i64, _>("require_avs")? != 0,
            require_card_code: r.try_get::<i64, _>("require_card_code")? != 0,
            offer_save: r.try_get::<i64, _>("offer_save")? != 0,
            return_url: r.try_get("return_url")?,
            attempts: r.try_get("attempts")?,
            transaction_id: r.try_get("transaction_id")?,
            auth_code: r.try_get("auth_code")?,
            brand: r.try_get("brand")?,
            last4: r.try_get("last4")?,
            avs_result: r.try_get("avs_result")?,
            card_code_result: r.try_get("card_code_result")?,
            customer_profile_id: r.try_get("customer_profile_id")?,
            payment_profile_id: r.try_get("payment_profile_id")?,
            amount_authorized: r.try_get("amount_authorized")?,
            amount_captured: r.try_get("amount_captured")?,
            amount_refunded: r.try_get("amount_refunded")?,
            last_error_code: r.try_get("last_error_code")?,
            last_error: r.try_get("last_error")?,
            save_outcome: r.try_get("save_outcome")?,
            expires_at: r.try_get("expires_at")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

/// What a finished pay attempt writes onto its session.
#[derive(Debug, Clone, Default)]
pub struct PaymentFinish {
    pub status: String,
    pub transaction_id: Option<String>,
    pub auth_code: Option<String>,
    pub brand: Option<String>,
    pub last4: Option<String>,
    pub avs_result: Option<String>,
    pub card_code_result: Option<String>,
    pub customer_profile_id: Option<String>,
    pub payment_profile_id: Option<String>,
    pub amount_authorized: String,
    pub amount_captured: String,
    pub last_error_code: Option<String>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AttemptRow {
    pub id: String,
    pub session_id: String,
    pub kind: String,
    pub channel: String,
    pub state: String,
    pub amount: String,
    pub invoice_number: Option<String>,
    pub ref_transaction_id: Option<String>,
    pub customer_profile_id: Option<String>,
    pub payment_profile_id: Option<String>,
    pub shipping_address_id: Option<String>,
    pub brand: Option<String>,
    pub last4: Option<String>,
    pub expiry: Option<String>,
    pub client_ip: Option<String>,
    /// The `x_duplicate_window` this attempt is sent (and resent) with.
    pub duplicate_window: Option<i64>,
    pub transaction_id: Option<String>,
    pub auth_code: Option<String>,
    pub response_code: Option<i64>,
    pub reason_code: Option<i64>,
    pub avs_result: Option<String>,
    pub card_code_result: Option<String>,
    pub message_code: Option<String>,
    pub resends: i64,
    pub created_at: i64,
    /// Last change (read only; the database sets it).
    pub updated_at: i64,
}

impl AttemptRow {
    fn from_row(r: &AnyRow) -> DbResult<AttemptRow> {
        Ok(AttemptRow {
            id: r.try_get("id")?,
            session_id: r.try_get("session_id")?,
            kind: r.try_get("kind")?,
            channel: r.try_get("channel")?,
            state: r.try_get("state")?,
            amount: r.try_get("amount")?,
            invoice_number: r.try_get("invoice_number")?,
            ref_transaction_id: r.try_get("ref_transaction_id")?,
            customer_profile_id: r.try_get("customer_profile_id")?,
            payment_profile_id: r.try_get("payment_profile_id")?,
            shipping_address_id: r.try_get("shipping_address_id")?,
            brand: r.try_get("brand")?,
            last4: r.try_get("last4")?,
            expiry: r.try_get("expiry")?,
            client_ip: r.try_get("client_ip")?,
            duplicate_window: r.try_get("duplicate_window")?,
            transaction_id: r.try_get("transaction_id")?,
            auth_code: r.try_get("auth_code")?,
            response_code: r.try_get("response_code")?,
            reason_code: r.try_get("reason_code")?,
            avs_result: r.try_get("avs_result")?,
            card_code_result: r.try_get("card_code_result")?,
            message_code: r.try_get("message_code")?,
            resends: r.try_get("resends")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

/// Everything [`Db::record_charge_outcome`] writes in its one transaction.
#[derive(Debug)]
pub struct ChargeOutcome<'a> {
    pub session_id: &'a str,
    pub attempt_id: &'a str,
    pub result: &'a AttemptResult,
    pub finish: &'a PaymentFinish,
    pub audit_event: &'a str,
    pub audit_detail: &'a str,
}

/// The settled outcome of one attempt.
#[derive(Debug, Clone, Default)]
pub struct AttemptResult {
    pub state: String,
    pub transaction_id: Option<String>,
    pub auth_code: Option<String>,
    pub response_code: Option<i64>,
    pub reason_code: Option<i64>,
    pub avs_result: Option<String>,
    pub card_code_result: Option<String>,
    pub message_code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ShopperRow {
    pub reference: String,
    pub customer_profile_id: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CardRow {
    pub id: String,
    pub shopper_reference: String,
    pub payment_profile_id: String,
    pub brand: Option<String>,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
    pub created_at: i64,
}

impl CardRow {
    fn from_row(r: &AnyRow) -> DbResult<CardRow> {
        Ok(CardRow {
            id: r.try_get("id")?,
            shopper_reference: r.try_get("shopper_reference")?,
            payment_profile_id: r.try_get("payment_profile_id")?,
            brand: r.try_get("brand")?,
            last4: r.try_get("last4")?,
            exp_month: r.try_get("exp_month")?,
            exp_year: r.try_get("exp_year")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct AddressRow {
    pub id: String,
    pub shopper_reference: String,
    pub address_id: String,
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country: String,
    pub created_at: i64,
}

impl AddressRow {
    fn from_row(r: &AnyRow) -> DbResult<AddressRow> {
        Ok(AddressRow {
            id: r.try_get("id")?,
            shopper_reference: r.try_get("shopper_reference")?,
            address_id: r.try_get("address_id")?,
            first_name: r.try_get("first_name")?,
            last_name: r.try_get("last_name")?,
            company: r.try_get("company")?,
            address: r.try_get("address")?,
            city: r.try_get("city")?,
            state: r.try_get("state")?,
            zip: r.try_get("zip")?,
            country: r.try_get("country")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct IdempotencyRow {
    pub request_hash: String,
    pub state: String,
    pub status_code: Option<i64>,
    pub response_body: Option<String>,
}
