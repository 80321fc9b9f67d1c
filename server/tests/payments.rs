//! Pay flows against the real sandbox, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};

async fn new_card_is_approved_and_the_merchant_sees_it(f: Flavor) {
    let h = Harness::new(f).await;
    let (id, token) = h
        .create_session(
            json!({"amount": "19.99", "invoice_number": "INV-1001", "description": "Mugs"}),
        )
        .await;
    let (s, v, _) = h
        .call(Method::GET, "/widget/v1/session", Some(&token), None, &[])
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["amount"], "19.99");
    assert_eq!(v["require_avs"], true);

    let (s, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "approved", "{v}");
    assert_eq!(v["status"], "approved");
    assert_eq!(v["last4"], "1111");
    assert_eq!(v["brand"], "visa");
    let txn = v["transaction_id"].as_str().unwrap().to_owned();

    let m = h.session(&id).await;
    assert_eq!(m["status"], "approved");
    assert_eq!(m["transaction_id"], txn.as_str());
    assert_eq!(m["amount_captured"], "19.99");
    assert_eq!(m["card_code_result"], "M");
    assert_eq!(m["avs_result"], "Y");
    assert_eq!(h.charges_for("INV-1001").len(), 1);

    // Paying again answers with the recorded outcome, never a second charge.
    let (s, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["result"], "approved");
    assert_eq!(v["transaction_id"], txn.as_str());
    assert_eq!(h.charges_for("INV-1001").len(), 1);
}

