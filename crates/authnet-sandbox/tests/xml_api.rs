//! The XML API through the HTTP interface (in-process, `tower::oneshot`):
//! envelope, errors, and the CIM rules of the fact sheet §5.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use authnet_proto::aim::{AimResponse, ResponseCode};
use authnet_proto::api::*;
use authnet_sandbox::{DEFAULT_LOGIN, DEFAULT_TRANSACTION_KEY, Sandbox, SandboxConfig, router};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use checkout_domain::Secret;
use http_body_util::BodyExt;
use rust_decimal_macros::dec;
use tower::ServiceExt;

struct App {
    sandbox: Sandbox,
}

impl App {
    fn new() -> App {
        App {
            sandbox: Sandbox::new(SandboxConfig::for_tests()),
        }
    }

    async fn raw(
        &self,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> (StatusCode, String, Vec<u8>) {
        let mut req = Request::builder().method("POST").uri("/xml/v1/request.api");
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let res = router(self.sandbox.clone())
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let ct = res
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, ct, bytes)
    }

    /// Sends a typed request in `format`, decodes the typed answer.
    async fn send(&self, request: ApiRequest, format: Format) -> ApiResponse {
        let function = request.function();
        let ct = match format {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json => "application/json",
        };
        let (status, _, body) = self.raw(Some(ct), encode_request(&request, format)).await;
        assert_eq!(status, StatusCode::OK);
        decode_response(&body, format, function).unwrap()
    }

    async fn xml(&self, request: impl Into<ApiRequest>) -> ApiResponse {
        self.send(request.into(), Format::Xml).await
    }
}

fn auth() -> MerchantAuthentication {
    MerchantAuthentication {
        name: Some(DEFAULT_LOGIN.to_owned()),
        transaction_key: Some(Secret::new(DEFAULT_TRANSACTION_KEY.to_owned())),
    }
}

fn code(r: &ApiResponse) -> (&ResultCode, &str, &str) {
    let m = r.messages();
    (
        &m.result_code,
        m.message[0].code.as_str(),
        m.message[0].text.as_str(),
    )
}

fn card(number: &str) -> Payment {
    Payment {
        credit_card: Some(CreditCard {
            card_number: SecretText::new(number),
            expiration_date: "2035-12".into(),
            card_code: None,
        }),
        bank_account: None,
    }
}

fn bill_to(last: &str, zip: &str) -> CustomerAddress {
    CustomerAddress {
        first_name: Some("Ann".into()),
        last_name: Some(last.into()),
        address: Some("1 Main St".into()),
        zip: Some(zip.into()),
        ..Default::default()
    }
}

fn payment_profile(number: &str, last: &str) -> PaymentProfile {
    PaymentProfile {
        bill_to: Some(bill_to(last, "98004")),
        payment: Some(card(number)),
        ..Default::default()
    }
}

fn new_profile(mcid: &str, payments: Vec<PaymentProfile>) -> CreateCustomerProfileRequest {
    CreateCustomerProfileRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: Some("r-1".into()),
        profile: CustomerProfile {
            merchant_customer_id: Some(mcid.into()),
            description: Some("d".into()),
            email: Some(format!("{mcid}@example.com")),
            payment_profiles: payments,
            ship_to_list: vec![bill_to("Lee", "98005")],
        },
        validation_mode: None,
    }
}

async fn create(
    app: &App,
    mcid: &str,
    payments: Vec<PaymentProfile>,
) -> CreateCustomerProfileResponse {
    match app.xml(new_profile(mcid, payments)).await {
        ApiResponse::CreateCustomerProfile(r) => r,
        other => panic!("unexpected {other:?}"),
    }
}

async fn get_profile(app: &App, id: &NumericString) -> ApiResponse {
    app.xml(GetCustomerProfileRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: None,
        customer_profile_id: Some(id.clone()),
        merchant_customer_id: None,
        email: None,
        unmask_expiration_date: None,
        include_issuer_info: None,
    })
    .await
}

