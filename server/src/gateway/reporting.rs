//! The Transaction Details API call the relay needs to resolve a new-card
//! charge left unknown by a crash: `getUnsettledTransactionListRequest`
//! (the card number is never stored, so the charge cannot be resent; the
//! gateway's own list, matched by invoice number, says what happened).
//!
//! The request and response are `authnet-proto`'s typed messages, sent
//! through [`GatewayClient::api`] like every other XML API call. `I00001`
//! and `I00004` (no records) are a list; a gateway that does not offer the
//! call (`E00004`, `E00011`, ...) gives [`Lookup::Unsupported`].

use authnet_proto::api::{
    self, ApiRequest, ApiResponse, Format, Function, GetUnsettledTransactionListRequest, Paging,
    ResultCode, TransactionListOrderField, TransactionListSorting, TransactionSummary,
};
use rust_decimal::Decimal;

use super::{GatewayClient, GatewayError};

/// One transaction of the unsettled list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportedTransaction {
    pub trans_id: String,
    /// `authorizedPendingCapture`, `capturedPendingSettlement`, `declined`,
    /// `voided`, `FDSPendingReview`, ... (see `authnet_proto::api::status`).
    pub status: String,
    pub invoice_number: String,
    pub settle_amount: Option<Decimal>,
    /// `XXXX1111`.
    pub account_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Unsupported(String),
    Found(Vec<ReportedTransaction>),
}

/// Message codes that mean "here is the list" (`I00004`: no records).
const LISTED: [&str; 2] = ["I00001", "I00004"];

impl From<TransactionSummary> for ReportedTransaction {
    fn from(t: TransactionSummary) -> Self {
        ReportedTransaction {
            trans_id: t.trans_id.as_str().to_owned(),
            status: t.transaction_status,
            invoice_number: t.invoice_number.unwrap_or_default(),
            settle_amount: Some(t.settle_amount),
            account_number: t.account_number,
        }
    }
}

/// The request: newest first, one page of the gateway's maximum size.
pub fn request(client: &GatewayClient) -> ApiRequest {
    ApiRequest::GetUnsettledTransactionList(GetUnsettledTransactionListRequest {
        merchant_authentication: client.merchant_authentication(),
        sorting: Some(TransactionListSorting {
            order_by: TransactionListOrderField::SubmitTimeUtc,
            order_descending: true,
        }),
        paging: Some(Paging {
            limit: 1000,
            offset: 1,
        }),
        ..Default::default()
    })
}

/// Reads a decoded answer as a [`Lookup`].
pub fn lookup(resp: ApiResponse) -> Lookup {
    let messages = resp.messages();
    let code = messages.first_code().unwrap_or_default().to_owned();
    let listed = LISTED.contains(&code.as_str()) || (code.is_empty() && messages.is_ok());
    match resp {
        ApiResponse::GetUnsettledTransactionList(r) if listed => Lookup::Found(
            r.transactions
                .into_iter()
                .map(ReportedTransaction::from)
                .collect(),
        ),
        _ => Lookup::Unsupported(code),
    }
}

/// Reads the answer: (result code, first message code, transactions).
pub fn parse(bytes: &[u8]) -> Result<(String, String, Vec<ReportedTransaction>), String> {
    let resp = api::decode_response(bytes, Format::Xml, Function::GetUnsettledTransactionList)
        .map_err(|e| e.code().to_string())?;
    let result = match resp.messages().result_code {
        ResultCode::Ok => "Ok",
        ResultCode::Error => "Error",
    }
    .to_owned();
    let code = resp.messages().first_code().unwrap_or_default().to_owned();
    let txns = match resp {
        ApiResponse::GetUnsettledTransactionList(r) => r
            .transactions
            .into_iter()
            .map(ReportedTransaction::from)
            .collect(),
        _ => Vec::new(),
    };
    Ok((result, code, txns))
}

