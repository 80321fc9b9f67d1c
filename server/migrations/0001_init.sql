-- anet-checkout relay schema. Portable between SQLite and PostgreSQL:
-- TEXT and BIGINT only, no engine-specific types or defaults.
-- Amounts are exact decimal strings ("12.30"); times are Unix seconds (UTC).
-- Card numbers and card codes are never stored, anywhere.

-- One checkout, created by the merchant backend.
CREATE TABLE sessions (
    id                  TEXT PRIMARY KEY,
    client_token_hash   TEXT NOT NULL UNIQUE,   -- SHA-256 hex of the client token
    status              TEXT NOT NULL,          -- open|processing|approved|declined|authorized|captured|voided|refunded|expired
    mode                TEXT NOT NULL,          -- auth_capture|auth_only
    amount              TEXT NOT NULL,
    currency            TEXT NOT NULL,
    order_json          TEXT NOT NULL,          -- the merchant's order fields (tax, line items, ...)
    invoice_number      TEXT NOT NULL,          -- merchant's, or generated (duplicate detection needs one)
    shopper_reference   TEXT,
    shopper_email       TEXT,
    require_avs         BIGINT NOT NULL,
    require_card_code   BIGINT NOT NULL,
    offer_save          BIGINT NOT NULL,
    return_url          TEXT,
    attempts            BIGINT NOT NULL,        -- pay attempts sent to the gateway
    transaction_id      TEXT,
    auth_code           TEXT,
    brand               TEXT,
    last4               TEXT,
    avs_result          TEXT,
    card_code_result    TEXT,
    customer_profile_id TEXT,                   -- set when paid with a saved card (CIM)
    payment_profile_id  TEXT,
    amount_authorized   TEXT NOT NULL,
    amount_captured     TEXT NOT NULL,
    amount_refunded     TEXT NOT NULL,
    last_error_code     TEXT,
    last_error          TEXT,                   -- shopper-safe message
    save_outcome        TEXT,                   -- what happened to "save this card"
    expires_at          BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX sessions_status ON sessions (status);

-- The payment ledger: one row per gateway attempt, written BEFORE the call
-- (state 'pending'), settled after. 'uncertain' = the call was sent and no
-- answer came back; resolved by resending the identical request inside the
-- duplicate window (reason 11 returns the original outcome).
CREATE TABLE payment_attempts (
    id                  TEXT PRIMARY KEY,
    session_id          TEXT NOT NULL REFERENCES sessions (id),
    kind                TEXT NOT NULL,          -- auth_capture|auth_only|prior_auth_capture|void|credit
    channel             TEXT NOT NULL,          -- aim|cim
    state               TEXT NOT NULL,          -- pending|uncertain|approved|declined|error|held|unresolved
    amount              TEXT NOT NULL,
    invoice_number      TEXT,
    ref_transaction_id  TEXT,                   -- capture/void/credit: the original transaction
    customer_profile_id TEXT,
    payment_profile_id  TEXT,
    shipping_address_id TEXT,
    brand               TEXT,
    last4               TEXT,
    expiry              TEXT,                   -- MM/YYYY
    client_ip           TEXT,
    transaction_id      TEXT,
    auth_code           TEXT,
    response_code       BIGINT,
    reason_code         BIGINT,
    avs_result          TEXT,
    card_code_result    TEXT,
    message_code        TEXT,
    resends             BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX payment_attempts_session ON payment_attempts (session_id);
CREATE INDEX payment_attempts_state ON payment_attempts (state);

-- The merchant's shopper reference -> CIM customer profile.
CREATE TABLE shoppers (
    reference           TEXT PRIMARY KEY,
    customer_profile_id TEXT NOT NULL,
    email               TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

-- Saved cards: display metadata and CIM ids only (never the number).
CREATE TABLE saved_cards (
    id                  TEXT PRIMARY KEY,       -- our id (pm_...), what the APIs show
    shopper_reference   TEXT NOT NULL REFERENCES shoppers (reference),
    payment_profile_id  TEXT NOT NULL,
    brand               TEXT,
    last4               TEXT NOT NULL,
    exp_month           BIGINT NOT NULL,
    exp_year            BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    UNIQUE (shopper_reference, payment_profile_id)
);

-- Saved shipping addresses: CIM address id + display fields.
CREATE TABLE saved_addresses (
    id                  TEXT PRIMARY KEY,       -- our id (ad_...)
    shopper_reference   TEXT NOT NULL REFERENCES shoppers (reference),
    address_id          TEXT NOT NULL,
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    company             TEXT NOT NULL,
    address             TEXT NOT NULL,
    city                TEXT NOT NULL,
    state               TEXT NOT NULL,
    zip                 TEXT NOT NULL,
    country             TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    UNIQUE (shopper_reference, address_id)
);

-- Idempotency-Key handling for merchant POSTs.
CREATE TABLE idempotency_keys (
    idem_key            TEXT PRIMARY KEY,
    request_hash        TEXT NOT NULL,          -- SHA-256 of method, path and body
    state               TEXT NOT NULL,          -- in_progress|done
    status_code         BIGINT,
    response_body       TEXT,
    created_at          BIGINT NOT NULL
);

-- Audit trail of state changes (ids and outcomes only, never card data).
CREATE TABLE audit_log (
    id                  TEXT PRIMARY KEY,
    session_id          TEXT,
    actor               TEXT NOT NULL,          -- merchant|shopper|relay
    event               TEXT NOT NULL,
    detail              TEXT NOT NULL,
    created_at          BIGINT NOT NULL
);
CREATE INDEX audit_log_session ON audit_log (session_id);
