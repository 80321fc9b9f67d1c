//! AIM through the HTTP interface, in process (`tower::ServiceExt::oneshot`):
//! every rule and refusal, the test values, the duplicate window, settlement
//! and refunds, control endpoints and faults.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use authnet_proto::aim::{
    AimResponse, AvsResult, CardCodeResult, CavvResult, ResponseCode, TransactionType,
};
use authnet_sandbox::{Behaviour, SandboxConfig};
use axum::http::StatusCode;
use common::{App, VISA, aim_body, sale};
use rust_decimal_macros::dec;

fn reason(r: &AimResponse) -> (u8, u16) {
    (r.response_code.as_u8(), r.reason_code)
}

#[tokio::test]
async fn approves_auth_capture_with_realistic_fields() {
    let app = App::new();
    let mut fields = sale("AUTH_CAPTURE", "19.99", "INV-1");
    fields.extend([
        ("x_card_code", "123"),
        ("x_first_name", "Ann"),
        ("order_ref", "A-17"),
    ]);
    let r = app.aim(&fields).await;
    assert_eq!(reason(&r), (1, 1));
    assert_eq!(r.reason_text, "This transaction has been approved.");
    assert_eq!(r.auth_code.len(), 6);
    assert_eq!(r.avs_result, Some(AvsResult::AddressAndZip5Match));
    assert_eq!(r.card_code_result, Some(CardCodeResult::NotProcessed));
    assert_eq!(r.cavv_result, Some(CavvResult::Passed));
    assert!(r.transaction_id().is_some());
    assert_eq!(r.amount, Some(dec!(19.99)));
    assert_eq!(r.transaction_type, Some(TransactionType::AuthCapture));
    assert_eq!(r.account_number, "XXXX1111");
    assert_eq!(r.card_type, "Visa");
    assert_eq!(r.bill_to.first_name, "Ann");
    assert_eq!(r.extra, vec!["A-17".to_owned()]);
    assert!(r.verify_md5("", "anet-test"));

    let ledger = app.ledger().await;
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0]["state"], "captured_pending_settlement");
    assert_eq!(ledger[0]["last4"], "1111");
    assert_eq!(ledger[0]["invoice"], "INV-1");
    assert!(!serde_json::to_string(&ledger).unwrap().contains(VISA));
}

#[tokio::test]
async fn default_framing_is_comma_without_encapsulation() {
    let app = App::new();
    let body = serde_urlencoded::to_string([
        ("x_login", "anet-test"),
        ("x_tran_key", "SandboxKey123456"),
        ("x_amount", "5"),
        ("x_card_num", VISA),
        ("x_exp_date", "1235"),
    ])
    .unwrap();
    let (status, bytes) = app
        .call(
            "POST",
            "/gateway/transact.dll",
            "application/x-www-form-urlencoded",
            body.into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.starts_with("1,1,1,This transaction has been approved.,"),
        "{text}"
    );
    assert_eq!(text.split(',').count(), 68);
    let r = AimResponse::parse(text.as_bytes(), b',', None).unwrap();
    assert_eq!(
        r.transaction_type,
        Some(TransactionType::AuthCapture),
        "x_type defaults to AUTH_CAPTURE"
    );
}

#[tokio::test]
async fn wrong_key_or_unknown_login_is_reason_13() {
    let app = App::new();
    let mut fields = sale("AUTH_CAPTURE", "52.56", "");
    fields.push(("x_tran_key", "WrongKey12345678"));
    let r = app.aim(&fields).await;
    assert_eq!(reason(&r), (3, 13));
    assert_eq!(r.subcode, "2");
    assert_eq!(r.trans_id, "0");
    assert_eq!(r.avs_result, Some(AvsResult::NotApplicable));
    assert_eq!(r.method, "");
    let mut fields = sale("AUTH_CAPTURE", "52.56", "");
    fields.push(("x_login", "bad_login"));
    let r = app.aim(&fields).await;
    assert_eq!(reason(&r), (3, 13));
    assert!(r.verify_md5("", "bad_login"));
    // Same layout as the fact sheet's captured reason-13 response (§3.13).
    assert_eq!(
        r.md5_hash, "A9058CC0F95F568BF3B6BFAD39B09259",
        "md5 of bad_login + 0 + 52.56"
    );
    assert!(app.ledger().await.is_empty());
}

