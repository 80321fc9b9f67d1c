//! The Transaction Details API call the relay needs to resolve a new-card
//! charge left unknown by a crash: `getUnsettledTransactionListRequest`
//! (the card number is never stored, so the charge cannot be resent; the
//! gateway's own list, matched by invoice number, says what happened).
//!
//! `authnet-proto` does not model this call, so the relay writes the small
//! request itself and reads only the fields it needs. A gateway that does not
//! offer the call (`E00004`, `E00011`, ...) gives [`Lookup::Unsupported`].

use quick_xml::Reader;
use quick_xml::events::Event;
use rust_decimal::Decimal;

use super::{GatewayClient, GatewayError};

/// One transaction of the unsettled list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportedTransaction {
    pub trans_id: String,
    /// `authorizedPendingCapture`, `capturedPendingSettlement`, `declined`,
    /// `voided`, `FDSPendingReview`, ...
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

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn entity(name: &str) -> &'static str {
    match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
}

/// Reads the answer: (result code, first message code, transactions).
pub fn parse(bytes: &[u8]) -> Result<(String, String, Vec<ReportedTransaction>), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = Reader::from_reader(bytes);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let (mut result, mut code) = (String::new(), String::new());
    let mut txns = Vec::new();
    let mut cur: Option<ReportedTransaction> = None;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "transaction" {
                    cur = Some(ReportedTransaction::default());
                }
                path.push(name);
                text.clear();
            }
            Ok(Event::Empty(_)) => {}
            Ok(Event::Text(t)) => {
                text.push_str(&t.decode().map_err(|e| e.to_string())?);
            }
            Ok(Event::GeneralRef(r)) => {
                text.push_str(entity(&r.decode().map_err(|e| e.to_string())?));
            }
            Ok(Event::CData(c)) => {
                text.push_str(&String::from_utf8_lossy(&c.into_inner()));
            }
            Ok(Event::End(_)) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let value = text.trim().to_owned();
                match (parent, name.as_str()) {
                    ("messages", "resultCode") => result = value,
                    ("message", "code") if code.is_empty() => code = value,
                    ("transaction", field) => {
                        if let Some(t) = cur.as_mut() {
                            match field {
                                "transId" => t.trans_id = value,
                                "transactionStatus" => t.status = value,
                                "invoiceNumber" => t.invoice_number = value,
                                "settleAmount" => t.settle_amount = value.parse().ok(),
                                "accountNumber" => t.account_number = value,
                                _ => {}
                            }
                        }
                    }
                    (_, "transaction") => {
                        if let Some(t) = cur.take() {
                            txns.push(t);
                        }
                    }
                    _ => {}
                }
                text.clear();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
        buf.clear();
    }
    if result.is_empty() {
        return Err("no resultCode".into());
    }
    Ok((result, code, txns))
}

impl GatewayClient {
    /// `getUnsettledTransactionListRequest`.
    pub async fn unsettled_transactions(&self) -> Result<Lookup, GatewayError> {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <getUnsettledTransactionListRequest xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\">\
             <merchantAuthentication><name>{}</name><transactionKey>{}</transactionKey></merchantAuthentication>\
             </getUnsettledTransactionListRequest>",
            escape(&self.login),
            escape(self.transaction_key.expose_secret()),
        );
        let bytes = self
            .post(&self.api_url, "text/xml; charset=utf-8", body.into_bytes())
            .await?;
        let (result, code, txns) = parse(&bytes)
            .map_err(|e| GatewayError::Uncertain(format!("unreadable transaction list: {e}")))?;
        if result.eq_ignore_ascii_case("ok") {
            Ok(Lookup::Found(txns))
        } else {
            Ok(Lookup::Unsupported(code))
        }
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
            <transactionStatus>capturedPendingSettlement</transactionStatus><invoiceNumber>A&amp;B-1</invoiceNumber>\
            <firstName>Ann</firstName><accountType>Visa</accountType><accountNumber>XXXX1111</accountNumber>\
            <settleAmount>24.50</settleAmount></transaction></transactions></getUnsettledTransactionListResponse>";
        let (result, code, txns) = parse(xml.as_bytes()).unwrap();
        assert_eq!((result.as_str(), code.as_str()), ("Ok", "I00001"));
        assert_eq!(txns.len(), 1);
        assert_eq!(txns[0].trans_id, "2170000042");
        assert_eq!(txns[0].status, "capturedPendingSettlement");
        assert_eq!(txns[0].invoice_number, "A&B-1");
        assert_eq!(txns[0].settle_amount, Some(Decimal::new(2450, 2)));
        assert_eq!(txns[0].account_number, "XXXX1111");
    }

    #[test]
    fn an_unknown_method_is_unsupported() {
        let xml = "<ErrorResponse xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\"><messages><resultCode>Error</resultCode>\
            <message><code>E00004</code><text>The name of the requested API method is invalid.</text></message></messages></ErrorResponse>";
        let (result, code, txns) = parse(xml.as_bytes()).unwrap();
        assert_eq!((result.as_str(), code.as_str()), ("Error", "E00004"));
        assert!(txns.is_empty());
    }
}