fn add_payment(
    profile: &NumericString,
    pp: PaymentProfile,
    mode: Option<ValidationMode>,
) -> CreateCustomerPaymentProfileRequest {
    CreateCustomerPaymentProfileRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: None,
        customer_profile_id: profile.clone(),
        payment_profile: pp,
        validation_mode: mode,
    }
}

fn auth_capture(
    profile: &NumericString,
    pp: &NumericString,
    amount: rust_decimal::Decimal,
) -> CreateCustomerProfileTransactionRequest {
    CreateCustomerProfileTransactionRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: None,
        transaction: ProfileTransaction::AuthCapture(ProfileTransOrder {
            amount,
            customer_profile_id: profile.clone(),
            customer_payment_profile_id: pp.clone(),
            ..Default::default()
        }),
        extra_options: Some("x_duplicate_window=0".into()),
    }
}

#[tokio::test]
async fn xml_answers_carry_a_bom_and_the_xml_content_type() {
    let app = App::new();
    let req = GetCustomerProfileIdsRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: None,
    };
    let (status, ct, body) = app
        .raw(Some("text/xml"), encode_request(&req.into(), Format::Xml))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct, "application/xml; charset=utf-8");
    assert!(body.starts_with(b"\xEF\xBB\xBF<?xml"));
}

