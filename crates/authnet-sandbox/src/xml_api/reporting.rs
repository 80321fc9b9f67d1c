//! Transaction Reporting: `getUnsettledTransactionListRequest` and
//! `getTransactionDetailsRequest`, read from the one ledger (so AIM, CIM and
//! `createTransactionRequest` payments all show up).

use authnet_proto::aim::TransactionType as AimType;
use authnet_proto::api::{
    ApiResponse, BankAccountMasked, BatchDetails, CreditCardMasked, CustomerProfileIds,
    GetTransactionDetailsRequest, GetTransactionDetailsResponse,
    GetUnsettledTransactionListRequest, GetUnsettledTransactionListResponse, Messages,
    NumericString, Order, PaymentMasked, TransactionDetails, TransactionGroupStatus,
    TransactionListOrderField, TransactionSummary, codes, status,
};
use rust_decimal::Decimal;

use super::handlers::Failure;
use crate::Sandbox;
use crate::ledger::{LedgerEntry, TxnState};

/// `limit` range of `Paging` (schema facets).
const MAX_LIMIT: u32 = 1000;
/// `offset` range of `Paging` (schema facets).
const MAX_OFFSET: u32 = 100_000;

/// `2026-11-27T21:22:08Z` (`local` = false) or `2026-11-27T21:22:08`. The
/// sandbox has no merchant time zone: local time is UTC.
pub(crate) fn date_time(unix_secs: i64, local: bool) -> String {
    let days = unix_secs.div_euclid(86_400);
    let secs = unix_secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        if local { "" } else { "Z" }
    )
}

/// The gateway's `transactionStatus` for a ledger entry.
pub(crate) fn status_of(e: &LedgerEntry) -> &'static str {
    let refund = e.kind == AimType::Credit;
    match e.state {
        TxnState::AuthorizedPendingCapture => status::AUTHORIZED_PENDING_CAPTURE,
        TxnState::CapturedPendingSettlement if refund => status::REFUND_PENDING_SETTLEMENT,
        TxnState::CapturedPendingSettlement => status::CAPTURED_PENDING_SETTLEMENT,
        TxnState::Settled | TxnState::Refunded if refund => status::REFUND_SETTLED_SUCCESSFULLY,
        // A refunded charge keeps its own settled status (the credit is a
        // transaction of its own).
        TxnState::Settled | TxnState::Refunded => status::SETTLED_SUCCESSFULLY,
        TxnState::Voided => status::VOIDED,
        TxnState::Declined => status::DECLINED,
        TxnState::Expired => status::EXPIRED,
    }
}

fn transaction_type(kind: AimType) -> &'static str {
    match kind {
        AimType::AuthCapture => "authCaptureTransaction",
        AimType::AuthOnly => "authOnlyTransaction",
        AimType::PriorAuthCapture => "priorAuthCaptureTransaction",
        AimType::CaptureOnly => "captureOnlyTransaction",
        AimType::Credit => "refundTransaction",
        AimType::Void => "voidTransaction",
    }
}

fn is_bank(e: &LedgerEntry) -> bool {
    e.card_type == "Bank Account"
}

/// `accountType` / `cardType`: the XML API spells brands without spaces
/// (`AmericanExpress`, `DinersClub`); bank accounts are `eCheck`.
fn account_type(e: &LedgerEntry) -> String {
    if is_bank(e) {
        "eCheck".to_owned()
    } else {
        e.card_type.replace(' ', "")
    }
}

