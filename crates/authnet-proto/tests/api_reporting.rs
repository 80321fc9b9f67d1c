//! Transaction Reporting: `getUnsettledTransactionList` and
//! `getTransactionDetails` — golden decodes of the gateway's formatting (XML
//! and JSON), request shapes, and round trips.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_samples;

use authnet_proto::api::*;
use rust_decimal_macros::dec;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/api")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn round_trips(r: &ApiResponse, f: Function) {
    for format in [Format::Xml, Format::Json] {
        let bytes = encode_response(r, format);
        let back = decode_response(&bytes, format, f)
            .unwrap_or_else(|e| panic!("{format:?}: {e}\n{}", String::from_utf8_lossy(&bytes)));
        assert_eq!(&back, r, "{format:?}");
    }
}

#[test]
fn golden_unsettled_list_as_the_gateway_formats_it() {
    let f = Function::GetUnsettledTransactionList;
    let r = decode_response(
        &fixture("reporting_get_unsettled_transaction_list_response.xml"),
        Format::Xml,
        f,
    )
    .unwrap();
    round_trips(&r, f);
    let ApiResponse::GetUnsettledTransactionList(r) = r else {
        panic!("wrong function")
    };
    assert_eq!(r.ref_id.as_deref(), Some("123456"));
    assert!(r.messages.is_ok());
    assert_eq!(r.total_num_in_result_set, Some(2));
    assert_eq!(r.transactions.len(), 2);
    let t = &r.transactions[0];
    assert_eq!(t.trans_id.as_str(), "2170001237");
    assert_eq!(t.submit_time_utc, "2026-11-27T21:22:08.447Z");
    assert_eq!(t.submit_time_local, "2026-11-27T13:22:08.447");
    assert_eq!(t.transaction_status, status::CAPTURED_PENDING_SETTLEMENT);
    assert_eq!(t.invoice_number.as_deref(), Some("INV-1001"));
    assert_eq!(t.first_name.as_deref(), Some("Ann"));
    assert_eq!(t.last_name.as_deref(), Some("Lee"));
    assert_eq!(t.account_type, "Visa");
    assert_eq!(t.account_number, "XXXX1111");
    assert_eq!(t.settle_amount, dec!(19.99));
    assert_eq!(t.market_type.as_deref(), Some("eCommerce"));
    let d = &r.transactions[1];
    assert_eq!(d.transaction_status, status::DECLINED);
    assert_eq!(d.account_type, "MasterCard");
}

#[test]
fn golden_transaction_details_as_the_gateway_formats_it() {
    let f = Function::GetTransactionDetails;
    let r = decode_response(
        &fixture("reporting_get_transaction_details_response.xml"),
        Format::Xml,
        f,
    )
    .unwrap();
    round_trips(&r, f);
    let ApiResponse::GetTransactionDetails(r) = r else {
        panic!("wrong function")
    };
    assert!(r.messages.is_ok());
    let t = r.transaction.unwrap();
    assert_eq!(t.trans_id.as_str(), "2170001234");
    assert_eq!(t.ref_trans_id, None);
    assert_eq!(t.transaction_type, "authCaptureTransaction");
    assert_eq!(t.transaction_status, status::SETTLED_SUCCESSFULLY);
    assert_eq!((t.response_code, t.response_reason_code), (1, 1));
    assert_eq!(t.response_reason_description, "Approval");
    assert_eq!(t.auth_code.as_deref(), Some("Q7T2ZK"));
    assert_eq!(t.avs_response.as_deref(), Some("Y"));
    assert_eq!(t.card_code_response.as_deref(), Some("M"));
    let batch = t.batch.unwrap();
    assert_eq!(batch.batch_id.as_str(), "1000001");
    assert_eq!(
        batch.settlement_time_utc.as_deref(),
        Some("2026-11-27T03:04:52Z")
    );
    assert_eq!(batch.settlement_state, "settledSuccessfully");
    let order = t.order.unwrap();
    assert_eq!(order.invoice_number.as_deref(), Some("INV-1001"));
    assert_eq!(order.description.as_deref(), Some("Widgets"));
    assert_eq!(t.auth_amount, dec!(19.99));
    assert_eq!(t.settle_amount, dec!(19.99));
    assert_eq!(t.line_items.len(), 1);
    let card = t.payment.credit_card.unwrap();
    assert_eq!(card.card_number, "XXXX1111");
    assert_eq!(card.expiration_date, "XXXX");
    assert_eq!(card.card_type.as_deref(), Some("Visa"));
    assert_eq!(t.bill_to.unwrap().zip.as_deref(), Some("97201"));
    assert_eq!(t.customer_ip.as_deref(), Some("203.0.113.9"));
    assert_eq!(t.authorization_indicator.as_deref(), Some("final"));
}

