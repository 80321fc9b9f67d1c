//! The transaction engine: one domain-level request type ([`TxnRequest`]) and
//! [`Sandbox::transact`], which applies every rule and test value and writes
//! the one ledger. AIM, CIM profile transactions and `createTransactionRequest`
//! all call it, so their results agree.
//!
//! Rules (reason codes from the fact sheet §3.5, §7):
//! - new charges (AUTH_CAPTURE, AUTH_ONLY, CAPTURE_ONLY): amount (5), card
//!   number (6), expiry (7 / expired 8), card code format (78), auth code for
//!   CAPTURE_ONLY (missing 12, too long 72), duplicate window (11), then the
//!   test values of [`crate::magic`];
//! - PRIOR_AUTH_CAPTURE: only on an unsettled, unexpired AUTH_ONLY (15/16),
//!   already captured → code 1 reason 311, amount ≤ authorised (47);
//! - VOID: only before settlement; already voided → code 1 reason 310;
//! - CREDIT: only on a settled charge, last four must match, within 120 days
//!   (54), sum of credits ≤ settled amount (55);
//! - `test_request`: `(TESTMODE)` text, auth code `000000`, AVS `P`, trans id 0,
//!   nothing stored; `4222222222222` → reason code = amount.

use authnet_proto::aim::reason::{reason_text, response_code_for};
use authnet_proto::aim::response::format_amount;
use authnet_proto::aim::{
    AimResponse, AvsResult, CavvResult, ResponseAddress, ResponseCode, TransactionType,
};
use checkout_domain::Secret;
use rand::Rng;
use rust_decimal::Decimal;
use std::hash::{BuildHasher, Hash, Hasher};

use crate::ledger::{LedgerEntry, ProfileRef, TxnState};
use crate::{Sandbox, lock, magic};

/// One transaction request, whatever API it came from.
#[derive(Debug, Clone)]
pub struct TxnRequest {
    pub kind: TransactionType,
    /// `x_amount` / `amount`; `None` when absent.
    pub amount: Option<Decimal>,
    /// Full number, or last four for CREDIT.
    pub card_number: Option<Secret<String>>,
    /// Raw expiry as sent (`MMYY`, `MM/YY`, `MM-YYYY`, `YYYY-MM`, …).
    pub expiry: Option<String>,
    pub card_code: Option<Secret<String>>,
    /// eCheck (`method` = `ECHECK`): routing number, account number, type.
    pub bank_aba_code: Option<String>,
    pub bank_acct_num: Option<Secret<String>>,
    pub bank_acct_type: Option<String>,
    /// The original transaction for PRIOR_AUTH_CAPTURE / CREDIT / VOID.
    pub ref_trans_id: Option<String>,
    /// CAPTURE_ONLY approval code.
    pub auth_code: Option<String>,
    pub split_tender_id: Option<String>,
    pub allow_partial_auth: bool,
    pub test_request: bool,
    /// `None`: the field was absent (120 s window, plain duplicate response).
    /// `Some(n)`: present (clamped 0–28800; enhanced duplicate response).
    pub duplicate_window: Option<u32>,
    /// `CC` (default) or `ECHECK`.
    pub method: String,
    pub invoice_num: String,
    pub description: String,
    pub po_num: String,
    pub cust_id: String,
    pub bill_to: ResponseAddress,
    pub email: String,
    pub ship_to: ResponseAddress,
    /// Amount parts of tax / duty / freight, as echoed at 33–35.
    pub tax: String,
    pub duty: String,
    pub freight: String,
    /// `TRUE` / `FALSE` / blank, echoed at 36.
    pub tax_exempt: String,
    pub customer_ip: String,
    pub recurring_billing: bool,
    /// Values echoed from position 69 (merchant-defined fields; CIM puts the
    /// shipping address id first).
    pub extra_echo: Vec<String>,
    /// CIM profile the transaction was made with (kept in the ledger).
    pub profile: Option<ProfileRef>,
}