#[tokio::test]
async fn malformed_requests_get_their_reason_codes() {
    let app = App::new();
    let cases: Vec<(Vec<(&str, &str)>, u16)> = vec![
        (vec![("x_version", "2.5")], 68),
        (vec![("x_type", "SALE")], 69),
        (vec![("x_method", "CASH")], 70),
        (vec![("x_amount", "")], 5),
        (vec![("x_amount", "$5.00")], 5),
        (vec![("x_amount", "0")], 5),
        (vec![("x_card_num", "4111111111111112")], 6),
        (vec![("x_card_num", "41111")], 6),
        (vec![("x_exp_date", "13/30")], 7),
        (vec![("x_exp_date", "0120")], 8),
        (vec![("x_card_code", "12")], 78),
        (vec![("x_tax", "Tax<|>state<|>abc")], 76),
        (vec![("x_freight", "x")], 75),
        (vec![("x_duty", "x")], 74),
        (vec![("x_line_item", "only<|>three<|>parts")], 270),
    ];
    for (extra, expected) in cases {
        let mut fields = sale("AUTH_CAPTURE", "10.00", "INV-BAD");
        fields.extend(extra.iter().copied());
        let r = app.aim(&fields).await;
        assert_eq!(r.reason_code, expected, "{extra:?} → {}", r.reason_text);
        assert_eq!(r.response_code, ResponseCode::Error);
        assert_eq!(r.trans_id, "0");
    }
    let items: Vec<(&str, &str)> = (0..31)
        .map(|_| ("x_line_item", "i<|>n<|><|>1<|>1.00<|>N"))
        .collect();
    let mut fields = sale("AUTH_CAPTURE", "10.00", "INV-31");
    fields.extend(items);
    let r = app.aim(&fields).await;
    assert_eq!(reason(&r), (3, 271));
    assert!(r.reason_text.contains("maximum of 30 line items"));
    assert!(
        app.ledger().await.is_empty(),
        "no refused request is stored"
    );
}

#[tokio::test]
async fn capture_only_needs_an_auth_code() {
    let app = App::new();
    let r = app.aim(&sale("CAPTURE_ONLY", "10.00", "C1")).await;
    assert_eq!(reason(&r), (3, 12));
    let mut fields = sale("CAPTURE_ONLY", "10.00", "C2");
    fields.push(("x_auth_code", "1234567"));
    assert_eq!(reason(&app.aim(&fields).await), (3, 72));
    let mut fields = sale("CAPTURE_ONLY", "10.00", "C3");
    fields.push(("x_auth_code", "VOICE1"));
    let r = app.aim(&fields).await;
    assert_eq!(reason(&r), (1, 1));
    assert_eq!(r.auth_code, "VOICE1");
    assert_eq!(r.transaction_type, Some(TransactionType::CaptureOnly));
    assert_eq!(
        r.avs_result,
        Some(AvsResult::NotApplicable),
        "§3.4: capture_only AVS P"
    );
    assert_eq!(r.cavv_result, None);
}

#[tokio::test]
async fn prior_auth_capture_walk() {
    let app = App::new();
    let auth = app.aim(&sale("AUTH_ONLY", "20.00", "P1")).await;
    assert_eq!(reason(&auth), (1, 1));
    let id = auth.trans_id.clone();
    assert_eq!(app.ledger().await[0]["state"], "authorized_pending_capture");

    // More than authorised → 47; missing id → 15; unknown → 16.
    let r = app
        .aim(&[
            ("x_type", "PRIOR_AUTH_CAPTURE"),
            ("x_trans_id", &id),
            ("x_amount", "20.01"),
        ])
        .await;
    assert_eq!(reason(&r), (3, 47));
    assert_eq!(
        reason(&app.aim(&[("x_type", "PRIOR_AUTH_CAPTURE")]).await),
        (3, 15)
    );
    assert_eq!(
        reason(
            &app.aim(&[("x_type", "PRIOR_AUTH_CAPTURE"), ("x_trans_id", "abc")])
                .await
        ),
        (3, 15)
    );
    assert_eq!(
        reason(
            &app.aim(&[("x_type", "PRIOR_AUTH_CAPTURE"), ("x_trans_id", "42")])
                .await
        ),
        (3, 16)
    );

    // Partial capture: same id and auth code, AVS P.
    let r = app
        .aim(&[
            ("x_type", "PRIOR_AUTH_CAPTURE"),
            ("x_trans_id", &id),
            ("x_amount", "15.00"),
        ])
        .await;
    assert_eq!(reason(&r), (1, 1));
    assert_eq!(r.trans_id, id);
    assert_eq!(r.auth_code, auth.auth_code);
    assert_eq!(r.avs_result, Some(AvsResult::NotApplicable));
    assert_eq!(r.amount, Some(dec!(15.00)));
    assert_eq!(r.transaction_type, Some(TransactionType::PriorAuthCapture));
    assert_eq!(r.account_number, "XXXX1111");
    let ledger = app.ledger().await;
    assert_eq!(ledger[0]["state"], "captured_pending_settlement");
    assert_eq!(ledger[0]["captured_amount"], "15.00");

    // Second capture: code 1, reason 311, trans id 0.
    let r = app
        .aim(&[("x_type", "PRIOR_AUTH_CAPTURE"), ("x_trans_id", &id)])
        .await;
    assert_eq!(reason(&r), (1, 311));
    assert_eq!(r.trans_id, "0");
}

