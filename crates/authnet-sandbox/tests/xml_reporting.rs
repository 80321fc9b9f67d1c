//! Transaction Reporting over HTTP (in-process): a charge made through AIM is
//! found in `getUnsettledTransactionList` and by `getTransactionDetails`, in
//! XML and JSON; it leaves the unsettled list once settled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use authnet_proto::aim::ResponseCode;
use authnet_proto::api::*;
use authnet_sandbox::{DEFAULT_LOGIN, DEFAULT_TRANSACTION_KEY};
use axum::http::StatusCode;
use checkout_domain::Secret;
use common::{App, sale};
use rust_decimal_macros::dec;

fn auth() -> MerchantAuthentication {
    MerchantAuthentication {
        name: Some(DEFAULT_LOGIN.to_owned()),
        transaction_key: Some(Secret::new(DEFAULT_TRANSACTION_KEY.to_owned())),
    }
}

async fn send(app: &App, request: impl Into<ApiRequest>, format: Format) -> ApiResponse {
    let request = request.into();
    let ct = match format {
        Format::Xml => "text/xml",
        Format::Json => "application/json",
    };
    let (status, body) = app
        .call(
            "POST",
            "/xml/v1/request.api",
            ct,
            encode_request(&request, format),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    decode_response(&body, format, request.function())
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body)))
}

async fn unsettled(app: &App, format: Format) -> GetUnsettledTransactionListResponse {
    unsettled_with(app, GetUnsettledTransactionListRequest::default(), format).await
}

async fn unsettled_with(
    app: &App,
    mut request: GetUnsettledTransactionListRequest,
    format: Format,
) -> GetUnsettledTransactionListResponse {
    request.merchant_authentication = auth();
    match send(app, request, format).await {
        ApiResponse::GetUnsettledTransactionList(r) => r,
        other => panic!("{other:?}"),
    }
}