impl TxnRequest {
    pub fn new(kind: TransactionType) -> Self {
        TxnRequest {
            kind,
            amount: None,
            card_number: None,
            expiry: None,
            card_code: None,
            bank_aba_code: None,
            bank_acct_num: None,
            bank_acct_type: None,
            ref_trans_id: None,
            auth_code: None,
            split_tender_id: None,
            allow_partial_auth: false,
            test_request: false,
            duplicate_window: None,
            method: "CC".to_owned(),
            invoice_num: String::new(),
            description: String::new(),
            po_num: String::new(),
            cust_id: String::new(),
            bill_to: ResponseAddress::default(),
            email: String::new(),
            ship_to: ResponseAddress::default(),
            tax: String::new(),
            duty: String::new(),
            freight: String::new(),
            tax_exempt: String::new(),
            customer_ip: String::new(),
            recurring_billing: false,
            extra_echo: Vec::new(),
            profile: None,
        }
    }

    fn card_digits(&self) -> &str {
        self.card_number
            .as_ref()
            .map(|s| s.expose_secret().trim())
            .unwrap_or("")
    }
}

/// A card that passed the format checks.
struct CheckedCard {
    last4: String,
    card_type: &'static str,
    fingerprint: u64,
}

impl Sandbox {
    /// Runs one transaction: checks, test values, ledger update. Credentials are
    /// the caller's job ([`Sandbox::check_credentials`]). Never panics; every
    /// refusal is an `AimResponse` with the documented reason code.
    pub fn transact(&self, req: TxnRequest) -> AimResponse {
        let mut resp = echo(&req);
        match req.kind {
            TransactionType::AuthCapture
            | TransactionType::AuthOnly
            | TransactionType::CaptureOnly => self.new_charge(&req, &mut resp),
            TransactionType::PriorAuthCapture => self.prior_auth_capture(&req, &mut resp),
            TransactionType::Void => self.void(&req, &mut resp),
            TransactionType::Credit => self.credit(&req, &mut resp),
        }
        if req.test_request {
            resp.reason_text = format!("(TESTMODE) {}", resp.reason_text);
            resp.trans_id = "0".to_owned();
            resp.avs_result = Some(AvsResult::NotApplicable);
            resp.card_code_result = None;
            resp.cavv_result = None;
            if resp.response_code == ResponseCode::Approved {
                resp.auth_code = "000000".to_owned();
            }
        }
        resp.md5_hash = authnet_proto::aim::md5::response_hash(
            &self.0.config.behaviour.md5_hash_value,
            self.login(),
            &resp.trans_id,
            resp.amount,
        );
        resp
    }

    /// The response for a request refused before it reaches the rules (bad
    /// credentials 13, bad version 68, …): the request's echo fields, code and
    /// text for `reason`, transaction id 0, AVS `P`, MD5 hash.
    pub fn refusal(&self, req: &TxnRequest, reason: u16, detail: &str) -> AimResponse {
        let mut resp = echo(req);
        Self::refuse(&mut resp, reason, detail);
        if reason == 13 {
            resp.method.clear();
        }
        if req.test_request {
            resp.reason_text = format!("(TESTMODE) {}", resp.reason_text);
        }
        resp.md5_hash = authnet_proto::aim::md5::response_hash(
            &self.0.config.behaviour.md5_hash_value,
            self.login(),
            &resp.trans_id,
            resp.amount,
        );
        resp
    }

    /// An error/refusal response built from the echo.
    fn refuse(resp: &mut AimResponse, reason: u16, detail: &str) {
        let code = ResponseCode::from_u8(response_code_for(reason)).unwrap_or(ResponseCode::Error);
        resp.response_code = code;
        resp.subcode = if matches!(reason, 13 | 47 | 54 | 311) {
            "2"
        } else {
            "1"
        }
        .to_owned();
        resp.reason_code = reason;
        resp.reason_text = reason_text(reason, detail);
        resp.trans_id = "0".to_owned();
        resp.auth_code.clear();
        resp.avs_result = Some(AvsResult::NotApplicable);
        resp.card_code_result = None;
        resp.cavv_result = None;
    }

    fn approve(resp: &mut AimResponse) {
        resp.response_code = ResponseCode::Approved;
        resp.subcode = "1".to_owned();
        resp.reason_code = 1;
        resp.reason_text = reason_text(1, "");
    }

