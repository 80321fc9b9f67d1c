//! Wire structs ↔ domain types, and `directResponse` through the AIM parser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_samples;

use authnet_proto::aim::ResponseCode;
use authnet_proto::api::*;
use checkout_domain::{CardCode, CardNumber, Expiry};

#[test]
fn a_domain_card_encodes_with_yyyy_mm_and_reads_back() {
    let number = CardNumber::parse("4111 1111 1111 1111").unwrap();
    let expiry = Expiry::parse_unchecked("12/35").unwrap();
    let code = CardCode::parse("123", number.brand()).unwrap();
    let wire = CreditCard::from_domain(&number, &expiry, Some(&code));
    assert_eq!(wire.card_number.expose(), "4111111111111111");
    assert_eq!(wire.expiration_date, "2035-12");
    assert_eq!(format!("{wire:?}").matches("***").count(), 2, "{wire:?}");
    let back = DomainCard::try_from(&wire).unwrap();
    assert_eq!(back.number.last4(), "1111");
    assert_eq!(back.expiry.to_xml(), "2035-12");
    assert!(
        DomainCard::try_from(&CreditCard::masked_for_update("1111")).is_err(),
        "masked is not a card"
    );
}

#[test]
fn a_masked_payment_profile_becomes_a_saved_card() {
    let saved = SavedCard::try_from(&api_samples::masked_payment_profile()).unwrap();
    assert_eq!(saved.last4, "1111");
    assert_eq!(saved.card_type.as_deref(), Some("Visa"));
    assert_eq!(saved.payment_profile_id, NumericString::from(4000456));
    let mut bank = api_samples::masked_payment_profile();
    bank.payment.as_mut().unwrap().credit_card = None;
    assert_eq!(SavedCard::try_from(&bank), Err(SavedCardError::NotACard));
}

#[test]
fn direct_responses_parse_with_the_aim_parser() {
    let r = CreateCustomerProfileTransactionResponse {
        direct_response: Some(api_samples::DIRECT.to_owned()),
        ..Default::default()
    };
    let aim = r.direct().unwrap().unwrap();
    assert_eq!(aim.response_code, ResponseCode::Approved);
    assert_eq!(aim.trans_id, "2170001234");
    assert_eq!(aim.account_number, "XXXX1111");
    assert_eq!(
        aim.extra.first().map(String::as_str),
        Some("3000789"),
        "position 69: shipping address id"
    );
    let piped =
        parse_direct_response("\"2\"|\"1\"|\"2\"|\"This transaction has been declined.\"").unwrap();
    assert_eq!(piped.response_code, ResponseCode::Declined);
}

#[test]
fn merchant_authentication_from_credentials() {
    let key = checkout_domain::Secret::new("0123456789ABCDEF".to_owned());
    let auth = MerchantAuthentication::new("demo_login", &key);
    assert_eq!(auth.name.as_deref(), Some("demo_login"));
    assert!(!format!("{auth:?}").contains("0123456789ABCDEF"));
}