#[test]
fn golden_json_as_the_gateway_formats_it() {
    // The gateway's JSON: BOM, no root key, `transactions` a bare array,
    // numbers as numbers.
    let list = "\u{feff}{\"transactions\":[{\"transId\":\"2170001237\",\"submitTimeUTC\":\"2026-11-27T21:22:08.447Z\",\"submitTimeLocal\":\"2026-11-27T13:22:08.447\",\"transactionStatus\":\"authorizedPendingCapture\",\"invoiceNumber\":\"INV-1001\",\"firstName\":\"Ann\",\"lastName\":\"Lee\",\"accountType\":\"Visa\",\"accountNumber\":\"XXXX1111\",\"settleAmount\":19.99,\"marketType\":\"eCommerce\",\"product\":\"Card Not Present\",\"hasReturnedItems\":false}],\"totalNumInResultSet\":1,\"messages\":{\"resultCode\":\"Ok\",\"message\":[{\"code\":\"I00001\",\"text\":\"Successful.\"}]}}";
    let ApiResponse::GetUnsettledTransactionList(r) = decode_response(
        list.as_bytes(),
        Format::Json,
        Function::GetUnsettledTransactionList,
    )
    .unwrap() else {
        panic!("wrong function")
    };
    assert_eq!(r.total_num_in_result_set, Some(1));
    assert_eq!(r.transactions.len(), 1);
    assert_eq!(r.transactions[0].settle_amount, dec!(19.99));
    assert_eq!(
        r.transactions[0].transaction_status,
        status::AUTHORIZED_PENDING_CAPTURE
    );

    let details = "\u{feff}{\"transaction\":{\"transId\":\"2170001234\",\"submitTimeUTC\":\"2026-11-26T18:01:11.52Z\",\"submitTimeLocal\":\"2026-11-26T10:01:11.52\",\"transactionType\":\"authOnlyTransaction\",\"transactionStatus\":\"voided\",\"responseCode\":1,\"responseReasonCode\":1,\"responseReasonDescription\":\"Approval\",\"authCode\":\"Q7T2ZK\",\"AVSResponse\":\"Y\",\"cardCodeResponse\":\"P\",\"order\":{\"invoiceNumber\":\"INV-1001\",\"discountAmount\":0.0,\"taxIsAfterDiscount\":false},\"authAmount\":5.0,\"settleAmount\":0.0,\"taxExempt\":false,\"payment\":{\"creditCard\":{\"cardNumber\":\"XXXX1111\",\"expirationDate\":\"XXXX\",\"cardType\":\"Visa\"}},\"recurringBilling\":false,\"product\":\"Card Not Present\",\"marketType\":\"eCommerce\"},\"messages\":{\"resultCode\":\"Ok\",\"message\":[{\"code\":\"I00001\",\"text\":\"Successful.\"}]}}";
    let ApiResponse::GetTransactionDetails(r) = decode_response(
        details.as_bytes(),
        Format::Json,
        Function::GetTransactionDetails,
    )
    .unwrap() else {
        panic!("wrong function")
    };
    let t = r.transaction.unwrap();
    assert_eq!(t.transaction_status, status::VOIDED);
    assert_eq!(t.auth_amount, dec!(5));
    assert_eq!(t.settle_amount, dec!(0));
    assert_eq!(t.response_code, 1);
    assert_eq!(t.order.unwrap().invoice_number.as_deref(), Some("INV-1001"));
}

#[test]
fn unknown_id_error_decodes_in_both_forms() {
    let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><getTransactionDetailsResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\"><messages><resultCode>Error</resultCode><message><code>E00040</code><text>The record cannot be found.</text></message></messages></getTransactionDetailsResponse>";
    let json = "\u{feff}{\"messages\":{\"resultCode\":\"Error\",\"message\":[{\"code\":\"E00040\",\"text\":\"The record cannot be found.\"}]}}";
    for (bytes, format) in [(xml, Format::Xml), (json, Format::Json)] {
        let r = decode_response(bytes.as_bytes(), format, Function::GetTransactionDetails).unwrap();
        let ApiResponse::GetTransactionDetails(r) = r else {
            panic!("wrong function")
        };
        assert_eq!(r.messages.first_code(), Some("E00040"));
        assert!(r.transaction.is_none());
    }
}