    fn check_card(&self, req: &TxnRequest) -> Result<CheckedCard, u16> {
        let digits = req.card_digits();
        if !(13..=19).contains(&digits.len())
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || !checkout_domain::card::luhn_valid(digits)
        {
            return Err(6);
        }
        let card_type = checkout_domain::card::detect_brand(digits)
            .map(|b| b.aim_card_type())
            .ok_or(17u16)?;
        let fingerprint = self.0.fingerprint_key.hash_one(digits);
        Ok(CheckedCard {
            last4: digits
                .get(digits.len() - 4..)
                .unwrap_or_default()
                .to_owned(),
            card_type,
            fingerprint,
        })
    }

    /// eCheck: routing number (9 digits, ABA check digit → 9), account number
    /// (1–17 digits → 10), account type (71).
    fn check_bank(&self, req: &TxnRequest) -> Result<CheckedCard, u16> {
        let aba = req.bank_aba_code.as_deref().unwrap_or("").trim();
        if !aba_valid(aba) {
            return Err(9);
        }
        let acct = req
            .bank_acct_num
            .as_ref()
            .map(|s| s.expose_secret().trim())
            .unwrap_or("");
        if acct.is_empty() || acct.len() > 17 || !acct.bytes().all(|b| b.is_ascii_digit()) {
            return Err(10);
        }
        match req.bank_acct_type.as_deref().map(str::trim) {
            None | Some("") => {}
            Some(t)
                if ["CHECKING", "SAVINGS", "BUSINESSCHECKING"]
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(t)) => {}
            Some(_) => return Err(71),
        }
        Ok(CheckedCard {
            last4: acct
                .get(acct.len().saturating_sub(4)..)
                .unwrap_or_default()
                .to_owned(),
            card_type: "Bank Account",
            fingerprint: self.0.fingerprint_key.hash_one((aba, acct)),
        })
    }

    fn check_expiry(&self, raw: Option<&str>) -> Result<(i32, u32), u16> {
        let (y, m) =
            parse_expiry(raw.unwrap_or(""), self.0.config.behaviour.accept_yyyy_mm).ok_or(7u16)?;
        let (cy, cm) = crate::clock::year_month(self.now());
        if (y, m) < (cy, cm) {
            return Err(8);
        }
        Ok((y, m))
    }

    fn new_charge(&self, req: &TxnRequest, resp: &mut AimResponse) {
        let b = &self.0.config.behaviour;
        let amount = match req.amount {
            Some(a) if a > Decimal::ZERO => a,
            _ => return Self::refuse(resp, 5, ""),
        };
        let echeck = req.method.eq_ignore_ascii_case("ECHECK");
        if echeck && req.kind == TransactionType::CaptureOnly {
            return Self::refuse(resp, 53, "");
        }
        let checked = if echeck {
            self.check_bank(req)
        } else {
            self.check_card(req)
        };
        let card = match checked {
            Ok(c) => c,
            Err(reason) => return Self::refuse(resp, reason, ""),
        };
        resp.account_number = format!("XXXX{}", card.last4);
        resp.card_type = card.card_type.to_owned();
        let expiry = if echeck {
            (0, 0)
        } else {
            match self.check_expiry(req.expiry.as_deref()) {
                Ok(e) => e,
                Err(reason) => return Self::refuse(resp, reason, ""),
            }
        };
        let code = req
            .card_code
            .as_ref()
            .map(|c| c.expose_secret().trim())
            .filter(|c| !c.is_empty() && !echeck);
        if let Some(c) = code
            && (!(3..=4).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_digit()))
        {
            return Self::refuse(resp, 78, "");
        }
        if req.kind == TransactionType::CaptureOnly {
            match req.auth_code.as_deref().map(str::trim) {
                None | Some("") => return Self::refuse(resp, 12, ""),
                Some(a) if a.len() > 6 => return Self::refuse(resp, 72, ""),
                _ => {}
            }
        }

        // Test mode: nothing stored; the error card picks the reason by amount.
        if req.test_request {
            if req.card_digits() == magic::ERROR_CARD {
                let n = amount.trunc().to_string().parse::<u16>().unwrap_or(0);
                let reason = if n != 0 && authnet_proto::aim::reason::reason(n).is_some() {
                    n
                } else {
                    b.magic_unknown_reason
                };
                if reason != 1 {
                    Self::refuse(resp, reason, "");
                    return;
                }
            }
            Self::approve(resp);
            return;
        }

        let window = req.duplicate_window.unwrap_or(120);
        let dup_key =
            (window > 0).then(|| self.duplicate_key(req, card.fingerprint, expiry, window));
        let now = self.now();
        let mut ledger = lock(&self.0.ledger);
        if let Some(key) = dup_key
            && let Some(prev) = ledger.recent.get(&key)
            && now - prev.at < i64::from(window)
        {
            let original = prev.response.clone();
            drop(ledger);
            Self::refuse(resp, 11, "");
            if req.duplicate_window.is_some() {
                // Enhanced duplicate response (§3.11).
                resp.avs_result = original.avs_result;
                resp.card_code_result = original.card_code_result;
                resp.trans_id = original.trans_id;
                if original.response_code == ResponseCode::Approved {
                    resp.auth_code = original.auth_code;
                }
            }
            return;
        }

        // Split-tender follow-up payment.
        let mut split_tender: Option<u64> = None;
        if let Some(st) = req.split_tender_id.as_deref().filter(|s| !s.is_empty()) {
            let id = st.parse::<u64>().ok();
            let known = id.is_some_and(|id| {
                ledger
                    .entries
                    .values()
                    .any(|e| e.split_tender_id == Some(id))
            });
            if !known {
                drop(ledger);
                return Self::refuse(resp, 296, "");
            }
            split_tender = id;
        }

        // Issuer decision from the test values.
        // CAPTURE_ONLY and eCheck never reach a card issuer: no AVS, no triggers.
        let no_issuer = echeck || req.kind == TransactionType::CaptureOnly;
        let zip = if no_issuer {
            None
        } else {
            magic::zip_trigger(&req.bill_to.zip)
        };
        let has_address =
            !req.bill_to.address.trim().is_empty() || !req.bill_to.zip.trim().is_empty();
        let mut avs = if no_issuer {
            AvsResult::NotApplicable
        } else if has_address {
            AvsResult::AddressAndZip5Match
        } else {
            AvsResult::NoAddressInfo
        };
        if let Some(magic::ZipTrigger::Avs(letter)) = &zip
            && magic::avs_applies(letter, card.card_type)
        {
            avs = letter.clone();
        }
        let cvv = code
            .filter(|_| !no_issuer)
            .map(|c| magic::card_code_result(c, b.card_code_aliases));
        let avs_filtered = b.avs_reject.contains(avs.as_str());
        let cvv_filtered = cvv
            .as_ref()
            .is_some_and(|c| b.card_code_reject.contains(c.as_str()));
        let mut approved_amount = amount;
        let declined_reason = match (&zip, avs_filtered, cvv_filtered) {
            _ if echeck && amount > magic::echeck_limit() => Some(2),
            (Some(magic::ZipTrigger::Decline), _, _) => Some(2),
            (_, true, true) => Some(45),
            (_, true, false) => Some(27),
            (_, false, true) => Some(65),
            (Some(magic::ZipTrigger::PartialAuth), _, _) if !req.allow_partial_auth => Some(2),
            _ => None,
        };
        let id = ledger.allocate_id();
        resp.trans_id = id.to_string();
        resp.avs_result = Some(avs.clone());
        resp.card_code_result = cvv.clone();
        let state = match declined_reason {
            Some(reason) => {
                resp.response_code = ResponseCode::Declined;
                resp.subcode = "1".to_owned();
                resp.reason_code = reason;
                resp.reason_text = reason_text(reason, "");
                TxnState::Declined
            }
            None => {
                Self::approve(resp);
                resp.auth_code = match req.kind {
                    TransactionType::CaptureOnly => {
                        req.auth_code.clone().unwrap_or_default().trim().to_owned()
                    }
                    _ => random_auth_code(),
                };
                if card.card_type == "Visa" && req.kind != TransactionType::CaptureOnly {
                    resp.cavv_result = Some(CavvResult::Passed);
                }
                match &zip {
                    Some(magic::ZipTrigger::PartialAuth) if split_tender.is_none() => {
                        let group = ledger.allocate_split_tender();
                        approved_amount = magic::partial_approved_amount().min(amount);
                        resp.response_code = ResponseCode::HeldForReview;
                        resp.reason_code = 295;
                        resp.reason_text = reason_text(295, "");
                        resp.amount = Some(approved_amount);
                        resp.requested_amount = Some(amount);
                        resp.split_tender_id = group.to_string();
                        split_tender = Some(group);
                    }
                    Some(magic::ZipTrigger::Balance(bal)) => resp.balance_on_card = Some(*bal),
                    _ => {}
                }
                if let Some(group) = split_tender {
                    resp.split_tender_id = group.to_string();
                }
                match req.kind {
                    TransactionType::AuthOnly => TxnState::AuthorizedPendingCapture,
                    _ => TxnState::CapturedPendingSettlement,
                }
            }
        };
        let captured = (state == TxnState::CapturedPendingSettlement).then_some(approved_amount);
        ledger.entries.insert(
            id,
            LedgerEntry {
                id,
                kind: req.kind,
                state,
                amount: approved_amount,
                captured_amount: captured,
                credited_amount: Decimal::ZERO,
                last4: card.last4,
                card_type: card.card_type.to_owned(),
                auth_code: resp.auth_code.clone(),
                avs_result: avs.as_str().to_owned(),
                card_code_result: cvv.map(|c| c.as_str().to_owned()).unwrap_or_default(),
                invoice: req.invoice_num.clone(),
                ref_trans_id: None,
                split_tender_id: split_tender,
                profile: req.profile.clone(),
                created_at: now,
                settled_at: None,
                batch_id: None,
                card_fingerprint: card.fingerprint,
            },
        );
        if let Some(key) = dup_key {
            ledger.remember(key, now, window, resp.clone());
        }
        drop(ledger);
        tracing::debug!(trans_id = id, kind = ?req.kind, state = ?state, "transaction");
    }

    fn ref_id(resp: &mut AimResponse, req: &TxnRequest) -> Option<u64> {
        match req.ref_trans_id.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
                match t.parse::<u64>() {
                    Ok(id) => Some(id),
                    Err(_) => {
                        Self::refuse(resp, 16, "");
                        None
                    }
                }
            }
            _ => {
                Self::refuse(resp, 15, "");
                None
            }
        }
    }

    fn prior_auth_capture(&self, req: &TxnRequest, resp: &mut AimResponse) {
        let b = &self.0.config.behaviour;
        let Some(id) = Self::ref_id(resp, req) else {
            return;
        };
        if let Some(a) = req.amount
            && a <= Decimal::ZERO
        {
            return Self::refuse(resp, 5, "");
        }
        let now = self.now();
        let mut ledger = lock(&self.0.ledger);
        let Some(e) = ledger.entries.get_mut(&id) else {
            drop(ledger);
            return Self::refuse(resp, 16, "");
        };
        resp.account_number = format!("XXXX{}", e.last4);
        resp.card_type = e.card_type.clone();
        let expired = e.state == TxnState::Expired
            || (e.state == TxnState::AuthorizedPendingCapture
                && now - e.created_at > b.auth_lifetime_days * 86_400);
        let reason = match (e.kind, e.state) {
            _ if expired => Some(b.not_actionable_reason),
            (TransactionType::AuthOnly, TxnState::AuthorizedPendingCapture) => None,
            (
                TransactionType::AuthOnly
                | TransactionType::AuthCapture
                | TransactionType::CaptureOnly,
                TxnState::CapturedPendingSettlement | TxnState::Settled | TxnState::Refunded,
            ) => Some(311),
            _ => Some(b.not_actionable_reason),
        };
        if let Some(reason) = reason {
            drop(ledger);
            return Self::refuse(resp, reason, "");
        }
        let capture = req.amount.unwrap_or(e.amount);
        if capture > e.amount {
            drop(ledger);
            return Self::refuse(resp, 47, "");
        }
        if capture < e.amount && !b.partial_capture {
            drop(ledger);
            return Self::refuse(resp, 48, "");
        }
        if !req.test_request {
            e.state = TxnState::CapturedPendingSettlement;
            e.captured_amount = Some(capture);
        }
        Self::approve(resp);
        resp.trans_id = id.to_string();
        resp.auth_code = e.auth_code.clone();
        resp.avs_result = Some(AvsResult::NotApplicable);
        resp.amount = Some(capture);
        if resp.invoice_num.is_empty() {
            resp.invoice_num = e.invoice.clone();
        }
    }

    fn void(&self, req: &TxnRequest, resp: &mut AimResponse) {
        let b = &self.0.config.behaviour;
        // Void of a whole split-tender group.
        if let Some(st) = req.split_tender_id.as_deref().filter(|s| !s.is_empty()) {
            let Ok(group) = st.parse::<u64>() else {
                return Self::refuse(resp, 296, "");
            };
            let mut ledger = lock(&self.0.ledger);
            let mut n = 0;
            for e in ledger
                .entries
                .values_mut()
                .filter(|e| e.split_tender_id == Some(group))
            {
                if matches!(
                    e.state,
                    TxnState::AuthorizedPendingCapture | TxnState::CapturedPendingSettlement
                ) {
                    if !req.test_request {
                        e.state = TxnState::Voided;
                    }
                    n += 1;
                }
            }
            drop(ledger);
            if n == 0 {
                return Self::refuse(resp, 296, "");
            }
            Self::approve(resp);
            resp.split_tender_id = group.to_string();
            resp.avs_result = Some(AvsResult::NotApplicable);
            resp.amount = Some(req.amount.unwrap_or(Decimal::ZERO));
            return;
        }
        let Some(id) = Self::ref_id(resp, req) else {
            return;
        };
        let mut ledger = lock(&self.0.ledger);
        let Some(e) = ledger.entries.get(&id).cloned() else {
            drop(ledger);
            return Self::refuse(resp, 16, "");
        };
        resp.account_number = format!("XXXX{}", e.last4);
        resp.card_type = e.card_type.clone();
        match e.state {
            TxnState::Voided => {
                drop(ledger);
                Self::refuse(resp, 310, "");
                return;
            }
            TxnState::AuthorizedPendingCapture | TxnState::CapturedPendingSettlement => {}
            _ => {
                drop(ledger);
                return Self::refuse(resp, b.not_actionable_reason, "");
            }
        }
        if !req.test_request {
            if let Some(x) = ledger.entries.get_mut(&id) {
                x.state = TxnState::Voided;
            }
            // Voiding a credit gives the amount back to its original.
            if let (TransactionType::Credit, Some(orig)) = (e.kind, e.ref_trans_id)
                && let Some(o) = ledger.entries.get_mut(&orig)
            {
                o.credited_amount -= e.amount;
                if o.state == TxnState::Refunded {
                    o.state = TxnState::Settled;
                }
            }
        }
        drop(ledger);
        Self::approve(resp);
        resp.trans_id = id.to_string();
        resp.auth_code = e.auth_code;
        resp.avs_result = Some(AvsResult::NotApplicable);
        resp.amount = Some(req.amount.unwrap_or(Decimal::ZERO));
        if resp.invoice_num.is_empty() {
            resp.invoice_num = e.invoice;
        }
    }

    fn credit(&self, req: &TxnRequest, resp: &mut AimResponse) {
        let b = &self.0.config.behaviour;
        let amount = match req.amount {
            Some(a) if a > Decimal::ZERO => a,
            _ => return Self::refuse(resp, 5, ""),
        };
        let digits = if req.method.eq_ignore_ascii_case("ECHECK") {
            req.bank_acct_num
                .as_ref()
                .map(|s| s.expose_secret().trim().to_owned())
                .unwrap_or_default()
        } else {
            req.card_digits().to_owned()
        };
        if digits.is_empty() {
            return Self::refuse(resp, 33, "Credit card number");
        }
        if digits.len() < 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Self::refuse(resp, 6, "");
        }
        let last4 = digits
            .get(digits.len() - 4..)
            .unwrap_or_default()
            .to_owned();
        resp.account_number = format!("XXXX{last4}");
        let has_ref = req
            .ref_trans_id
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        if !has_ref {
            return self.unlinked_credit(req, resp, amount);
        }
        let Some(id) = Self::ref_id(resp, req) else {
            return;
        };
        let window = req.duplicate_window.unwrap_or(120);
        let now = self.now();
        let dup_key = (window > 0).then(|| {
            self.0.fingerprint_key.hash_one((
                "credit",
                id,
                &last4,
                amount,
                &req.invoice_num,
                window,
            ))
        });
        let mut ledger = lock(&self.0.ledger);
        if let Some(key) = dup_key
            && ledger
                .recent
                .get(&key)
                .is_some_and(|p| now - p.at < i64::from(window))
        {
            drop(ledger);
            return Self::refuse(resp, 11, "");
        }
        let Some(orig) = ledger.entries.get(&id).cloned() else {
            drop(ledger);
            return Self::refuse(resp, 16, "");
        };
        resp.card_type = orig.card_type.clone();
        let settled_amount = orig.captured_amount.unwrap_or(orig.amount);
        let refusal = if orig.kind == TransactionType::Credit || orig.last4 != last4 {
            Some(54)
        } else {
            match orig.state {
                TxnState::Settled | TxnState::Refunded => {
                    let age = now - orig.settled_at.unwrap_or(now);
                    if age > b.refund_window_days * 86_400 {
                        Some(54)
                    } else if orig.credited_amount + amount > settled_amount {
                        Some(55)
                    } else {
                        None
                    }
                }
                TxnState::CapturedPendingSettlement => Some(b.unsettled_credit_reason),
                _ => Some(54),
            }
        };
        if let Some(reason) = refusal {
            drop(ledger);
            return Self::refuse(resp, reason, "");
        }
        if req.test_request {
            drop(ledger);
            Self::approve(resp);
            resp.avs_result = Some(AvsResult::NotApplicable);
            return;
        }
        let new_id = ledger.allocate_id();
        if let Some(o) = ledger.entries.get_mut(&id) {
            o.credited_amount += amount;
            if o.credited_amount >= settled_amount {
                o.state = TxnState::Refunded;
            }
        }
        ledger.entries.insert(
            new_id,
            LedgerEntry {
                id: new_id,
                kind: TransactionType::Credit,
                state: TxnState::CapturedPendingSettlement,
                amount,
                captured_amount: Some(amount),
                credited_amount: Decimal::ZERO,
                last4,
                card_type: orig.card_type.clone(),
                auth_code: String::new(),
                avs_result: "P".to_owned(),
                card_code_result: String::new(),
                invoice: req.invoice_num.clone(),
                ref_trans_id: Some(id),
                split_tender_id: None,
                profile: req.profile.clone().or(orig.profile),
                created_at: now,
                settled_at: None,
                batch_id: None,
                card_fingerprint: orig.card_fingerprint,
            },
        );
        Self::approve(resp);
        resp.trans_id = new_id.to_string();
        resp.avs_result = Some(AvsResult::NotApplicable);
        if let Some(key) = dup_key {
            ledger.remember(key, now, window, resp.clone());
        }
        drop(ledger);
        tracing::debug!(trans_id = new_id, original = id, "credit");
    }

    fn unlinked_credit(&self, req: &TxnRequest, resp: &mut AimResponse, amount: Decimal) {
        if !self.0.config.behaviour.unlinked_credit {
            return Self::refuse(resp, 54, "");
        }
        let card = match self.check_card(req) {
            Ok(c) => c,
            Err(reason) => return Self::refuse(resp, reason, ""),
        };
        if let Err(reason) = self.check_expiry(req.expiry.as_deref()) {
            return Self::refuse(resp, reason, "");
        }
        resp.card_type = card.card_type.to_owned();
        Self::approve(resp);
        resp.avs_result = Some(AvsResult::NotApplicable);
        if req.test_request {
            return;
        }
        let now = self.now();
        let mut ledger = lock(&self.0.ledger);
        let id = ledger.allocate_id();
        ledger.entries.insert(
            id,
            LedgerEntry {
                id,
                kind: TransactionType::Credit,
                state: TxnState::CapturedPendingSettlement,
                amount,
                captured_amount: Some(amount),
                credited_amount: Decimal::ZERO,
                last4: card.last4,
                card_type: card.card_type.to_owned(),
                auth_code: String::new(),
                avs_result: "P".to_owned(),
                card_code_result: String::new(),
                invoice: req.invoice_num.clone(),
                ref_trans_id: None,
                split_tender_id: None,
                profile: req.profile.clone(),
                created_at: now,
                settled_at: None,
                batch_id: None,
                card_fingerprint: card.fingerprint,
            },
        );
        drop(ledger);
        resp.trans_id = id.to_string();
    }

    /// The duplicate-check key: every field the gateway compares (§3.11).
    fn duplicate_key(
        &self,
        req: &TxnRequest,
        card_fp: u64,
        expiry: (i32, u32),
        window: u32,
    ) -> u64 {
        let mut h = self.0.fingerprint_key.build_hasher();
        let a = &req.bill_to;
        (
            self.login(),
            card_fp,
            expiry,
            req.kind.as_request_str(),
            &req.po_num,
            req.amount.map(format_amount),
            &req.invoice_num,
            &req.cust_id,
        )
            .hash(&mut h);
        (
            &a.first_name,
            &a.last_name,
            &a.company,
            &a.address,
            &a.city,
            &a.state,
            &a.zip,
            &a.country,
            window,
        )
            .hash(&mut h);
        h.finish()
    }
}

