//! Transaction Reporting element types (`getUnsettledTransactionListRequest`,
//! `getTransactionDetailsRequest`), field order and occurrence as
//! `AnetApiSchema.xsd` declares them. Times are the gateway's `xs:dateTime`
//! text (`2026-11-27T21:22:08Z` UTC, `2026-11-27T13:22:08` local); statuses
//! and transaction types are the schema's free strings (see [`status`]).

use rust_decimal::Decimal;

use super::ApiError;
use super::codec::{Form, NumericString, Wire, invalid_value, wire_enum, wire_struct};
use super::transaction::{CustomerData, CustomerProfileIds};
use super::tree::Node;
use super::types::{CustomerAddress, ExtendedAmount, LineItem, Order, PaymentMasked};

/// `transactionStatus` values the gateway reports (the schema types the
/// element as a plain string; others exist, e.g. for fraud review).
pub mod status {
    pub const AUTHORIZED_PENDING_CAPTURE: &str = "authorizedPendingCapture";
    pub const CAPTURED_PENDING_SETTLEMENT: &str = "capturedPendingSettlement";
    pub const SETTLED_SUCCESSFULLY: &str = "settledSuccessfully";
    pub const REFUND_PENDING_SETTLEMENT: &str = "refundPendingSettlement";
    pub const REFUND_SETTLED_SUCCESSFULLY: &str = "refundSettledSuccessfully";
    pub const VOIDED: &str = "voided";
    pub const DECLINED: &str = "declined";
    pub const EXPIRED: &str = "expired";
    pub const COMMUNICATION_ERROR: &str = "communicationError";
    pub const GENERAL_ERROR: &str = "generalError";
    pub const FDS_PENDING_REVIEW: &str = "FDSPendingReview";
    pub const FDS_AUTHORIZED_PENDING_REVIEW: &str = "FDSAuthorizedPendingReview";
    pub const UNDER_REVIEW: &str = "underReview";
    pub const APPROVED_REVIEW: &str = "approvedReview";
    pub const FAILED_REVIEW: &str = "failedReview";
    pub const COULD_NOT_VOID: &str = "couldNotVoid";
    pub const RETURNED_ITEM: &str = "returnedItem";
    pub const SETTLEMENT_ERROR: &str = "settlementError";
}

/// `xs:int` elements (counts, codes, paging).
impl Wire for u32 {
    fn to_node(&self, name: &str) -> Node {
        Node::text(name, self.to_string())
    }
    fn from_node(node: &Node, form: Form) -> Result<Self, ApiError> {
        let text = String::from_node(node, form)?;
        let t = text.trim();
        t.strip_prefix('+')
            .unwrap_or(t)
            .parse::<u32>()
            .map_err(|_| invalid_value(&node.name, t, "http://www.w3.org/2001/XMLSchema:int"))
    }
}

wire_enum! {
    /// `TransactionGroupStatusEnum`.
    pub enum TransactionGroupStatus { Any = "any", PendingApproval = "pendingApproval" }
}

wire_enum! {
    /// `TransactionListOrderFieldEnum`.
    pub enum TransactionListOrderField { Id = "id", SubmitTimeUtc = "submitTimeUTC" }
}

#[allow(clippy::derivable_impls)] // the enum is declared by `wire_enum!`
impl Default for TransactionListOrderField {
    fn default() -> Self {
        TransactionListOrderField::SubmitTimeUtc
    }
}

wire_struct! {
    /// `TransactionListSorting`.
    pub struct TransactionListSorting {
        req order_by: TransactionListOrderField = "orderBy",
        req order_descending: bool = "orderDescending",
    }
}

wire_struct! {
    /// `Paging`: `limit` items per page (1–1000), `offset` = page number
    /// (1–100000, the first page is 1).
    pub struct Paging {
        req limit: u32 = "limit",
        req offset: u32 = "offset",
    }
}