#[tokio::test]
async fn json_requests_get_json_answers_with_bom_and_arrays() {
    let app = App::new();
    let created = app
        .send(
            new_profile("json-1", vec![payment_profile("4111111111111111", "Lee")]).into(),
            Format::Json,
        )
        .await;
    assert_eq!(code(&created).1, "I00001");
    let req = GetCustomerProfileIdsRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: None,
    };
    let (status, ct, body) = app
        .raw(
            Some("application/json"),
            encode_request(&req.into(), Format::Json),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("application/json"));
    assert!(body.starts_with(b"\xEF\xBB\xBF{"));
    let v: serde_json::Value = serde_json::from_slice(&body[3..]).unwrap();
    assert!(v["messages"]["message"].is_array());
    assert_eq!(v["ids"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn malformed_hostile_and_unknown_requests_get_api_errors_never_5xx() {
    let app = App::new();
    let cases: Vec<(Option<&str>, Vec<u8>, &str)> = vec![
        (Some("text/xml"), b"<not xml".to_vec(), "E00003"),
        (Some("application/json"), b"{\"createCustomerProfileRequest\": [".to_vec(), "E00003"),
        (Some("text/xml"), format!(r#"<chargeRequest xmlns="{NAMESPACE}"/>"#).into_bytes(), "E00004"),
        (Some("text/xml"), b"<getCustomerProfileIdsRequest/>".to_vec(), "E00045"),
        (Some("text/plain"), b"hello".to_vec(), "E00002"),
        (
            Some("text/xml"),
            format!(r#"<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><getCustomerProfileIdsRequest xmlns="{NAMESPACE}"><merchantAuthentication><name>&b;</name></merchantAuthentication></getCustomerProfileIdsRequest>"#).into_bytes(),
            "E00003",
        ),
        (Some("text/xml"), vec![b' '; MAX_BODY_BYTES + 10], "E00003"),
    ];
    for (ct, body, expected) in cases {
        let (status, _, bytes) = app.raw(ct, body).await;
        assert_eq!(status, StatusCode::OK, "{expected}");
        let text = String::from_utf8_lossy(&bytes);
        if ct == Some("application/json") {
            assert!(
                text.contains(&format!("\"code\":\"{expected}\"")),
                "{expected}: {text}"
            );
        } else {
            assert!(text.contains("<ErrorResponse"), "{expected}: {text}");
            assert!(
                text.contains(&format!("<code>{expected}</code>")),
                "{expected}: {text}"
            );
        }
    }
    // Far over the limit: refused by the HTTP layer.
    let (status, _, _) = app
        .raw(Some("text/xml"), vec![b' '; 3 * MAX_BODY_BYTES])
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn credentials_are_checked_with_the_documented_codes() {
    let app = App::new();
    let with = |name: Option<&str>, key: Option<&str>| GetCustomerProfileIdsRequest {
        merchant_authentication: MerchantAuthentication {
            name: name.map(str::to_owned),
            transaction_key: key.map(|k| Secret::new(k.to_owned())),
        },
        client_id: None,
        ref_id: Some("r-9".into()),
    };
    for (name, key, expected) in [
        (Some(DEFAULT_LOGIN), Some("WrongKey00000000"), "E00007"),
        (Some("nobody"), Some(DEFAULT_TRANSACTION_KEY), "E00007"),
        (None, Some(DEFAULT_TRANSACTION_KEY), "E00006"),
        (Some(DEFAULT_LOGIN), None, "E00005"),
    ] {
        let r = app.xml(with(name, key)).await;
        assert_eq!(code(&r).1, expected);
        assert_eq!(r.ref_id(), Some("r-9"), "refId echoed on errors");
    }
}

#[tokio::test]
async fn profiles_are_unique_and_need_an_identifier() {
    let app = App::new();
    let first = create(&app, "u-1", vec![]).await;
    let id = first.customer_profile_id.clone().unwrap();
    let dup = create(&app, "u-1", vec![]).await;
    assert_eq!(dup.messages.first_code(), Some("E00039"));
    assert_eq!(
        dup.messages.message[0].text,
        format!("A duplicate record with ID {id} already exists.")
    );
    let mut none = new_profile("x", vec![]);
    none.profile.merchant_customer_id = None;
    none.profile.description = None;
    none.profile.email = None;
    assert_eq!(code(&app.xml(none).await).1, "E00041");
}

#[tokio::test]
async fn payment_profile_and_address_limits_have_clear_errors() {
    let app = App::new();
    let profile = create(&app, "lim-1", vec![])
        .await
        .customer_profile_id
        .unwrap();
    for i in 0..MAX_PAYMENT_PROFILES {
        let r = app
            .xml(add_payment(
                &profile,
                payment_profile("4111111111111111", &format!("L{i}")),
                None,
            ))
            .await;
        assert_eq!(code(&r).1, "I00001", "payment profile {i}");
    }
    let r = app
        .xml(add_payment(
            &profile,
            payment_profile("4111111111111111", "L-11"),
            None,
        ))
        .await;
    assert_eq!(
        code(&r),
        (
            &ResultCode::Error,
            "E00042",
            "You cannot add more than 10 payment profiles."
        )
    );
    // The profile already has one address.
    for i in 1..MAX_SHIPPING_ADDRESSES {
        let r = app
            .xml(CreateCustomerShippingAddressRequest {
                merchant_authentication: auth(),
                client_id: None,
                ref_id: None,
                customer_profile_id: profile.clone(),
                address: bill_to(&format!("S{i}"), "98006"),
                default_shipping_address: None,
            })
            .await;
        assert_eq!(code(&r).1, "I00001", "address {i}");
    }
    let r = app
        .xml(CreateCustomerShippingAddressRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            customer_profile_id: profile.clone(),
            address: bill_to("S-101", "98006"),
            default_shipping_address: None,
        })
        .await;
    assert_eq!(
        code(&r),
        (
            &ResultCode::Error,
            "E00043",
            "You cannot add more than 100 shipping addresses."
        )
    );
}

use authnet_sandbox::xml_api::{MAX_PAYMENT_PROFILES, MAX_SHIPPING_ADDRESSES};

#[tokio::test]
async fn duplicate_payment_profiles_are_refused_with_the_existing_ids() {
    let app = App::new();
    let created = create(
        &app,
        "dup-pp",
        vec![payment_profile("4111111111111111", "Lee")],
    )
    .await;
    let profile = created.customer_profile_id.unwrap();
    let mut again = payment_profile("4111111111111111", "Lee");
    again
        .payment
        .as_mut()
        .unwrap()
        .credit_card
        .as_mut()
        .unwrap()
        .expiration_date = "2031-01".into();
    let ApiResponse::CreateCustomerPaymentProfile(r) =
        app.xml(add_payment(&profile, again, None)).await
    else {
        panic!()
    };
    assert_eq!(r.messages.first_code(), Some("E00039"));
    assert_eq!(
        r.customer_payment_profile_id.as_ref(),
        created.customer_payment_profile_id_list.first()
    );
}

#[tokio::test]
async fn gets_are_masked_and_masked_updates_keep_the_stored_card() {
    let app = App::new();
    let created = create(
        &app,
        "mask-1",
        vec![payment_profile("5424000000000015", "Lee")],
    )
    .await;
    let profile = created.customer_profile_id.unwrap();
    let pp = created.customer_payment_profile_id_list[0].clone();
    let ApiResponse::GetCustomerProfile(got) = get_profile(&app, &profile).await else {
        panic!()
    };
    let masked = got.profile.unwrap().payment_profiles[0]
        .payment
        .clone()
        .unwrap()
        .credit_card
        .unwrap();
    assert_eq!(
        (masked.card_number.as_str(), masked.expiration_date.as_str()),
        ("XXXX0015", "XXXX")
    );
    assert_eq!(masked.card_type.as_deref(), Some("MasterCard"));

    // Update with the masked values and a new name.
    let mut update = payment_profile("XXXX0015", "Lee-Park");
    update
        .payment
        .as_mut()
        .unwrap()
        .credit_card
        .as_mut()
        .unwrap()
        .expiration_date = "XXXX".into();
    update.customer_payment_profile_id = Some(pp.clone());
    let r = app
        .xml(UpdateCustomerPaymentProfileRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            customer_profile_id: profile.clone(),
            payment_profile: update,
            validation_mode: None,
        })
        .await;
    assert_eq!(code(&r).1, "I00001");

    // The stored card still charges: same number, same expiry.
    let ApiResponse::CreateCustomerProfileTransaction(t) =
        app.xml(auth_capture(&profile, &pp, dec!(3.10))).await
    else {
        panic!()
    };
    assert_eq!(t.messages.first_code(), Some("I00001"));
    let direct = AimResponse::parse(t.direct_response.unwrap().as_bytes(), b',', None).unwrap();
    assert_eq!(direct.response_code, ResponseCode::Approved);
    assert_eq!(direct.account_number, "XXXX0015");
    assert_eq!(direct.bill_to.last_name, "Lee-Park");
    assert_eq!(direct.cust_id, "mask-1");

    // A masked number that is not the stored card is refused.
    let mut wrong = payment_profile("XXXX9999", "Lee");
    wrong.customer_payment_profile_id = Some(pp);
    let r = app
        .xml(UpdateCustomerPaymentProfileRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            customer_profile_id: profile,
            payment_profile: wrong,
            validation_mode: None,
        })
        .await;
    assert_eq!(code(&r).1, "E00013");
}

#[tokio::test]
async fn deleting_a_profile_cascades() {
    let app = App::new();
    let created = create(
        &app,
        "del-1",
        vec![payment_profile("4111111111111111", "Lee")],
    )
    .await;
    let profile = created.customer_profile_id.unwrap();
    let pp = created.customer_payment_profile_id_list[0].clone();
    let del = || DeleteCustomerProfileRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: None,
        customer_profile_id: profile.clone(),
    };
    assert_eq!(code(&app.xml(del()).await).1, "I00001");
    assert_eq!(code(&app.xml(del()).await).1, "E00040");
    let r = app
        .xml(GetCustomerPaymentProfileRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            customer_profile_id: profile.clone(),
            customer_payment_profile_id: pp,
            unmask_expiration_date: None,
            include_issuer_info: None,
        })
        .await;
    assert_eq!(code(&r).1, "E00040");
    let r = app
        .xml(GetCustomerShippingAddressRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            customer_profile_id: profile,
            customer_address_id: created.customer_shipping_address_id_list[0].clone(),
        })
        .await;
    assert_eq!(code(&r).1, "E00040");
}