#[test]
fn requests_have_the_schema_shape() {
    let list = ApiRequest::GetUnsettledTransactionList(GetUnsettledTransactionListRequest {
        merchant_authentication: api_samples::auth(),
        ref_id: Some("r-1".into()),
        sorting: Some(TransactionListSorting {
            order_by: TransactionListOrderField::SubmitTimeUtc,
            order_descending: true,
        }),
        paging: Some(Paging {
            limit: 100,
            offset: 1,
        }),
        ..Default::default()
    });
    let xml = String::from_utf8(encode_request(&list, Format::Xml)).unwrap();
    assert!(xml.contains("<getUnsettledTransactionListRequest xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\"><merchantAuthentication>"));
    assert!(xml.ends_with("<refId>r-1</refId><sorting><orderBy>submitTimeUTC</orderBy><orderDescending>true</orderDescending></sorting><paging><limit>100</limit><offset>1</offset></paging></getUnsettledTransactionListRequest>"), "{xml}");
    let json: serde_json::Value =
        serde_json::from_slice(&encode_request(&list, Format::Json)).unwrap();
    assert_eq!(
        json["getUnsettledTransactionListRequest"]["paging"]["limit"],
        "100"
    );

    let details = ApiRequest::GetTransactionDetails(GetTransactionDetailsRequest {
        merchant_authentication: api_samples::auth(),
        trans_id: NumericString::from(2170001234),
        ..Default::default()
    });
    let xml = String::from_utf8(encode_request(&details, Format::Xml)).unwrap();
    assert!(
        xml.ends_with(
            "</merchantAuthentication><transId>2170001234</transId></getTransactionDetailsRequest>"
        ),
        "{xml}"
    );
    // What the official SDKs send decodes: a bare request (no options), and
    // JSON numbers.
    let bare = br#"<?xml version="1.0" encoding="utf-8"?><getUnsettledTransactionListRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd"><merchantAuthentication><name>a</name><transactionKey>b</transactionKey></merchantAuthentication></getUnsettledTransactionListRequest>"#;
    let ApiRequest::GetUnsettledTransactionList(r) = decode_request(bare, Format::Xml).unwrap()
    else {
        panic!("wrong function")
    };
    assert!(r.sorting.is_none() && r.paging.is_none() && r.status.is_none());
    let js = br#"{"getUnsettledTransactionListRequest":{"merchantAuthentication":{"name":"a","transactionKey":"b"},"paging":{"limit":20,"offset":2},"sorting":{"orderBy":"id","orderDescending":false}}}"#;
    let ApiRequest::GetUnsettledTransactionList(r) = decode_request(js, Format::Json).unwrap()
    else {
        panic!("wrong function")
    };
    assert_eq!(
        r.paging,
        Some(Paging {
            limit: 20,
            offset: 2
        })
    );
    assert_eq!(r.sorting.unwrap().order_by, TransactionListOrderField::Id);
    // Schema violations are E00003.
    let bad = br#"{"getTransactionDetailsRequest":{"merchantAuthentication":{"name":"a","transactionKey":"b"},"transId":"12ab"}}"#;
    assert_eq!(
        decode_request(bad, Format::Json).unwrap_err().code(),
        "E00003"
    );
    let bad = br#"{"getUnsettledTransactionListRequest":{"merchantAuthentication":{"name":"a","transactionKey":"b"},"paging":{"limit":-1,"offset":1}}}"#;
    assert_eq!(
        decode_request(bad, Format::Json).unwrap_err().code(),
        "E00003"
    );
}

#[test]
fn responses_have_the_gateway_shape() {
    let responses = api_samples::responses();
    let list = responses
        .iter()
        .find(|r| r.function() == Some(Function::GetUnsettledTransactionList))
        .unwrap();
    let xml = String::from_utf8(encode_response(list, Format::Xml)).unwrap();
    let order = [
        "<refId>",
        "<messages>",
        "<transactions><transaction><transId>2170001236</transId><submitTimeUTC>",
        "<submitTimeLocal>",
        "<transactionStatus>",
        "<invoiceNumber>",
        "<firstName>",
        "<lastName>",
        "<accountType>",
        "<accountNumber>",
        "<settleAmount>12.50</settleAmount>",
        "<totalNumInResultSet>2</totalNumInResultSet>",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|t| {
            xml.find(t)
                .unwrap_or_else(|| panic!("{t} missing in {xml}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{xml}");
    let json: serde_json::Value =
        serde_json::from_slice(&encode_response(list, Format::Json)[3..]).unwrap();
    assert!(json["transactions"].is_array(), "{json}");
    assert_eq!(json["transactions"][1]["transactionStatus"], "declined");

    let details = responses
        .iter()
        .find(|r| r.function() == Some(Function::GetTransactionDetails))
        .unwrap();
    let xml = String::from_utf8(encode_response(details, Format::Xml)).unwrap();
    let order = [
        "<transaction><transId>",
        "<refTransId>",
        "<submitTimeUTC>",
        "<transactionType>",
        "<transactionStatus>",
        "<responseCode>",
        "<responseReasonCode>",
        "<responseReasonDescription>",
        "<authCode>",
        "<AVSResponse>",
        "<cardCodeResponse>",
        "<CAVVResponse>",
        "<batch><batchId>",
        "<order>",
        "<requestedAmount>",
        "<authAmount>",
        "<settleAmount>",
        "<lineItems><lineItem>",
        "<payment><creditCard><cardNumber>XXXX1111</cardNumber>",
        "<customer>",
        "<billTo>",
        "<shipTo>",
        "<customerIP>",
        "<profile>",
        "<networkTransId>",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|t| {
            xml.find(t)
                .unwrap_or_else(|| panic!("{t} missing in {xml}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{xml}");
}