#[tokio::test]
async fn prior_auth_capture_refused_on_voided_or_expired_auth() {
    let app = App::new();
    let voided = app.aim(&sale("AUTH_ONLY", "20.00", "V1")).await.trans_id;
    assert_eq!(
        reason(
            &app.aim(&[("x_type", "VOID"), ("x_trans_id", &voided)])
                .await
        ),
        (1, 1)
    );
    let r = app
        .aim(&[("x_type", "PRIOR_AUTH_CAPTURE"), ("x_trans_id", &voided)])
        .await;
    assert_eq!(reason(&r), (3, 16));

    let old = app.aim(&sale("AUTH_ONLY", "21.00", "V2")).await.trans_id;
    let (status, _) = app
        .json("POST", "/_sandbox/clock", r#"{"advance_secs": 2678400}"#)
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = app
        .aim(&[("x_type", "PRIOR_AUTH_CAPTURE"), ("x_trans_id", &old)])
        .await;
    assert_eq!(
        reason(&r),
        (3, 16),
        "a 31-day-old authorisation has expired"
    );
    app.settle().await;
    let entry = app
        .ledger()
        .await
        .into_iter()
        .find(|e| e["id"] == old.parse::<u64>().unwrap())
        .unwrap();
    assert_eq!(entry["state"], "expired");
}

#[tokio::test]
async fn void_only_before_settlement() {
    let app = App::new();
    let sale1 = app.aim(&sale("AUTH_CAPTURE", "30.00", "VD1")).await;
    let r = app
        .aim(&[("x_type", "VOID"), ("x_trans_id", &sale1.trans_id)])
        .await;
    assert_eq!(reason(&r), (1, 1));
    assert_eq!(r.trans_id, sale1.trans_id);
    assert_eq!(r.auth_code, sale1.auth_code);
    assert_eq!(r.amount, Some(dec!(0.00)));
    assert_eq!(r.transaction_type, Some(TransactionType::Void));
    let again = app
        .aim(&[("x_type", "VOID"), ("x_trans_id", &sale1.trans_id)])
        .await;
    assert_eq!(reason(&again), (1, 310));
    assert_eq!(again.trans_id, "0");

    let sale2 = app.aim(&sale("AUTH_CAPTURE", "31.00", "VD2")).await;
    assert_eq!(app.settle().await, 1);
    let r = app
        .aim(&[("x_type", "VOID"), ("x_trans_id", &sale2.trans_id)])
        .await;
    assert_eq!(reason(&r), (3, 16));
    assert_eq!(
        reason(&app.aim(&[("x_type", "VOID"), ("x_trans_id", "99")]).await),
        (3, 16)
    );
    assert_eq!(reason(&app.aim(&[("x_type", "VOID")]).await), (3, 15));
    let states: Vec<String> = app
        .ledger()
        .await
        .iter()
        .map(|e| e["state"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(states, vec!["voided", "settled"]);
}

#[tokio::test]
async fn settlement_and_refund_walk() {
    let app = App::new();
    let charge = app.aim(&sale("AUTH_CAPTURE", "50.00", "R1")).await;
    let id = charge.trans_id.clone();
    let credit = |amount: &'static str, card: &'static str| {
        vec![
            ("x_type", "CREDIT"),
            ("x_amount", amount),
            ("x_card_num", card),
            ("x_duplicate_window", "0"),
        ]
    };
    // Unsettled → 54 (the 2011 sandbox's answer).
    let mut f = credit("10.00", "1111");
    f.push(("x_trans_id", &id));
    assert_eq!(reason(&app.aim(&f).await), (3, 54));

    assert_eq!(app.settle().await, 1);
    // Wrong last four → 54; no card → 33; too much → 55; no trans id → 54 (unlinked not enabled).
    let mut f = credit("10.00", "0027");
    f.push(("x_trans_id", &id));
    assert_eq!(reason(&app.aim(&f).await), (3, 54));
    let r = app
        .aim(&[
            ("x_type", "CREDIT"),
            ("x_amount", "1.00"),
            ("x_trans_id", &id),
            ("x_duplicate_window", "0"),
        ])
        .await;
    assert_eq!(reason(&r), (3, 33));
    let mut f = credit("50.01", "1111");
    f.push(("x_trans_id", &id));
    assert_eq!(reason(&app.aim(&f).await), (3, 55));
    assert_eq!(reason(&app.aim(&credit("5.00", "1111")).await), (3, 54));

    // Two partial credits up to the settled amount, then one cent more → 55.
    let mut f = credit("20.00", "1111");
    f.push(("x_trans_id", &id));
    let c1 = app.aim(&f).await;
    assert_eq!(reason(&c1), (1, 1));
    assert_ne!(c1.trans_id, id, "a credit gets a new id");
    assert_eq!(c1.transaction_type, Some(TransactionType::Credit));
    assert_eq!(c1.auth_code, "");
    assert_eq!(c1.account_number, "XXXX1111");
    let mut f = credit("30.00", VISA);
    f.push(("x_trans_id", &id));
    assert_eq!(
        reason(&app.aim(&f).await),
        (1, 1),
        "full number works as well as last four"
    );
    let mut f = credit("0.01", "1111");
    f.push(("x_trans_id", &id));
    assert_eq!(reason(&app.aim(&f).await), (3, 55));

    let ledger = app.ledger().await;
    let original = ledger
        .iter()
        .find(|e| e["id"] == id.parse::<u64>().unwrap())
        .unwrap();
    assert_eq!(original["state"], "refunded");
    assert_eq!(original["credited_amount"], "50.00");
    let credits: Vec<_> = ledger.iter().filter(|e| e["type"] == "credit").collect();
    assert_eq!(credits.len(), 2);
    assert!(
        credits
            .iter()
            .all(|c| c["ref_trans_id"] == id.parse::<u64>().unwrap())
    );

    // Voiding the unsettled credit gives its amount back.
    let r = app
        .aim(&[("x_type", "VOID"), ("x_trans_id", &c1.trans_id)])
        .await;
    assert_eq!(reason(&r), (1, 1));
    let original = app
        .ledger()
        .await
        .into_iter()
        .find(|e| e["id"] == id.parse::<u64>().unwrap())
        .unwrap();
    assert_eq!(original["state"], "settled");
    assert_eq!(original["credited_amount"], "30.00");
}

#[tokio::test]
async fn credit_refused_after_120_days() {
    let app = App::new();
    let id = app
        .aim(&sale("AUTH_CAPTURE", "40.00", "R120"))
        .await
        .trans_id;
    app.settle().await;
    app.sandbox.advance_clock(121 * 86_400);
    let r = app
        .aim(&[
            ("x_type", "CREDIT"),
            ("x_amount", "1.00"),
            ("x_card_num", "1111"),
            ("x_trans_id", &id),
        ])
        .await;
    assert_eq!(reason(&r), (3, 54));
}

#[tokio::test]
async fn duplicate_window_returns_reason_11() {
    let app = App::new();
    let first = app.aim(&sale("AUTH_CAPTURE", "12.00", "D1")).await;
    assert_eq!(reason(&first), (1, 1));
    // Same fields, no window field: plain duplicate response.
    let dup = app.aim(&sale("AUTH_CAPTURE", "12.00", "D1")).await;
    assert_eq!(reason(&dup), (3, 11));
    assert_eq!(dup.trans_id, "0");
    assert_eq!(dup.auth_code, "");
    // A different invoice is not a duplicate.
    assert_eq!(
        reason(&app.aim(&sale("AUTH_CAPTURE", "12.00", "D2")).await),
        (1, 1)
    );
    assert_eq!(app.ledger().await.len(), 2);

    // With x_duplicate_window sent: enhanced response with the original's data.
    let mut f = sale("AUTH_ONLY", "13.00", "D3");
    f.push(("x_duplicate_window", "600"));
    let original = app.aim(&f).await;
    let dup = app.aim(&f).await;
    assert_eq!(reason(&dup), (3, 11));
    assert_eq!(dup.trans_id, original.trans_id);
    assert_eq!(dup.auth_code, original.auth_code);
    assert_eq!(dup.avs_result, original.avs_result);

    // Window 0 disables the check.
    let mut f = sale("AUTH_CAPTURE", "14.00", "D4");
    f.push(("x_duplicate_window", "0"));
    assert_eq!(reason(&app.aim(&f).await), (1, 1));
    assert_eq!(reason(&app.aim(&f).await), (1, 1));

    // After the window has passed the same request goes through.
    app.sandbox.advance_clock(121);
    assert_eq!(
        reason(&app.aim(&sale("AUTH_CAPTURE", "12.00", "D1")).await),
        (1, 1)
    );
}

#[tokio::test]
async fn test_request_is_not_stored() {
    let app = App::new();
    let mut f = sale("AUTH_ONLY", "10.00", "T1");
    f.push(("x_test_request", "TRUE"));
    let r = app.aim(&f).await;
    assert_eq!(reason(&r), (1, 1));
    assert_eq!(
        r.reason_text,
        "(TESTMODE) This transaction has been approved."
    );
    assert_eq!(r.auth_code, "000000");
    assert_eq!(r.avs_result, Some(AvsResult::NotApplicable));
    assert_eq!(r.trans_id, "0");
    assert_eq!(r.card_code_result, None);
    assert_eq!(r.account_number, "XXXX1111");
    assert!(r.verify_md5("", "anet-test"));
    assert!(app.ledger().await.is_empty());
}

#[tokio::test]
async fn error_card_in_test_mode_picks_reason_by_amount() {
    let app = App::new();
    for (amount, expected) in [
        ("27.00", (2, 27)),
        ("12", (3, 12)),
        ("2.00", (2, 2)),
        ("193.00", (4, 193)),
        ("777.00", (2, 2)),
    ] {
        let r = app
            .aim(&[
                ("x_type", "AUTH_CAPTURE"),
                ("x_amount", amount),
                ("x_card_num", "4222222222222"),
                ("x_exp_date", "1235"),
                ("x_test_request", "TRUE"),
            ])
            .await;
        assert_eq!(reason(&r), expected, "amount {amount}");
        assert!(r.reason_text.starts_with("(TESTMODE) "));
    }
    // In live mode the error card is an ordinary Visa.
    let r = app
        .aim(&[
            ("x_amount", "27.00"),
            ("x_card_num", "4222222222222"),
            ("x_exp_date", "1235"),
        ])
        .await;
    assert_eq!(reason(&r), (1, 1));
    assert_eq!(r.account_number, "XXXX2222");
}

#[tokio::test]
async fn zip_triggers() {
    let app = App::new();
    let with_zip = |zip: &'static str, inv: &'static str| {
        vec![
            ("x_amount", "5.00"),
            ("x_card_num", VISA),
            ("x_exp_date", "1235"),
            ("x_zip", zip),
            ("x_invoice_num", inv),
        ]
    };
    let r = app.aim(&with_zip("46282", "Z1")).await;
    assert_eq!(reason(&r), (2, 2));
    assert!(r.transaction_id().is_some(), "declines get an id");
    for (zip, letter) in [
        ("46203", "E"),
        ("46207", "R"),
        ("46204", "G"),
        ("46205", "N"),
        ("46201", "A"),
        ("46217", "Z"),
        ("46211", "W"),
    ] {
        let r = app.aim(&with_zip(zip, zip)).await;
        assert_eq!(reason(&r), (1, 1), "zip {zip}");
        assert_eq!(
            r.avs_result.as_ref().map(|a| a.as_str()),
            Some(letter),
            "zip {zip}"
        );
    }
    // X does not apply to Visa.
    let r = app.aim(&with_zip("46214", "X")).await;
    assert_eq!(r.avs_result, Some(AvsResult::AddressAndZip5Match));
    // No address at all → B.
    let r = app
        .aim(&[
            ("x_amount", "5.00"),
            ("x_card_num", VISA),
            ("x_exp_date", "1235"),
            ("x_invoice_num", "NB"),
        ])
        .await;
    assert_eq!(r.avs_result, Some(AvsResult::NoAddressInfo));
    let ledger = app.ledger().await;
    assert_eq!(ledger[0]["state"], "declined");
}

#[tokio::test]
async fn avs_and_card_code_filters_decline_when_configured() {
    let app = App::with(SandboxConfig {
        behaviour: Behaviour {
            avs_reject: "N".into(),
            card_code_reject: "N".into(),
            ..Behaviour::default()
        },
        ..SandboxConfig::for_tests()
    });
    let base = |zip: &'static str, code: &'static str, inv: &'static str| {
        vec![
            ("x_amount", "5.00"),
            ("x_card_num", VISA),
            ("x_exp_date", "1235"),
            ("x_zip", zip),
            ("x_card_code", code),
            ("x_invoice_num", inv),
        ]
    };
    let r = app.aim(&base("46205", "900", "F1")).await;
    assert_eq!(reason(&r), (2, 27));
    assert_eq!(r.avs_result, Some(AvsResult::NoMatch));
    let r = app.aim(&base("97201", "901", "F2")).await;
    assert_eq!(reason(&r), (2, 65));
    assert_eq!(r.card_code_result, Some(CardCodeResult::NoMatch));
    let r = app.aim(&base("46205", "901", "F3")).await;
    assert_eq!(reason(&r), (2, 45));
    let r = app.aim(&base("97201", "900", "F4")).await;
    assert_eq!(reason(&r), (1, 1));
    assert_eq!(r.card_code_result, Some(CardCodeResult::Match));
}

#[tokio::test]
async fn card_code_triggers() {
    let app = App::new();
    for (code, letter) in [
        ("900", "M"),
        ("901", "N"),
        ("902", "S"),
        ("903", "U"),
        ("904", "P"),
        ("905", "S"),
        ("906", "U"),
        ("123", "P"),
    ] {
        let r = app
            .aim(&[
                ("x_amount", "6.00"),
                ("x_card_num", VISA),
                ("x_exp_date", "1235"),
                ("x_card_code", code),
                ("x_invoice_num", code),
            ])
            .await;
        assert_eq!(reason(&r), (1, 1));
        assert_eq!(
            r.card_code_result.as_ref().map(|c| c.as_str()),
            Some(letter),
            "code {code}"
        );
    }
}

#[tokio::test]
async fn partial_authorisation_and_split_tender() {
    let app = App::new();
    let base = vec![
        ("x_type", "AUTH_ONLY"),
        ("x_amount", "27.36"),
        ("x_card_num", "4222222222222"),
        ("x_exp_date", "1235"),
        ("x_zip", "46225"),
    ];
    // Without x_allow_partial_Auth: declined.
    assert_eq!(reason(&app.aim(&base).await), (2, 2));
    let mut f = base.clone();
    f.extend([("x_allow_partial_Auth", "TRUE"), ("x_invoice_num", "PA")]);
    let r = app.aim(&f).await;
    assert_eq!(reason(&r), (4, 295));
    assert_eq!(r.amount, Some(dec!(1.23)));
    assert_eq!(r.requested_amount, Some(dec!(27.36)));
    assert!(!r.split_tender_id.is_empty());
    let group = r.split_tender_id.clone();
    let follow = app
        .aim(&[
            ("x_type", "AUTH_ONLY"),
            ("x_amount", "26.13"),
            ("x_card_num", "5424000000000015"),
            ("x_exp_date", "1235"),
            ("x_split_tender_id", &group),
        ])
        .await;
    assert_eq!(reason(&follow), (1, 1));
    assert_eq!(follow.split_tender_id, group);
    assert_eq!(follow.card_type, "MasterCard");
    assert_eq!(
        reason(
            &app.aim(&[("x_type", "VOID"), ("x_split_tender_id", &group)])
                .await
        ),
        (1, 1)
    );
    assert!(
        app.ledger()
            .await
            .iter()
            .filter(|e| e["split_tender_id"].is_number())
            .all(|e| e["state"] == "voided")
    );
    let bad = app
        .aim(&[
            ("x_type", "VOID"),
            ("x_split_tender_id", "1"),
            ("x_trans_id", "2"),
        ])
        .await;
    assert_eq!(reason(&bad), (3, 297));

    let r = app
        .aim(&[
            ("x_amount", "9.00"),
            ("x_card_num", VISA),
            ("x_exp_date", "1235"),
            ("x_zip", "46227"),
        ])
        .await;
    assert_eq!(reason(&r), (1, 1));
    assert_eq!(r.balance_on_card, Some(dec!(-1.23)));
}

#[tokio::test]
async fn md5_hash_uses_the_configured_value() {
    let app = App::with(SandboxConfig {
        behaviour: Behaviour {
            md5_hash_value: "s3cret".into(),
            ..Behaviour::default()
        },
        ..SandboxConfig::for_tests()
    });
    let r = app.aim(&sale("AUTH_CAPTURE", "8.00", "M1")).await;
    assert!(r.verify_md5("s3cret", "anet-test"));
    assert!(!r.verify_md5("", "anet-test"));
}

#[tokio::test]
async fn get_with_query_string_works() {
    let app = App::new();
    let q = aim_body(&sale("AUTH_CAPTURE", "3.00", "G1"));
    let (status, body) = app
        .call(
            "GET",
            &format!("/gateway/transact.dll?{q}"),
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = AimResponse::parse(&body, b'|', Some(b'"')).unwrap();
    assert_eq!(reason(&r), (1, 1));
}

#[tokio::test]
async fn control_endpoints_are_off_by_default() {
    let app = App::with(SandboxConfig::default());
    let (status, _) = app
        .call("POST", "/_sandbox/settle", "application/json", Vec::new())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call("GET", "/_sandbox/ledger", "application/json", Vec::new())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn faults_are_refused_unless_enabled() {
    let app = App::with(SandboxConfig {
        enable_control: true,
        ..SandboxConfig::default()
    });
    let (status, v) = app
        .json(
            "POST",
            "/_sandbox/faults",
            r#"{"endpoint":"aim","kind":"status_500"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(v["error"].as_str().unwrap().contains("disabled"));
    let app = App::new();
    let (status, _) = app
        .json(
            "POST",
            "/_sandbox/faults",
            r#"{"endpoint":"aim","kind":"nonsense"}"#,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn status_500_before_and_after_commit() {
    let app = App::new();
    let (status, _) = app
        .json(
            "POST",
            "/_sandbox/faults",
            r#"{"endpoint":"aim","kind":"status_500","count":1}"#,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let body = aim_body(&sale("AUTH_CAPTURE", "10.00", "F500"));
    let (status, _) = app
        .call(
            "POST",
            "/gateway/transact.dll",
            "application/x-www-form-urlencoded",
            body.clone().into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(app.ledger().await.is_empty(), "nothing committed");
    // count 1: the fault cleared itself.
    assert_eq!(
        reason(&app.aim(&sale("AUTH_CAPTURE", "10.00", "F500")).await),
        (1, 1)
    );

    app.json(
        "POST",
        "/_sandbox/faults",
        r#"{"endpoint":"aim","kind":"status_500_after_commit","count":1}"#,
    )
    .await;
    let (status, _) = app
        .call(
            "POST",
            "/gateway/transact.dll",
            "application/x-www-form-urlencoded",
            aim_body(&sale("AUTH_CAPTURE", "11.00", "F501")).into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.ledger().await.len(), 2, "committed despite the 500");
}

#[tokio::test]
async fn truncated_and_malformed_bodies() {
    let app = App::new();
    app.json(
        "POST",
        "/_sandbox/faults",
        r#"{"endpoint":"aim","kind":"truncate","count":1}"#,
    )
    .await;
    let body = aim_body(&sale("AUTH_CAPTURE", "10.00", "TR"));
    let (status, bytes) = app
        .call(
            "POST",
            "/gateway/transact.dll",
            "application/x-www-form-urlencoded",
            body.into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8_lossy(&bytes).to_string();
    assert!(text.starts_with("\"1\"|"));
    assert!(text.split('|').count() < 68);

    app.json(
        "POST",
        "/_sandbox/faults",
        r#"{"endpoint":"aim","kind":"malformed"}"#,
    )
    .await;
    let body = aim_body(&sale("AUTH_CAPTURE", "10.00", "MF"));
    let (_, bytes) = app
        .call(
            "POST",
            "/gateway/transact.dll",
            "application/x-www-form-urlencoded",
            body.into_bytes(),
        )
        .await;
    assert!(AimResponse::parse(&bytes, b'|', Some(b'"')).is_err());
    let (status, v) = app.json("GET", "/_sandbox/faults", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v[0]["kind"], "malformed");
    app.json("DELETE", "/_sandbox/faults", "").await;
    assert_eq!(
        reason(&app.aim(&sale("AUTH_CAPTURE", "10.00", "OK")).await),
        (1, 1)
    );
    assert_eq!(
        app.ledger().await.len(),
        3,
        "truncate and malformed both committed"
    );
}

#[tokio::test]
async fn delay_fault_delays() {
    let app = App::new();
    app.json(
        "POST",
        "/_sandbox/faults",
        r#"{"endpoint":"aim","kind":"delay","delay_ms":150,"count":1}"#,
    )
    .await;
    let start = std::time::Instant::now();
    assert_eq!(
        reason(&app.aim(&sale("AUTH_CAPTURE", "10.00", "DL")).await),
        (1, 1)
    );
    assert!(start.elapsed() >= std::time::Duration::from_millis(150));
}

#[tokio::test]
async fn xml_faults_do_not_touch_aim() {
    let app = App::new();
    app.json(
        "POST",
        "/_sandbox/faults",
        r#"{"endpoint":"xml","kind":"status_500"}"#,
    )
    .await;
    assert_eq!(
        reason(&app.aim(&sale("AUTH_CAPTURE", "10.00", "XF")).await),
        (1, 1)
    );
}

#[tokio::test]
async fn reset_forgets_everything() {
    let app = App::new();
    app.aim(&sale("AUTH_CAPTURE", "10.00", "RS")).await;
    let (status, _) = app.json("POST", "/_sandbox/reset", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(app.ledger().await.is_empty());
}

#[tokio::test]
async fn reason_13_matches_the_captured_layout_byte_for_byte() {
    let app = App::new();
    let body = serde_urlencoded::to_string([
        ("x_login", "bad_login"),
        ("x_tran_key", "0123456789ABCDEF"),
        ("x_version", "3.1"),
        ("x_type", "AUTH_CAPTURE"),
        ("x_amount", "52.56"),
        ("x_delim_data", "TRUE"),
        ("x_delim_char", "|"),
        ("x_relay_response", "FALSE"),
    ])
    .unwrap();
    let (_, bytes) = app
        .call(
            "POST",
            "/gateway/transact.dll",
            "application/x-www-form-urlencoded",
            body.into_bytes(),
        )
        .await;
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "3|2|13|The merchant login ID or password is invalid or the account is inactive.||P|0|||52.56||auth_capture||||||||||||||||||||||||||A9058CC0F95F568BF3B6BFAD39B09259||||||||||||||||||||||||||||||"
    );
}

#[tokio::test]
async fn test_mode_approval_matches_the_fact_sheet_example_byte_for_byte() {
    let app = App::with(SandboxConfig {
        login: "demo_login".into(),
        transaction_key: checkout_domain::Secret::new("0123456789ABCDEF".into()),
        ..SandboxConfig::for_tests()
    });
    let body = serde_urlencoded::to_string([
        ("x_login", "demo_login"),
        ("x_tran_key", "0123456789ABCDEF"),
        ("x_version", "3.1"),
        ("x_type", "AUTH_ONLY"),
        ("x_amount", "10.00"),
        ("x_card_num", VISA),
        ("x_exp_date", "12/35"),
        ("x_invoice_num", "INV-1003"),
        ("x_test_request", "TRUE"),
        ("x_delim_data", "TRUE"),
        ("x_delim_char", "|"),
        ("x_relay_response", "FALSE"),
    ])
    .unwrap();
    let (_, bytes) = app
        .call(
            "POST",
            "/gateway/transact.dll",
            "application/x-www-form-urlencoded",
            body.into_bytes(),
        )
        .await;
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "1|1|1|(TESTMODE) This transaction has been approved.|000000|P|0|INV-1003||10.00|CC|auth_only||||||||||||||||||||||||||C7B1A5FA9A9AF730ADA6C41319ED97FF|||||||||||||XXXX1111|Visa||||||||||||||||"
    );
}

#[tokio::test]
async fn echeck_rules() {
    let app = App::new();
    let check = |amount: &'static str, aba: &'static str, acct: &'static str, inv: &'static str| {
        vec![
            ("x_method", "ECHECK"),
            ("x_amount", amount),
            ("x_bank_aba_code", aba),
            ("x_bank_acct_num", acct),
            ("x_bank_acct_type", "CHECKING"),
            ("x_bank_name", "Wells Fargo"),
            ("x_bank_acct_name", "Ann Lee"),
            ("x_echeck_type", "WEB"),
            ("x_invoice_num", inv),
        ]
    };
    let r = app
        .aim(&check("50.00", "121042882", "123456789", "E1"))
        .await;
    assert_eq!(reason(&r), (1, 1));
    assert_eq!(r.method, "ECHECK");
    assert_eq!(r.card_type, "Bank Account");
    assert_eq!(r.account_number, "XXXX6789");
    assert_eq!(r.avs_result, Some(AvsResult::NotApplicable));
    assert_eq!(
        reason(
            &app.aim(&check("150.00", "121042882", "123456789", "E2"))
                .await
        ),
        (2, 2)
    );
    assert_eq!(
        reason(
            &app.aim(&check("5.00", "121042883", "123456789", "E3"))
                .await
        ),
        (3, 9)
    );
    assert_eq!(
        reason(&app.aim(&check("5.00", "121042882", "12a", "E4")).await),
        (3, 10)
    );
    let mut f = check("5.00", "121042882", "123456789", "E5");
    f.extend([("x_type", "CAPTURE_ONLY"), ("x_auth_code", "ABC123")]);
    assert_eq!(reason(&app.aim(&f).await), (3, 53));
    app.settle().await;
    let r = app
        .aim(&[
            ("x_type", "CREDIT"),
            ("x_method", "ECHECK"),
            ("x_trans_id", &r.trans_id),
            ("x_amount", "10.00"),
            ("x_bank_acct_num", "6789"),
        ])
        .await;
    assert_eq!(reason(&r), (1, 1));
}