#[tokio::test]
async fn validation_modes_decline_with_e00027_and_the_direct_response() {
    let app = App::new();
    let profile = create(&app, "val-1", vec![])
        .await
        .customer_profile_id
        .unwrap();
    // Test mode: a free test transaction.
    let ApiResponse::CreateCustomerPaymentProfile(ok) = app
        .xml(add_payment(
            &profile,
            payment_profile("4111111111111111", "Lee"),
            Some(ValidationMode::TestMode),
        ))
        .await
    else {
        panic!()
    };
    assert_eq!(ok.messages.first_code(), Some("I00001"));
    let v = AimResponse::parse(
        ok.validation_direct_response.unwrap().as_bytes(),
        b',',
        None,
    )
    .unwrap();
    assert_eq!(
        v.reason_text,
        "(TESTMODE) This transaction has been approved."
    );
    assert_eq!(v.trans_id, "0");
    assert_eq!(
        v.description,
        "Test transaction for ValidateCustomerPaymentProfile."
    );
    // Live mode with the decline ZIP trigger.
    let mut declined = payment_profile("4007000000027", "Lee");
    declined.bill_to.as_mut().unwrap().zip = Some("46282".into());
    let ApiResponse::CreateCustomerPaymentProfile(r) = app
        .xml(add_payment(
            &profile,
            declined,
            Some(ValidationMode::LiveMode),
        ))
        .await
    else {
        panic!()
    };
    assert_eq!(r.messages.result_code, ResultCode::Error);
    assert_eq!(r.messages.first_code(), Some("E00027"));
    let v =
        AimResponse::parse(r.validation_direct_response.unwrap().as_bytes(), b',', None).unwrap();
    assert_eq!(v.response_code, ResponseCode::Declined);
    assert!(r.customer_payment_profile_id.is_none(), "nothing created");
    let ApiResponse::GetCustomerProfile(got) = get_profile(&app, &profile).await else {
        panic!()
    };
    assert_eq!(got.profile.unwrap().payment_profiles.len(), 1);
}