/// The response skeleton with every echo field of the request filled in.
fn echo(req: &TxnRequest) -> AimResponse {
    let mut r = AimResponse::new(ResponseCode::Error, 0, "");
    r.invoice_num = req.invoice_num.clone();
    r.description = req.description.clone();
    r.amount = req.amount;
    r.method = if req.method.is_empty() {
        "CC".to_owned()
    } else {
        req.method.to_ascii_uppercase()
    };
    r.transaction_type = Some(req.kind);
    r.cust_id = req.cust_id.clone();
    r.bill_to = req.bill_to.clone();
    r.email = req.email.clone();
    r.ship_to = req.ship_to.clone();
    r.ship_to.phone.clear();
    r.ship_to.fax.clear();
    r.tax = req.tax.clone();
    r.duty = req.duty.clone();
    r.freight = req.freight.clone();
    r.tax_exempt = req.tax_exempt.clone();
    r.po_num = req.po_num.clone();
    r.extra = req.extra_echo.clone();
    r
}

fn random_auth_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    (0..6)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// The ABA routing number check: 9 digits, weights 3-7-1, sum divisible by 10.
pub fn aba_valid(aba: &str) -> bool {
    if aba.len() != 9 || !aba.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = aba
        .bytes()
        .zip([3u32, 7, 1].iter().cycle())
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    sum.is_multiple_of(10)
}