async fn details(app: &App, id: &str, format: Format) -> GetTransactionDetailsResponse {
    let request = GetTransactionDetailsRequest {
        merchant_authentication: auth(),
        ref_id: Some("d-1".into()),
        trans_id: NumericString::new(id).unwrap(),
        ..Default::default()
    };
    match send(app, request, format).await {
        ApiResponse::GetTransactionDetails(r) => r,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn aim_charge_is_found_by_invoice_then_leaves_the_unsettled_list_when_settled() {
    let app = App::new();
    let charge = app.aim(&sale("AUTH_CAPTURE", "19.99", "INV-REL-1")).await;
    assert_eq!(charge.response_code, ResponseCode::Approved);
    let other = app.aim(&sale("AUTH_ONLY", "5.00", "INV-REL-2")).await;
    assert_eq!(other.response_code, ResponseCode::Approved);

    for format in [Format::Xml, Format::Json] {
        let list = unsettled(&app, format).await;
        assert!(list.messages.is_ok());
        assert_eq!(list.total_num_in_result_set, Some(2));
        // Newest first.
        assert_eq!(list.transactions[0].trans_id.as_str(), other.trans_id);
        let found = list
            .transactions
            .iter()
            .find(|t| t.invoice_number.as_deref() == Some("INV-REL-1"))
            .expect("the charge is listed under its invoice");
        assert_eq!(found.trans_id.as_str(), charge.trans_id);
        assert_eq!(
            found.transaction_status,
            status::CAPTURED_PENDING_SETTLEMENT
        );
        assert_eq!(found.account_type, "Visa");
        assert_eq!(found.account_number, "XXXX1111");
        assert_eq!(found.settle_amount, dec!(19.99));
        assert!(found.submit_time_utc.ends_with('Z'));
        assert_eq!(
            list.transactions[0].transaction_status,
            status::AUTHORIZED_PENDING_CAPTURE
        );

        let d = details(&app, &charge.trans_id, format).await;
        assert!(d.messages.is_ok());
        assert_eq!(d.ref_id.as_deref(), Some("d-1"));
        let t = d.transaction.unwrap();
        assert_eq!(t.trans_id.as_str(), charge.trans_id);
        assert_eq!(t.transaction_type, "authCaptureTransaction");
        assert_eq!(t.transaction_status, status::CAPTURED_PENDING_SETTLEMENT);
        assert_eq!((t.response_code, t.response_reason_code), (1, 1));
        assert_eq!(t.auth_code.as_deref(), Some(charge.auth_code.as_str()));
        assert_eq!(t.avs_response.as_deref(), Some("Y"));
        assert_eq!(t.auth_amount, dec!(19.99));
        assert_eq!(t.settle_amount, dec!(19.99));
        assert_eq!(
            t.order.unwrap().invoice_number.as_deref(),
            Some("INV-REL-1")
        );
        let card = t.payment.credit_card.unwrap();
        assert_eq!(card.card_number, "XXXX1111");
        assert_eq!(card.expiration_date, "XXXX");
        assert_eq!(card.card_type.as_deref(), Some("Visa"));
        assert!(t.batch.is_none());
    }

    assert_eq!(app.settle().await, 1);
    let list = unsettled(&app, Format::Xml).await;
    assert_eq!(list.total_num_in_result_set, Some(1));
    assert!(
        list.transactions
            .iter()
            .all(|t| t.trans_id.as_str() != charge.trans_id),
        "settled charge still listed"
    );
    let t = details(&app, &charge.trans_id, Format::Json)
        .await
        .transaction
        .unwrap();
    assert_eq!(t.transaction_status, status::SETTLED_SUCCESSFULLY);
    let batch = t.batch.unwrap();
    assert_eq!(batch.settlement_state, "settledSuccessfully");
    assert!(batch.settlement_time_utc.is_some());
    let ledger_batch = app
        .sandbox
        .lookup(charge.trans_id.parse().unwrap())
        .unwrap()
        .batch_id
        .unwrap();
    assert_eq!(batch.batch_id.as_str(), ledger_batch.to_string());
}

#[tokio::test]
async fn declines_voids_and_refunds_carry_their_statuses() {
    let app = App::new();
    // ZIP 46282 declines.
    let mut declined = sale("AUTH_CAPTURE", "7.00", "INV-D");
    declined.retain(|(k, _)| *k != "x_zip");
    declined.push(("x_zip", "46282"));
    let declined = app.aim(&declined).await;
    assert_eq!(declined.response_code, ResponseCode::Declined);
    let auth_only = app.aim(&sale("AUTH_ONLY", "3.00", "INV-V")).await;
    let voided = app
        .aim(&[("x_type", "VOID"), ("x_trans_id", &auth_only.trans_id)])
        .await;
    assert_eq!(voided.response_code, ResponseCode::Approved);

    let list = unsettled(&app, Format::Xml).await;
    let status_of = |id: &str| {
        list.transactions
            .iter()
            .find(|t| t.trans_id.as_str() == id)
            .map(|t| (t.transaction_status.clone(), t.settle_amount))
    };
    assert_eq!(
        status_of(&declined.trans_id),
        Some((status::DECLINED.to_owned(), dec!(0)))
    );
    assert_eq!(
        status_of(&auth_only.trans_id),
        Some((status::VOIDED.to_owned(), dec!(0)))
    );
    let d = details(&app, &declined.trans_id, Format::Xml)
        .await
        .transaction
        .unwrap();
    assert_eq!(
        (d.response_code, d.transaction_status.as_str()),
        (2, "declined")
    );
    assert_eq!(d.auth_amount, dec!(7.00));

    // A refund of a settled charge.
    let charge = app.aim(&sale("AUTH_CAPTURE", "10.00", "INV-R")).await;
    app.settle().await;
    let refund = app
        .aim(&[
            ("x_type", "CREDIT"),
            ("x_trans_id", &charge.trans_id),
            ("x_card_num", "1111"),
            ("x_amount", "4.00"),
        ])
        .await;
    assert_eq!(refund.response_code, ResponseCode::Approved, "{refund:?}");
    let list = unsettled(&app, Format::Json).await;
    assert_eq!(list.transactions.len(), 1, "{list:?}");
    assert_eq!(list.transactions[0].trans_id.as_str(), refund.trans_id);
    assert_eq!(
        list.transactions[0].transaction_status,
        status::REFUND_PENDING_SETTLEMENT
    );
    let r = details(&app, &refund.trans_id, Format::Xml)
        .await
        .transaction
        .unwrap();
    assert_eq!(r.transaction_type, "refundTransaction");
    assert_eq!(r.ref_trans_id.unwrap().as_str(), charge.trans_id);
    app.settle().await;
    let r = details(&app, &refund.trans_id, Format::Json)
        .await
        .transaction
        .unwrap();
    assert_eq!(r.transaction_status, status::REFUND_SETTLED_SUCCESSFULLY);
    assert!(unsettled(&app, Format::Xml).await.transactions.is_empty());
}

#[tokio::test]
async fn sorting_and_paging() {
    let app = App::new();
    let mut ids = Vec::new();
    for i in 0..5 {
        let inv = format!("INV-P{i}");
        let amount = format!("{}.00", i + 1);
        ids.push(app.aim(&sale("AUTH_CAPTURE", &amount, &inv)).await.trans_id);
    }
    let page = |limit, offset, descending| GetUnsettledTransactionListRequest {
        sorting: Some(TransactionListSorting {
            order_by: TransactionListOrderField::Id,
            order_descending: descending,
        }),
        paging: Some(Paging { limit, offset }),
        ..Default::default()
    };
    let got = |r: &GetUnsettledTransactionListResponse| -> Vec<String> {
        r.transactions
            .iter()
            .map(|t| t.trans_id.as_str().to_owned())
            .collect()
    };
    let p2 = unsettled_with(&app, page(2, 2, false), Format::Xml).await;
    assert_eq!(got(&p2), ids[2..4].to_vec());
    assert_eq!(p2.total_num_in_result_set, Some(5));
    let p3 = unsettled_with(&app, page(2, 3, false), Format::Json).await;
    assert_eq!(got(&p3), ids[4..].to_vec());
    let p1 = unsettled_with(&app, page(2, 1, true), Format::Xml).await;
    assert_eq!(got(&p1), vec![ids[4].clone(), ids[3].clone()]);
    let empty = unsettled_with(&app, page(2, 9, true), Format::Xml).await;
    assert!(empty.messages.is_ok() && empty.transactions.is_empty());
    // Limit outside 1..=1000 is a schema error.
    let bad = unsettled_with(&app, page(0, 1, true), Format::Xml).await;
    assert_eq!(bad.messages.first_code(), Some("E00003"));
    let held = GetUnsettledTransactionListRequest {
        status: Some(TransactionGroupStatus::PendingApproval),
        ..Default::default()
    };
    assert!(
        unsettled_with(&app, held, Format::Xml)
            .await
            .transactions
            .is_empty()
    );
}

#[tokio::test]
async fn unknown_id_and_bad_credentials_are_errors() {
    let app = App::new();
    for format in [Format::Xml, Format::Json] {
        let d = details(&app, "2179999999", format).await;
        assert_eq!(d.messages.result_code, ResultCode::Error);
        assert_eq!(d.messages.first_code(), Some("E00040"));
        assert_eq!(d.messages.message[0].text, "The record cannot be found.");
        assert_eq!(d.ref_id.as_deref(), Some("d-1"));
        assert!(d.transaction.is_none());
    }
    let wrong = MerchantAuthentication {
        name: Some(DEFAULT_LOGIN.to_owned()),
        transaction_key: Some(Secret::new("WrongKey".to_owned())),
    };
    let list = GetUnsettledTransactionListRequest {
        merchant_authentication: wrong.clone(),
        ..Default::default()
    };
    let r = send(&app, list, Format::Xml).await;
    assert_eq!(r.function(), Some(Function::GetUnsettledTransactionList));
    assert_eq!(r.messages().first_code(), Some("E00007"));
    let d = GetTransactionDetailsRequest {
        merchant_authentication: wrong,
        trans_id: NumericString::from(2170000001),
        ..Default::default()
    };
    let r = send(&app, d, Format::Json).await;
    assert_eq!(r.messages().first_code(), Some("E00007"));
    // A malformed id is a schema error.
    let (status, body) = app
        .call(
            "POST",
            "/xml/v1/request.api",
            "application/json",
            br#"{"getTransactionDetailsRequest":{"merchantAuthentication":{"name":"anet-test","transactionKey":"SandboxKey123456"},"transId":"abc"}}"#.to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = decode_response(&body, Format::Json, Function::GetTransactionDetails).unwrap();
    assert_eq!(r.messages().first_code(), Some("E00003"));
}