#[tokio::test]
async fn profile_transactions_share_the_aim_ledger_and_check_ids() {
    let app = App::new();
    let created = create(
        &app,
        "txn-1",
        vec![payment_profile("4111111111111111", "Lee")],
    )
    .await;
    let profile = created.customer_profile_id.unwrap();
    let pp = created.customer_payment_profile_id_list[0].clone();
    let ApiResponse::CreateCustomerProfileTransaction(t) =
        app.xml(auth_capture(&profile, &pp, dec!(25.00))).await
    else {
        panic!()
    };
    let direct = AimResponse::parse(t.direct_response.unwrap().as_bytes(), b',', None).unwrap();
    let trans_id: u64 = direct.trans_id.parse().unwrap();
    let entry = app.sandbox.lookup(trans_id).expect("in the one ledger");
    assert_eq!(entry.amount, dec!(25.00));
    assert_eq!(
        entry.profile.as_ref().unwrap().customer_profile_id,
        profile.to_string()
    );

    // A void naming another payment profile: E00051.
    let void = |pp: NumericString| CreateCustomerProfileTransactionRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: None,
        transaction: ProfileTransaction::Void(ProfileTransVoid {
            customer_profile_id: Some(profile.clone()),
            customer_payment_profile_id: Some(pp),
            customer_shipping_address_id: None,
            trans_id: NumericString::from(trans_id),
        }),
        extra_options: None,
    };
    assert_eq!(
        code(&app.xml(void(NumericString::from(1))).await).1,
        "E00051"
    );
    let ApiResponse::CreateCustomerProfileTransaction(v) = app.xml(void(pp.clone())).await else {
        panic!()
    };
    assert_eq!(v.messages.first_code(), Some("I00001"));
    let direct = AimResponse::parse(v.direct_response.unwrap().as_bytes(), b',', None).unwrap();
    assert_eq!(direct.trans_id, trans_id.to_string());

    // Refund before settlement: the engine's refusal, as E00027 + directResponse.
    let ApiResponse::CreateCustomerProfileTransaction(c) =
        app.xml(auth_capture(&profile, &pp, dec!(9.00))).await
    else {
        panic!()
    };
    let charged = AimResponse::parse(c.direct_response.unwrap().as_bytes(), b',', None)
        .unwrap()
        .trans_id;
    let refund = |amount| CreateCustomerProfileTransactionRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: None,
        transaction: ProfileTransaction::Refund(ProfileTransRefund {
            amount,
            customer_profile_id: Some(profile.clone()),
            customer_payment_profile_id: Some(pp.clone()),
            trans_id: NumericString::new(charged.clone()),
            ..Default::default()
        }),
        extra_options: Some("x_delim_char=|".into()),
    };
    let ApiResponse::CreateCustomerProfileTransaction(early) = app.xml(refund(dec!(4.00))).await
    else {
        panic!()
    };
    assert_eq!(early.messages.first_code(), Some("E00027"));
    assert!(
        early.direct_response.unwrap().starts_with("3|"),
        "extraOptions framing applies"
    );
    app.sandbox.settle_now();
    let ApiResponse::CreateCustomerProfileTransaction(ok) = app.xml(refund(dec!(4.00))).await
    else {
        panic!()
    };
    assert_eq!(ok.messages.first_code(), Some("I00001"));
    let direct = AimResponse::parse(ok.direct_response.unwrap().as_bytes(), b'|', None).unwrap();
    assert_eq!(direct.response_code, ResponseCode::Approved);
}