/// `MMYY`, `MM/YY`, `MM-YY`, `MMYYYY`, `MM/YYYY`, `MM-YYYY`, and (when
/// `yyyy_mm`) `YYYY-MM`. Returns (year, month).
pub fn parse_expiry(raw: &str, yyyy_mm: bool) -> Option<(i32, u32)> {
    let s = raw.trim();
    let num = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (m, y): (&str, &str) = if let Some((a, b)) = s.split_once(['/', '-']) {
        if yyyy_mm && a.len() == 4 && b.len() == 2 {
            (b, a)
        } else {
            (a, b)
        }
    } else {
        match s.len() {
            4 | 6 => (s.get(..2)?, s.get(2..)?),
            _ => return None,
        }
    };
    if m.len() != 2 || !(y.len() == 2 || y.len() == 4) {
        return None;
    }
    let month = num(m)?;
    let year = num(y)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let year = if y.len() == 2 { 2000 + year } else { year };
    Some((year as i32, month))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn aba_check_digit() {
        assert!(aba_valid("121042882"));
        assert!(!aba_valid("121042883"));
        assert!(!aba_valid("12104288"));
        assert!(!aba_valid("12104288a"));
    }

    #[test]
    fn expiry_formats() {
        for s in [
            "1230", "12/30", "12-30", "122030", "12/2030", "12-2030", "2030-12",
        ] {
            assert_eq!(parse_expiry(s, true), Some((2030, 12)), "{s}");
        }
        assert_eq!(parse_expiry("2030-12", false), None);
        assert_eq!(parse_expiry("1330", true), None);
        assert_eq!(parse_expiry("", true), None);
        assert_eq!(parse_expiry("1/30", true), None);
    }
}