/// What would settle: the capture (or the authorisation while pending);
/// nothing for voided, declined or expired transactions.
fn settle_amount(e: &LedgerEntry) -> Decimal {
    match e.state {
        TxnState::AuthorizedPendingCapture => e.amount,
        TxnState::CapturedPendingSettlement | TxnState::Settled | TxnState::Refunded => {
            e.captured_amount.unwrap_or(e.amount)
        }
        TxnState::Voided | TxnState::Declined | TxnState::Expired => Decimal::ZERO,
    }
    .round_dp(2)
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

fn summary(e: &LedgerEntry) -> TransactionSummary {
    TransactionSummary {
        trans_id: NumericString::from(e.id),
        submit_time_utc: date_time(e.created_at, false),
        submit_time_local: date_time(e.created_at, true),
        transaction_status: status_of(e).to_owned(),
        invoice_number: non_empty(&e.invoice),
        // The ledger keeps no names.
        first_name: None,
        last_name: None,
        account_type: account_type(e),
        account_number: format!("XXXX{}", e.last4),
        settle_amount: settle_amount(e),
        market_type: Some("eCommerce".to_owned()),
        product: Some("Card Not Present".to_owned()),
        mobile_device_id: None,
    }
}

fn details(e: &LedgerEntry) -> TransactionDetails {
    let declined = e.state == TxnState::Declined;
    let payment = if is_bank(e) {
        PaymentMasked {
            credit_card: None,
            bank_account: Some(BankAccountMasked {
                account_type: None,
                routing_number: "XXXX".to_owned(),
                account_number: format!("XXXX{}", e.last4),
                name_on_account: String::new(),
                echeck_type: Some("WEB".to_owned()),
                bank_name: None,
            }),
        }
    } else {
        PaymentMasked {
            credit_card: Some(CreditCardMasked {
                card_number: format!("XXXX{}", e.last4),
                expiration_date: "XXXX".to_owned(),
                card_type: Some(account_type(e)),
            }),
            bank_account: None,
        }
    };
    let batch = e.batch_id.map(|id| BatchDetails {
        batch_id: NumericString::from(id),
        settlement_time_utc: e.settled_at.map(|t| date_time(t, false)),
        settlement_time_local: e.settled_at.map(|t| date_time(t, true)),
        settlement_state: "settledSuccessfully".to_owned(),
        payment_method: Some(if is_bank(e) { "eCheck" } else { "creditCard" }.to_owned()),
        market_type: Some("eCommerce".to_owned()),
        product: Some("Card Not Present".to_owned()),
    });
    TransactionDetails {
        trans_id: NumericString::from(e.id),
        ref_trans_id: e.ref_trans_id.map(NumericString::from),
        split_tender_id: e.split_tender_id.map(NumericString::from),
        submit_time_utc: date_time(e.created_at, false),
        submit_time_local: date_time(e.created_at, true),
        transaction_type: transaction_type(e.kind).to_owned(),
        transaction_status: status_of(e).to_owned(),
        // The ledger keeps the state, not the reason: a decline reads as the
        // general decline (reason 2).
        response_code: if declined { 2 } else { 1 },
        response_reason_code: if declined { 2 } else { 1 },
        response_reason_description: if declined {
            "This transaction has been declined."
        } else {
            "Approval"
        }
        .to_owned(),
        auth_code: non_empty(&e.auth_code),
        avs_response: non_empty(&e.avs_result),
        card_code_response: non_empty(&e.card_code_result),
        batch,
        order: Some(Order {
            invoice_number: non_empty(&e.invoice),
            // The ledger keeps no description.
            description: None,
            purchase_order_number: None,
        }),
        auth_amount: e.amount.round_dp(2),
        settle_amount: settle_amount(e),
        tax_exempt: Some(false),
        payment,
        recurring_billing: Some(false),
        product: Some("Card Not Present".to_owned()),
        market_type: Some("eCommerce".to_owned()),
        profile: e.profile.as_ref().and_then(|p| {
            Some(CustomerProfileIds {
                customer_profile_id: NumericString::new(p.customer_profile_id.clone())?,
                customer_payment_profile_id: NumericString::new(p.payment_profile_id.clone()),
                customer_address_id: NumericString::new(p.shipping_address_id.clone()),
            })
        }),
        ..Default::default()
    }
}

/// The latest settlement run the ledger shows: (its time, the highest id it
/// settled).
#[derive(Clone, Copy)]
struct LastRun {
    at: i64,
    max_id: u64,
}

fn last_run(ledger: &[LedgerEntry]) -> Option<LastRun> {
    let at = ledger.iter().filter_map(|e| e.settled_at).max()?;
    let max_id = ledger
        .iter()
        .filter(|e| e.settled_at.is_some())
        .map(|e| e.id)
        .max()?;
    Some(LastRun { at, max_id })
}

/// Whether an entry is still outside every settlement batch. Voided and
/// declined transactions never settle, but the gateway closes them into the
/// next batch: the sandbox counts them as batched once a settlement run that
/// settled something came after them (settled a later transaction, or ran in
/// a later second). The ledger keeps no void time, so the creation time of the
/// voided authorisation stands in for it.
fn unsettled(e: &LedgerEntry, last: Option<LastRun>) -> bool {
    match e.state {
        TxnState::AuthorizedPendingCapture | TxnState::CapturedPendingSettlement => true,
        TxnState::Voided | TxnState::Declined => {
            last.is_none_or(|run| run.max_id < e.id && run.at <= e.created_at)
        }
        TxnState::Settled | TxnState::Refunded | TxnState::Expired => false,
    }
}

fn schema_error(name: &str, value: u32, datatype: &str) -> Failure {
    Failure::Messages(Messages::error(
        codes::E00003,
        format!(
            "The 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:{name}' element is invalid - The value '{value}' is invalid according to its datatype '{datatype}' - The MaxInclusive or MinInclusive constraint failed."
        ),
    ))
}

pub(crate) fn unsettled_list(
    sandbox: &Sandbox,
    r: GetUnsettledTransactionListRequest,
) -> Result<ApiResponse, Failure> {
    let (limit, page) = match &r.paging {
        Some(p) => {
            if !(1..=MAX_LIMIT).contains(&p.limit) {
                return Err(schema_error("limit", p.limit, "Int"));
            }
            if !(1..=MAX_OFFSET).contains(&p.offset) {
                return Err(schema_error("offset", p.offset, "Int"));
            }
            (p.limit as usize, p.offset as usize)
        }
        None => (MAX_LIMIT as usize, 1),
    };
    let ledger = sandbox.ledger();
    let last = last_run(&ledger);
    let mut rows: Vec<&LedgerEntry> = match r.status {
        // No fraud filters in the sandbox: nothing is held for approval.
        Some(TransactionGroupStatus::PendingApproval) => Vec::new(),
        Some(TransactionGroupStatus::Any) | None => {
            ledger.iter().filter(|e| unsettled(e, last)).collect()
        }
    };
    // Ids increase with time, so id order is submit-time order.
    let (by_time, descending) = match &r.sorting {
        Some(s) => (
            s.order_by == TransactionListOrderField::SubmitTimeUtc,
            s.order_descending,
        ),
        None => (true, true),
    };
    if by_time {
        rows.sort_by_key(|e| (e.created_at, e.id));
    } else {
        rows.sort_by_key(|e| e.id);
    }
    if descending {
        rows.reverse();
    }
    let total = rows.len();
    let transactions: Vec<TransactionSummary> = rows
        .into_iter()
        .skip(limit.saturating_mul(page - 1))
        .take(limit)
        .map(summary)
        .collect();
    Ok(GetUnsettledTransactionListResponse {
        ref_id: r.ref_id,
        messages: Messages::ok(),
        transactions,
        total_num_in_result_set: Some(u32::try_from(total).unwrap_or(u32::MAX)),
    }
    .into())
}

pub(crate) fn transaction_details(
    sandbox: &Sandbox,
    r: GetTransactionDetailsRequest,
) -> Result<ApiResponse, Failure> {
    let entry = r
        .trans_id
        .as_str()
        .parse::<u64>()
        .ok()
        .and_then(|id| sandbox.lookup(id))
        .ok_or_else(|| Failure::Messages(Messages::error_code(codes::E00040)))?;
    Ok(GetTransactionDetailsResponse {
        ref_id: r.ref_id,
        messages: Messages::ok(),
        transaction: Some(details(&entry)),
        client_id: None,
        transref_id: None,
    }
    .into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn date_times() {
        assert_eq!(date_time(0, false), "1970-01-01T00:00:00Z");
        assert_eq!(
            date_time(1_795_824_000 + 3_723, false),
            "2026-11-28T01:02:03Z"
        );
        assert_eq!(date_time(1_709_208_000, true), "2024-02-29T12:00:00");
        assert_eq!(date_time(951_782_400 - 1, false), "2000-02-28T23:59:59Z");
    }
}