#[tokio::test]
async fn create_transaction_pays_with_a_stored_profile() {
    let app = App::new();
    let created = create(
        &app,
        "ct-1",
        vec![payment_profile("4111111111111111", "Lee")],
    )
    .await;
    let profile = created.customer_profile_id.unwrap();
    let pp = created.customer_payment_profile_id_list[0].clone();
    let r = app
        .xml(CreateTransactionRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: Some("ct".into()),
            transaction_request: TransactionRequest {
                transaction_type: TransactionType::AuthOnly,
                amount: Some(dec!(8.00)),
                profile: Some(ProfilePayment {
                    create_profile: None,
                    customer_profile_id: Some(profile.clone()),
                    payment_profile: Some(PaymentProfileRef {
                        payment_profile_id: pp.clone(),
                        card_code: None,
                    }),
                    shipping_profile_id: None,
                }),
                ..Default::default()
            },
        })
        .await;
    let ApiResponse::CreateTransaction(t) = r else {
        panic!()
    };
    assert_eq!(t.messages.first_code(), Some("I00001"));
    let tr = t.transaction_response.unwrap();
    assert_eq!(tr.response_code.as_deref(), Some("1"));
    assert_eq!(tr.account_number.as_deref(), Some("XXXX1111"));
    assert_eq!(tr.profile.unwrap().customer_payment_profile_id, Some(pp));
    let entry = app
        .sandbox
        .lookup(tr.trans_id.unwrap().parse().unwrap())
        .unwrap();
    assert_eq!(entry.amount, dec!(8.00));
}