async fn general_decline_lets_the_shopper_retry(f: Flavor) {
    let h = Harness::new(f).await;
    let (id, token) = h.create_session(order("10.00")).await;
    let (s, v) = h.pay(&token, new_card(VISA, "900", "46282")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "declined", "{v}");
    assert_eq!(v["can_retry"], true);
    assert_eq!(v["status"], "open");
    assert!(
        !v["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("reason")
    );
    let m = h.session(&id).await;
    assert_eq!(m["status"], "open");
    assert!(m["last_error"].is_string());

    // A second card goes through on the same session.
    let (_, v) = h.pay(&token, new_card(MASTERCARD, "900", "98004")).await;
    assert_eq!(v["result"], "approved", "{v}");
    assert_eq!(h.session(&id).await["status"], "approved");
}

async fn avs_decline_blames_the_zip(f: Flavor) {
    let h = Harness::new(f).await;
    let (_, token) = h.create_session(order("11.00")).await;
    // ZIP 46201 → AVS "A" (street matches, ZIP does not), filtered → reason 27.
    let (s, v) = h.pay(&token, new_card(VISA, "900", "46201")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "declined", "{v}");
    assert_eq!(v["message_code"], "declined.zip");
    assert_eq!(v["fields"][0]["field"], "billing.zip");
}

async fn card_code_mismatch_blames_the_card_code(f: Flavor) {
    let h = Harness::new(f).await;
    let (_, token) = h.create_session(order("12.00")).await;
    let (s, v) = h.pay(&token, new_card(VISA, "901", "98004")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "declined", "{v}");
    assert_eq!(v["message_code"], "declined.card_code");
    assert_eq!(v["fields"][0]["field"], "card_code");
    // Correcting only the card code (which the gateway's duplicate check
    // ignores) is a new transaction, not a duplicate of the decline.
    let (s, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "approved", "{v}");
}

async fn auth_only_then_partial_capture(f: Flavor) {
    let h = Harness::new(f).await;
    let (id, token) = h
        .create_session(json!({"amount": "50.00", "mode": "auth_only"}))
        .await;
    let (_, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(v["result"], "approved", "{v}");
    assert_eq!(v["status"], "authorized");
    assert_eq!(h.session(&id).await["amount_captured"], "0.00");

    // More than authorised: refused by the relay, nothing sent.
    let (s, v) = h
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{id}/capture"),
            Some(json!({"amount": "60.00"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["fields"][0]["field"], "amount");

    let (s, v) = h
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{id}/capture"),
            Some(json!({"amount": "30.00"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["amount"], "30.00");
    assert_eq!(v["session"]["status"], "captured");
    assert_eq!(v["session"]["amount_captured"], "30.00");

    let (s, v) = h
        .merchant(Method::POST, &format!("/v1/sessions/{id}/capture"), None)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"]["code"], "already_captured");
}

async fn void_before_settlement(f: Flavor) {
    let h = Harness::new(f).await;
    let (id, token) = h.create_session(order("20.00")).await;
    let (_, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(v["result"], "approved", "{v}");
    // A void takes no amount: refused by name, nothing sent.
    let (s, v) = h
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{id}/void"),
            Some(json!({"amount": "1.00"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["fields"][0]["field"], "amount");
    let (s, v) = h
        .merchant(Method::POST, &format!("/v1/sessions/{id}/void"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["session"]["status"], "voided");
    let (s, v) = h
        .merchant(Method::POST, &format!("/v1/sessions/{id}/void"), None)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    // A voided payment cannot be refunded.
    let (s, _) = h
        .merchant(Method::POST, &format!("/v1/sessions/{id}/refunds"), None)
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

async fn partial_refunds_after_settlement(f: Flavor) {
    let h = Harness::new(f).await;
    let (id, token) = h.create_session(order("40.00")).await;
    let (_, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(v["result"], "approved", "{v}");

    // Before settlement the gateway refuses credits: reported clearly.
    let (s, v) = h
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{id}/refunds"),
            Some(json!({"amount": "10.00"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"]["code"], "not_settled");
    assert_eq!(h.session(&id).await["status"], "approved");

    h.sandbox().settle_now();
    for _ in 0..2 {
        let (s, v) = h
            .merchant(
                Method::POST,
                &format!("/v1/sessions/{id}/refunds"),
                Some(json!({"amount": "10.00"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["amount"], "10.00");
    }
    let m = h.session(&id).await;
    assert_eq!(m["amount_refunded"], "20.00");
    assert_eq!(m["status"], "approved");

    // More than what is left: refused before the gateway.
    let (s, v) = h
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{id}/refunds"),
            Some(json!({"amount": "20.01"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // The rest.
    let (s, v) = h
        .merchant(Method::POST, &format!("/v1/sessions/{id}/refunds"), None)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["amount"], "20.00");
    assert_eq!(v["session"]["status"], "refunded");
    assert_eq!(v["session"]["amount_refunded"], "40.00");
    let credits: Value = serde_json::to_value(h.ledger()).unwrap();
    let n = credits
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "credit")
        .count();
    assert_eq!(n, 3);
}

fn saving_session(reference: &str, amount: &str) -> Value {
    json!({"amount": amount, "shopper_reference": reference, "shopper_email": "alice@example.com", "offer_save": true})
}

async fn save_card_then_returning_shopper_pays_with_saved_card_once(f: Flavor) {
    let h = Harness::new(f).await;
    let (_, token) = h.create_session(saving_session("alice", "15.00")).await;
    let mut body = new_card(VISA, "900", "98004");
    body["save"] = json!(true);
    body["shipping"] = json!({"type": "new", "address": {
        "first_name": "Ann", "last_name": "Lee", "address": "9 Dock Rd",
        "city": "Portland", "state": "OR", "zip": "97209", "country": "US"}});
    let (_, v) = h.pay(&token, body).await;
    assert_eq!(v["result"], "approved", "{v}");

    let (s, cards) = h
        .merchant(Method::GET, "/v1/shoppers/alice/payment-methods", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(cards.as_array().unwrap().len(), 1, "{cards}");
    assert_eq!(cards[0]["last4"], "1111");
    assert_eq!(cards[0]["expiry"], "12/2030");
    assert_eq!(cards[0]["expired"], false);
    let (_, addrs) = h
        .merchant(Method::GET, "/v1/shoppers/alice/addresses", None)
        .await;
    assert_eq!(addrs.as_array().unwrap().len(), 1, "{addrs}");

    // The returning shopper sees the card and pays with it (CIM).
    let (id2, token2) = h.create_session(saving_session("alice", "16.00")).await;
    let (_, w, _) = h
        .call(Method::GET, "/widget/v1/session", Some(&token2), None, &[])
        .await;
    assert_eq!(w["shopper_known"], true);
    assert_eq!(w["saved_cards"][0]["last4"], "1111");
    let pm = w["saved_cards"][0]["id"].as_str().unwrap().to_owned();
    let addr = w["saved_addresses"][0]["id"].as_str().unwrap().to_owned();

    // The card code is required by the session: asked again.
    let (s, v) = h
        .pay(
            &token2,
            json!({"payment": {"type": "saved_card", "payment_method_id": pm}}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["fields"][0]["field"], "card_code");

    let (s, v) = h
        .pay(
            &token2,
            json!({"payment": {"type": "saved_card", "payment_method_id": pm, "card_code": "900"},
                   "shipping": {"type": "saved", "address_id": addr}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "approved", "{v}");
    let m = h.session(&id2).await;
    assert_eq!(m["status"], "approved");
    let inv = m["invoice_number"].as_str().unwrap();
    let charges = h.charges_for(inv);
    assert_eq!(charges.len(), 1);
    let as_json = serde_json::to_value(&charges[0]).unwrap();
    assert!(
        as_json.to_string().contains("customer_profile_id"),
        "{as_json}"
    );

    // Saving the same card again reuses the payment profile.
    let (_, token3) = h.create_session(saving_session("alice", "17.00")).await;
    let mut body = new_card(VISA, "900", "98004");
    body["save"] = json!(true);
    let (_, v) = h.pay(&token3, body).await;
    assert_eq!(v["result"], "approved", "{v}");
    let (_, cards) = h
        .merchant(Method::GET, "/v1/shoppers/alice/payment-methods", None)
        .await;
    assert_eq!(cards.as_array().unwrap().len(), 1, "{cards}");

    // Deleting it deletes the CIM payment profile too: paying with it is gone.
    let (s, _) = h
        .merchant(
            Method::DELETE,
            &format!("/v1/shoppers/alice/payment-methods/{pm}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = h
        .merchant(
            Method::DELETE,
            &format!("/v1/shoppers/alice/payment-methods/{pm}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = h
        .merchant(
            Method::DELETE,
            &format!("/v1/shoppers/alice/addresses/{addr}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, w, _) = h
        .call(Method::GET, "/widget/v1/session", Some(&token3), None, &[])
        .await;
    assert_eq!(w["saved_cards"].as_array().unwrap().len(), 0);
}

async fn existing_cim_profile_is_adopted(f: Flavor) {
    use authnet_proto::api::*;
    let h = Harness::new(f).await;
    // Another relay (or an older database) already made bob's profile.
    let req = ApiRequest::CreateCustomerProfile(CreateCustomerProfileRequest {
        merchant_authentication: h.state.gateway.merchant_authentication(),
        profile: CustomerProfile {
            merchant_customer_id: Some("bob".into()),
            email: Some("alice@example.com".into()),
            ..CustomerProfile::default()
        },
        ..CreateCustomerProfileRequest::default()
    });
    let existing = match h.state.gateway.api(&req).await.unwrap() {
        ApiResponse::CreateCustomerProfile(r) => r.customer_profile_id.unwrap().as_str().to_owned(),
        other => panic!("{other:?}"),
    };
    let (_, token) = h.create_session(saving_session("bob", "9.00")).await;
    let mut body = new_card(MASTERCARD, "900", "98004");
    body["save"] = json!(true);
    let (_, v) = h.pay(&token, body).await;
    assert_eq!(v["result"], "approved", "{v}");
    let shopper = h.state.db.get_shopper("bob").await.unwrap().unwrap();
    assert_eq!(shopper.customer_profile_id, existing);
    let (_, cards) = h
        .merchant(Method::GET, "/v1/shoppers/bob/payment-methods", None)
        .await;
    assert_eq!(cards.as_array().unwrap().len(), 1, "{cards}");
}

async fn concurrent_double_pay_charges_once(f: Flavor) {
    let h = Harness::new(f).await;
    let (id, token) = h
        .create_session(json!({"amount": "33.00", "invoice_number": "DBL-1"}))
        .await;
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let app = h.app.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            pay_through(app, &token, &new_card(VISA, "900", "98004")).await
        }));
    }
    let mut txns = std::collections::BTreeSet::new();
    for t in tasks {
        let (s, v) = t.await.unwrap();
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["result"], "approved", "{v}");
        txns.insert(v["transaction_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(txns.len(), 1, "{txns:?}");
    assert_eq!(h.charges_for("DBL-1").len(), 1);
    assert_eq!(h.session(&id).await["status"], "approved");
}

/// Many checkouts paid at the same moment: every write waits its turn (one
/// SQLite writer), none fails as "database is locked", each is charged once.
async fn many_sessions_paid_at_once_each_charge_once(f: Flavor) {
    // All from one test client address: lift the per-address limit.
    let h = Harness::with(f, |c| c.limits.ip_per_minute = 1000).await;
    let mut sessions = Vec::new();
    for i in 0..24 {
        let (id, token) = h
            .create_session(json!({"amount": "5.00", "invoice_number": format!("MANY-{i}")}))
            .await;
        sessions.push((i, id, token));
    }
    let mut tasks = Vec::new();
    for (i, id, token) in sessions {
        let app = h.app.clone();
        tasks.push(tokio::spawn(async move {
            let (status, v) = pay_through(app, &token, &new_card(VISA, "900", "98004")).await;
            (i, id, status, v)
        }));
    }
    for t in tasks {
        let (i, id, s, v) = t.await.unwrap();
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["result"], "approved", "{v}");
        assert_eq!(h.charges_for(&format!("MANY-{i}")).len(), 1);
        let m = h.session(&id).await;
        assert_eq!(m["status"], "approved");
        assert_eq!(m["transaction_id"], v["transaction_id"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_commit_durability_is_configurable() {
    use checkout_relay::storage::SqliteSynchronous;
    let full = Harness::new(Flavor::Sqlite).await;
    assert_eq!(full.state.db.sqlite_synchronous().await.unwrap(), Some(2));
    let normal = Harness::with(Flavor::Sqlite, |c| {
        c.sqlite_synchronous = SqliteSynchronous::Normal;
    })
    .await;
    assert_eq!(normal.state.db.sqlite_synchronous().await.unwrap(), Some(1));
    let (id, token) = normal.create_session(order("7.00")).await;
    let (s, v) = normal.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "approved", "{v}");
    assert_eq!(normal.session(&id).await["status"], "approved");
}

/// A pay that waited for another one reports the outcome of the last
/// *finished* attempt, even when a newer pay has just claimed the session and
/// written its `pending` ledger row.
async fn waiting_pay_reports_the_last_finished_attempt(f: Flavor) {
    use checkout_relay::payments::answer_from_session;
    use checkout_relay::storage::{AttemptRow, new_id, now};
    let h = Harness::new(f).await;
    let (id, token) = h.create_session(order("11.00")).await;
    let (_, v) = h.pay(&token, new_card(VISA, "900", "46201")).await;
    assert_eq!(v["message_code"], "declined.zip", "{v}");
    // What a waiter read: the session open again after that decline.
    let seen = h.state.db.get_session(&id).await.unwrap().unwrap();
    assert_eq!(seen.status, "open");
    // Meanwhile a new pay claims it and writes its pending row.
    let claimed = h
        .state
        .db
        .claim_and_record_attempt(&id, 5, now(), |_| AttemptRow {
            id: new_id("pa_"),
            session_id: id.clone(),
            kind: "auth_capture".into(),
            channel: "aim".into(),
            state: "pending".into(),
            amount: "11.00".into(),
            created_at: now(),
            ..AttemptRow::default()
        })
        .await
        .unwrap();
    assert!(claimed.is_some());
    let answer = answer_from_session(&h.state, &seen).await.unwrap();
    assert_eq!(answer.message_code, "declined.zip");
    assert_eq!(answer.fields[0].field, "billing.zip");
    assert_eq!(answer.last4.as_deref(), Some("1111"));
}

async fn timeout_after_charge_resolves_to_one_charge(f: Flavor) {
    let h = Harness::new(f).await;
    let (id, token) = h
        .create_session(json!({"amount": "44.00", "invoice_number": "TMO-1"}))
        .await;
    h.sandbox()
        .set_fault(authnet_sandbox::Fault {
            endpoint: authnet_sandbox::FaultTarget::Aim,
            kind: authnet_sandbox::FaultKind::CloseAfterCommit,
            delay_ms: 0,
            count: Some(1),
        })
        .unwrap();
    let (s, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "approved", "{v}");
    let charges = h.charges_for("TMO-1");
    assert_eq!(charges.len(), 1, "{charges:?}");
    assert_eq!(v["transaction_id"], charges[0].id.to_string().as_str());
    assert_eq!(h.session(&id).await["status"], "approved");
    let attempts = h.state.db.attempts_for_session(&id).await.unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].state, "approved");
    assert_eq!(attempts[0].resends, 1);
}

async fn saved_card_timeout_after_charge_resolves_to_one_charge(f: Flavor) {
    let h = Harness::new(f).await;
    let (_, token) = h.create_session(saving_session("carol", "5.00")).await;
    let mut body = new_card(VISA, "900", "98004");
    body["save"] = json!(true);
    let (_, v) = h.pay(&token, body).await;
    assert_eq!(v["result"], "approved", "{v}");
    let pm = h.state.db.list_cards("carol").await.unwrap()[0].id.clone();

    let (id, token) = h.create_session(saving_session("carol", "6.00")).await;
    h.sandbox()
        .set_fault(authnet_sandbox::Fault {
            endpoint: authnet_sandbox::FaultTarget::Xml,
            kind: authnet_sandbox::FaultKind::CloseAfterCommit,
            delay_ms: 0,
            count: Some(1),
        })
        .unwrap();
    let (_, v) = h
        .pay(
            &token,
            json!({"payment": {"type": "saved_card", "payment_method_id": pm, "card_code": "900"}}),
        )
        .await;
    assert_eq!(v["result"], "approved", "{v}");
    let inv = h.session(&id).await["invoice_number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(h.charges_for(&inv).len(), 1);
}

async fn restart_resolves_uncertain_operations(f: Flavor) {
    use authnet_proto::aim::AimRequest;
    use checkout_relay::storage::{AttemptRow, new_id, now};
    let h = Harness::new(f).await;
    let (id, token) = h
        .create_session(json!({"amount": "25.00", "mode": "auth_only"}))
        .await;
    let (_, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(v["status"], "authorized", "{v}");
    let txn = v["transaction_id"].as_str().unwrap().to_owned();

    // The relay wrote its ledger row, sent the capture, the gateway captured,
    // and the relay died before recording the answer.
    let row = AttemptRow {
        id: new_id("pa_"),
        session_id: id.clone(),
        kind: "prior_auth_capture".into(),
        channel: "aim".into(),
        state: "pending".into(),
        amount: "25.00".into(),
        invoice_number: Some(
            h.session(&id).await["invoice_number"]
                .as_str()
                .unwrap()
                .to_owned(),
        ),
        ref_transaction_id: Some(txn.clone()),
        created_at: now(),
        ..AttemptRow::default()
    };
    h.state.db.insert_attempt(&row).await.unwrap();
    assert!(
        h.state
            .db
            .transition_session(&id, "authorized", "processing")
            .await
            .unwrap()
    );
    let req = AimRequest::prior_auth_capture(h.state.gateway.credentials(), txn.clone(), None)
        .with_duplicate_window(600);
    let first = h.state.gateway.aim(&req).await.unwrap();
    assert_eq!(first.reason_code, 1);

    let h2 = h.restart().await;
    let m = h2.session(&id).await;
    assert_eq!(m["status"], "captured", "{m}");
    assert_eq!(m["amount_captured"], "25.00");
    let attempts = h2.state.db.attempts_for_session(&id).await.unwrap();
    assert!(
        attempts
            .iter()
            .all(|a| a.state != "pending" && a.state != "uncertain")
    );
    let captured = h2
        .ledger()
        .into_iter()
        .find(|e| e.id.to_string() == txn)
        .unwrap();
    assert_eq!(
        captured.captured_amount.map(|d| d.to_string()),
        Some("25.00".into())
    );
}

async fn restart_resolves_a_charge_the_gateway_never_saw_and_the_shopper_can_pay(f: Flavor) {
    use checkout_relay::storage::{AttemptRow, new_id, now};
    let h = Harness::new(f).await;
    let (id, token) = h.create_session(order("8.00")).await;
    // A relay died during a new-card charge (the card number died with it),
    // an hour ago, before the request reached the gateway.
    let claimed = h
        .state
        .db
        .claim_and_record_attempt(&id, 5, now(), |_| AttemptRow {
            id: new_id("pa_"),
            session_id: id.clone(),
            kind: "auth_capture".into(),
            channel: "aim".into(),
            state: "pending".into(),
            amount: "8.00".into(),
            created_at: now() - 3600,
            ..AttemptRow::default()
        })
        .await
        .unwrap();
    assert!(claimed.is_some());

    // At start-up the relay looks the invoice up in the gateway's unsettled
    // transaction list: not there, long past any timeout → not charged.
    let h2 = h.restart().await;
    let attempts = h2.state.db.attempts_for_session(&id).await.unwrap();
    assert!(
        !matches!(
            attempts[0].state.as_str(),
            "pending" | "uncertain" | "unresolved"
        ),
        "left undecided: {:?}",
        attempts[0].state
    );
    let m = h2.session(&id).await;
    assert_eq!(m["status"], "open", "{m}");
    assert!(h2.ledger().is_empty(), "the gateway never saw it");
    // The shopper pays again: exactly one charge.
    let (s, v) = h2.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "approved", "{v}");
    assert_eq!(h2.ledger().len(), 1);
}

async fn two_relays_on_one_database_charge_once(f: Flavor) {
    let a = Harness::new(f).await;
    let b = a.restart().await;
    let (id, token) = a
        .create_session(json!({"amount": "18.00", "invoice_number": "TWO-1"}))
        .await;
    let mut tasks = Vec::new();
    for i in 0..6 {
        let app = if i % 2 == 0 {
            a.app.clone()
        } else {
            b.app.clone()
        };
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let req = axum::http::Request::builder()
                .method(Method::POST)
                .uri("/widget/v1/session/pay")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    new_card(VISA, "900", "98004").to_string(),
                ))
                .unwrap();
            let resp = app.oneshot(req).await.unwrap();
            let b = resp.into_body().collect().await.unwrap().to_bytes();
            serde_json::from_slice::<Value>(&b).unwrap()
        }));
    }
    for t in tasks {
        let v = t.await.unwrap();
        assert_eq!(v["result"], "approved", "{v}");
    }
    assert_eq!(a.charges_for("TWO-1").len(), 1);
    assert_eq!(b.session(&id).await["status"], "approved");
}

async fn unanswered_charge_is_reported_uncertain_then_resolved_in_background(f: Flavor) {
    let h = Harness::new(f).await;
    let (id, token) = h
        .create_session(json!({"amount": "14.00", "invoice_number": "UNK-1"}))
        .await;
    // The gateway drops every request before processing it, for a while.
    h.sandbox()
        .set_fault(authnet_sandbox::Fault {
            endpoint: authnet_sandbox::FaultTarget::Aim,
            kind: authnet_sandbox::FaultKind::CloseBeforeCommit,
            delay_ms: 0,
            count: None,
        })
        .unwrap();
    let (s, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "error", "{v}");
    assert_eq!(v["message_code"], "error.uncertain");
    assert_eq!(v["can_retry"], false);
    assert_eq!(h.session(&id).await["status"], "processing");
    // A retry by the shopper does not start a second charge.
    let (s, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"]["code"], "payment_in_progress");
    assert!(h.charges_for("UNK-1").is_empty());
    // The gateway recovers; the relay's background resend settles it.
    h.sandbox().clear_faults();
    let mut status = Value::Null;
    for _ in 0..300 {
        status = h.session(&id).await["status"].clone();
        if status != "processing" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "approved");
    assert_eq!(h.charges_for("UNK-1").len(), 1);
}

async fn card_limit_is_reported_and_the_charge_stands(f: Flavor) {
    let h = Harness::new(f).await;
    let cards = [
        ("4111111111111111", "900"),
        ("4007000000027", "900"),
        ("4012888818888", "900"),
        ("5424000000000015", "900"),
        ("2223000010309703", "900"),
        ("2223000010309711", "900"),
        ("370000000000002", "9000"),
        ("6011000000000012", "900"),
        ("3088000000000017", "900"),
        ("38000000000006", "900"),
        ("4222222222222", "900"),
    ];
    let mut last = (String::new(), Value::Null);
    for (number, code) in cards {
        let (id, token) = h.create_session(saving_session("dora", "3.00")).await;
        let mut body = new_card(number, code, "98004");
        body["save"] = json!(true);
        let (_, v) = h.pay(&token, body).await;
        assert_eq!(v["result"], "approved", "{number}: {v}");
        last = (id, v);
    }
    let (_, saved) = h
        .merchant(Method::GET, "/v1/shoppers/dora/payment-methods", None)
        .await;
    assert_eq!(saved.as_array().unwrap().len(), 10, "{saved}");
    let m = h.session(&last.0).await;
    assert_eq!(m["status"], "approved");
    assert!(
        m["save_outcome"]
            .as_str()
            .unwrap()
            .starts_with("card_limit"),
        "{m}"
    );
}

async fn saved_card_authorization_is_captured_and_refunded(f: Flavor) {
    let h = Harness::new(f).await;
    let (_, token) = h.create_session(saving_session("erin", "4.00")).await;
    let mut body = new_card(MASTERCARD, "900", "98004");
    body["save"] = json!(true);
    let (_, v) = h.pay(&token, body).await;
    assert_eq!(v["result"], "approved", "{v}");
    let pm = h.state.db.list_cards("erin").await.unwrap()[0].id.clone();
    let (id, token) = h
        .create_session(
            json!({"amount": "60.00", "mode": "auth_only", "shopper_reference": "erin",
                               "require_card_code": false}),
        )
        .await;
    let (_, v) = h
        .pay(
            &token,
            json!({"payment": {"type": "saved_card", "payment_method_id": pm}}),
        )
        .await;
    assert_eq!(v["result"], "approved", "{v}");
    assert_eq!(v["status"], "authorized");
    let (s, v) = h
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{id}/capture"),
            Some(json!({"amount": "45.00"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    h.sandbox().settle_now();
    let (s, v) = h
        .merchant(
            Method::POST,
            &format!("/v1/sessions/{id}/refunds"),
            Some(json!({"amount": "45.00"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["session"]["status"], "refunded");
}

db_tests!(
    new_card_is_approved_and_the_merchant_sees_it,
    general_decline_lets_the_shopper_retry,
    avs_decline_blames_the_zip,
    card_code_mismatch_blames_the_card_code,
    auth_only_then_partial_capture,
    void_before_settlement,
    partial_refunds_after_settlement,
    save_card_then_returning_shopper_pays_with_saved_card_once,
    existing_cim_profile_is_adopted,
    concurrent_double_pay_charges_once,
    many_sessions_paid_at_once_each_charge_once,
    waiting_pay_reports_the_last_finished_attempt,
    timeout_after_charge_resolves_to_one_charge,
    saved_card_timeout_after_charge_resolves_to_one_charge,
    restart_resolves_uncertain_operations,
    restart_resolves_a_charge_the_gateway_never_saw_and_the_shopper_can_pay,
    two_relays_on_one_database_charge_once,
    unanswered_charge_is_reported_uncertain_then_resolved_in_background,
    card_limit_is_reported_and_the_charge_stands,
    saved_card_authorization_is_captured_and_refunded,
);