wire_struct! {
    /// `transactionSummaryType`: one row of a transaction list.
    pub struct TransactionSummary {
        req trans_id: NumericString = "transId",
        req submit_time_utc: String = "submitTimeUTC",
        req submit_time_local: String = "submitTimeLocal",
        req transaction_status: String = "transactionStatus",
        opt invoice_number: String = "invoiceNumber",
        opt first_name: String = "firstName",
        opt last_name: String = "lastName",
        req account_type: String = "accountType",
        req account_number: String = "accountNumber",
        req settle_amount: Decimal = "settleAmount",
        opt market_type: String = "marketType",
        opt product: String = "product",
        opt mobile_device_id: String = "mobileDeviceId",
    }
    ignore ["subscription", "hasReturnedItems", "fraudInformation", "profile"]
}

wire_struct! {
    /// `batchDetailsType` (as carried inside transaction details).
    pub struct BatchDetails {
        req batch_id: NumericString = "batchId",
        opt settlement_time_utc: String = "settlementTimeUTC",
        opt settlement_time_local: String = "settlementTimeLocal",
        req settlement_state: String = "settlementState",
        opt payment_method: String = "paymentMethod",
        opt market_type: String = "marketType",
        opt product: String = "product",
    }
    ignore ["statistics"]
}

wire_struct! {
    /// `nameAndAddressType` (`shipTo` in transaction details).
    pub struct NameAndAddress {
        opt first_name: String = "firstName",
        opt last_name: String = "lastName",
        opt company: String = "company",
        opt address: String = "address",
        opt city: String = "city",
        opt state: String = "state",
        opt zip: String = "zip",
        opt country: String = "country",
    }
}

wire_struct! {
    /// `transactionDetailsType` (the elements this crate models; newer ones
    /// are accepted and dropped).
    pub struct TransactionDetails {
        req trans_id: NumericString = "transId",
        opt ref_trans_id: NumericString = "refTransId",
        opt split_tender_id: NumericString = "splitTenderId",
        req submit_time_utc: String = "submitTimeUTC",
        req submit_time_local: String = "submitTimeLocal",
        req transaction_type: String = "transactionType",
        req transaction_status: String = "transactionStatus",
        req response_code: u32 = "responseCode",
        req response_reason_code: u32 = "responseReasonCode",
        req response_reason_description: String = "responseReasonDescription",
        opt auth_code: String = "authCode",
        #[doc = "`AVSResponse`"]
        opt avs_response: String = "AVSResponse",
        opt card_code_response: String = "cardCodeResponse",
        #[doc = "`CAVVResponse`"]
        opt cavv_response: String = "CAVVResponse",
        opt fds_filter_action: String = "FDSFilterAction",
        opt batch: BatchDetails = "batch",
        opt order: Order = "order",
        opt requested_amount: Decimal = "requestedAmount",
        req auth_amount: Decimal = "authAmount",
        req settle_amount: Decimal = "settleAmount",
        opt tax: ExtendedAmount = "tax",
        opt shipping: ExtendedAmount = "shipping",
        opt duty: ExtendedAmount = "duty",
        list["lineItem"] line_items: LineItem = "lineItems",
        opt prepaid_balance_remaining: Decimal = "prepaidBalanceRemaining",
        opt tax_exempt: bool = "taxExempt",
        req payment: PaymentMasked = "payment",
        opt customer: CustomerData = "customer",
        opt bill_to: CustomerAddress = "billTo",
        opt ship_to: NameAndAddress = "shipTo",
        opt recurring_billing: bool = "recurringBilling",
        opt customer_ip: String = "customerIP",
        opt product: String = "product",
        opt entry_mode: String = "entryMode",
        opt market_type: String = "marketType",
        opt mobile_device_id: String = "mobileDeviceId",
        opt customer_signature: String = "customerSignature",
        opt profile: CustomerProfileIds = "profile",
        opt network_trans_id: String = "networkTransId",
        opt original_network_trans_id: String = "originalNetworkTransId",
        opt original_auth_amount: Decimal = "originalAuthAmount",
        opt authorization_indicator: String = "authorizationIndicator",
    }
    ignore ["subscription", "FDSFilters", "returnedItems", "solution", "emvDetails", "surcharge",
        "employeeId", "tip", "otherTax", "shipFrom"]
}