#[tokio::test]
async fn profile_and_address_updates_gets_and_validation_round_the_15_functions() {
    let app = App::new();
    let created = create(
        &app,
        "upd-1",
        vec![payment_profile("4111111111111111", "Lee")],
    )
    .await;
    let profile = created.customer_profile_id.unwrap();
    let pp = created.customer_payment_profile_id_list[0].clone();
    let addr = created.customer_shipping_address_id_list[0].clone();

    let r = app
        .xml(UpdateCustomerProfileRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            profile: CustomerProfileEx {
                merchant_customer_id: Some("upd-2".into()),
                description: Some("new".into()),
                email: None,
                customer_profile_id: profile.clone(),
            },
        })
        .await;
    assert_eq!(code(&r).1, "I00001");

    let mut moved = bill_to("Lee", "98109");
    moved.city = Some("Seattle".into());
    moved.customer_address_id = Some(addr.clone());
    let r = app
        .xml(UpdateCustomerShippingAddressRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            customer_profile_id: profile.clone(),
            address: moved,
            default_shipping_address: None,
        })
        .await;
    assert_eq!(code(&r).1, "I00001");
    let ApiResponse::GetCustomerShippingAddress(got) = app
        .xml(GetCustomerShippingAddressRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            customer_profile_id: profile.clone(),
            customer_address_id: addr.clone(),
        })
        .await
    else {
        panic!()
    };
    let a = got.address.unwrap();
    assert_eq!(
        (a.city.as_deref(), a.zip.as_deref()),
        (Some("Seattle"), Some("98109"))
    );
    assert_eq!(a.customer_address_id, Some(addr.clone()));

    let ApiResponse::GetCustomerProfile(p) = get_profile(&app, &profile).await else {
        panic!()
    };
    let p = p.profile.unwrap();
    assert_eq!(p.merchant_customer_id.as_deref(), Some("upd-2"));
    assert_eq!(p.email, None, "omitted fields are cleared");

    let validate = |mode| ValidateCustomerPaymentProfileRequest {
        merchant_authentication: auth(),
        client_id: None,
        ref_id: None,
        customer_profile_id: profile.clone(),
        customer_payment_profile_id: pp.clone(),
        customer_shipping_address_id: Some(addr.clone()),
        card_code: Some(SecretText::new("123")),
        validation_mode: mode,
    };
    let ApiResponse::ValidateCustomerPaymentProfile(v) =
        app.xml(validate(ValidationMode::LiveMode)).await
    else {
        panic!()
    };
    assert_eq!(v.messages.first_code(), Some("I00001"));
    let direct = v.direct().unwrap().unwrap();
    assert_eq!(direct.response_code, ResponseCode::Approved);
    assert_eq!(direct.ship_to.city, "Seattle");
    assert_eq!(direct.extra.first(), Some(&addr.to_string()), "position 69");
    assert_eq!(
        code(&app.xml(validate(ValidationMode::None)).await).1,
        "E00013"
    );

    let r = app
        .xml(DeleteCustomerShippingAddressRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            customer_profile_id: profile.clone(),
            customer_address_id: addr,
        })
        .await;
    assert_eq!(code(&r).1, "I00001");
    let r = app
        .xml(DeleteCustomerPaymentProfileRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            customer_profile_id: profile.clone(),
            customer_payment_profile_id: pp,
        })
        .await;
    assert_eq!(code(&r).1, "I00001");
    let ApiResponse::GetCustomerProfile(p) = get_profile(&app, &profile).await else {
        panic!()
    };
    let p = p.profile.unwrap();
    assert!(p.payment_profiles.is_empty() && p.ship_to_list.is_empty());
}

#[tokio::test]
async fn bad_card_numbers_and_missing_payment_are_field_errors() {
    let app = App::new();
    let profile = create(&app, "bad-1", vec![])
        .await
        .customer_profile_id
        .unwrap();
    let r = app
        .xml(add_payment(&profile, payment_profile("41111", "Lee"), None))
        .await;
    assert_eq!(
        code(&r),
        (
            &ResultCode::Error,
            "E00015",
            "The field length is invalid for Card Number."
        )
    );
    let r = app
        .xml(add_payment(
            &profile,
            PaymentProfile {
                bill_to: Some(bill_to("Lee", "1")),
                ..Default::default()
            },
            None,
        ))
        .await;
    assert_eq!(
        code(&r),
        (
            &ResultCode::Error,
            "E00029",
            "Payment information is required."
        )
    );
    let r = app
        .xml(add_payment(
            &NumericString::from(999),
            payment_profile("4111111111111111", "Lee"),
            None,
        ))
        .await;
    assert_eq!(code(&r).1, "E00040");
}