impl GatewayClient {
    /// `getUnsettledTransactionListRequest`.
    pub async fn unsettled_transactions(&self) -> Result<Lookup, GatewayError> {
        Ok(lookup(self.api(&request(self)).await?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_unsettled_list() {
        let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\
            <getUnsettledTransactionListResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\">\
            <messages><resultCode>Ok</resultCode><message><code>I00001</code><text>Successful.</text></message></messages>\
            <transactions><transaction><transId>2170000042</transId><submitTimeUTC>2026-11-28T00:00:00Z</submitTimeUTC>\
            <submitTimeLocal>2026-11-27T16:00:00</submitTimeLocal>\
            <transactionStatus>capturedPendingSettlement</transactionStatus><invoiceNumber>A&amp;B-1</invoiceNumber>\
            <firstName>Ann</firstName><accountType>Visa</accountType><accountNumber>XXXX1111</accountNumber>\
            <settleAmount>24.50</settleAmount></transaction></transactions></getUnsettledTransactionListResponse>";
        let (result, code, txns) = parse(xml.as_bytes()).unwrap();
        assert_eq!((result.as_str(), code.as_str()), ("Ok", "I00001"));
        assert_eq!(txns.len(), 1);
        assert_eq!(txns[0].trans_id, "2170000042");
        assert_eq!(txns[0].status, api::status::CAPTURED_PENDING_SETTLEMENT);
        assert_eq!(txns[0].invoice_number, "A&B-1");
        assert_eq!(txns[0].settle_amount, Some(Decimal::new(2450, 2)));
        assert_eq!(txns[0].account_number, "XXXX1111");
        let resp = api::decode_response(
            xml.as_bytes(),
            Format::Xml,
            Function::GetUnsettledTransactionList,
        )
        .unwrap();
        assert!(matches!(lookup(resp), Lookup::Found(t) if t == txns));
    }

    #[test]
    fn no_records_is_an_empty_list() {
        let xml = "<getUnsettledTransactionListResponse xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\">\
            <messages><resultCode>Ok</resultCode><message><code>I00004</code><text>No records found.</text></message></messages>\
            </getUnsettledTransactionListResponse>";
        let resp = api::decode_response(
            xml.as_bytes(),
            Format::Xml,
            Function::GetUnsettledTransactionList,
        )
        .unwrap();
        assert_eq!(lookup(resp), Lookup::Found(Vec::new()));
    }

    #[test]
    fn an_unknown_method_is_unsupported() {
        let xml = "<ErrorResponse xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\"><messages><resultCode>Error</resultCode>\
            <message><code>E00004</code><text>The name of the requested API method is invalid.</text></message></messages></ErrorResponse>";
        let (result, code, txns) = parse(xml.as_bytes()).unwrap();
        assert_eq!((result.as_str(), code.as_str()), ("Error", "E00004"));
        assert!(txns.is_empty());
        let resp = api::decode_response(
            xml.as_bytes(),
            Format::Xml,
            Function::GetUnsettledTransactionList,
        )
        .unwrap();
        assert_eq!(lookup(resp), Lookup::Unsupported("E00004".into()));
    }

    #[test]
    fn the_request_is_sorted_and_paged() {
        let client = GatewayClient::new(
            "http://127.0.0.1:1/aim".into(),
            "http://127.0.0.1:1/api".into(),
            "login".into(),
            checkout_domain::Secret::new("key".to_owned()),
            None,
            std::time::Duration::from_secs(1),
            crate::metrics::Metrics::default(),
        )
        .unwrap();
        let body = String::from_utf8(api::encode_request(&request(&client), Format::Xml)).unwrap();
        assert!(
            body.contains("<getUnsettledTransactionListRequest"),
            "{body}"
        );
        assert!(
            body.contains(
                "<orderBy>submitTimeUTC</orderBy><orderDescending>true</orderDescending>"
            ),
            "{body}"
        );
        assert!(
            body.contains("<paging><limit>1000</limit><offset>1</offset></paging>"),
            "{body}"
        );
    }
}
