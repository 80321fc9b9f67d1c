//! Golden tests: every XML example of the fact sheet §5 (files under
//! `tests/fixtures/api/`, copied verbatim; the §5.1/§5.2 envelope templates
//! filled in with concrete values), decoded, checked field by field, and
//! re-encoded to an equal message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use authnet_proto::aim::{AimResponse, ResponseCode};
use authnet_proto::api::*;
use rust_decimal_macros::dec;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/api")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn request(name: &str) -> ApiRequest {
    let r = decode_request(&fixture(name), Format::Xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    // Re-encoding gives the same message, in both forms.
    for format in [Format::Xml, Format::Json] {
        assert_eq!(
            decode_request(&encode_request(&r, format), format).unwrap(),
            r,
            "{name} {format:?}"
        );
    }
    r
}

fn response(name: &str, f: Function) -> ApiResponse {
    let r =
        decode_response(&fixture(name), Format::Xml, f).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        decode_response(&encode_response(&r, Format::Xml), Format::Xml, f).unwrap(),
        r,
        "{name}"
    );
    r
}

#[test]
fn s5_1_envelope_request() {
    let r = request("s5_1_envelope_get_customer_profile_ids_request.xml");
    assert_eq!(r.function(), Function::GetCustomerProfileIds);
    assert_eq!(
        r.merchant_authentication().name.as_deref(),
        Some("demo_login")
    );
    assert_eq!(
        r.merchant_authentication()
            .transaction_key
            .as_ref()
            .map(|k| k.expose_secret().as_str()),
        Some("0123456789ABCDEF")
    );
    assert_eq!(r.ref_id(), Some("r-42"));
}

#[test]
fn s5_2_envelope_error_response_with_two_messages() {
    let r = response(
        "s5_2_envelope_error_response.xml",
        Function::GetCustomerProfileIds,
    );
    assert_eq!(r.function(), None);
    assert_eq!(r.ref_id(), Some("r-42"));
    let m = r.messages();
    assert_eq!(m.result_code, ResultCode::Error);
    assert_eq!(m.message.len(), 2);
    assert_eq!(m.message[0].code, "E00003");
    assert_eq!(m.message[1].text, "The field is invalid.");
}

#[test]
fn s5_4_create_customer_profile_response() {
    let ApiResponse::CreateCustomerProfile(r) = response(
        "s5_4_create_customer_profile_response.xml",
        Function::CreateCustomerProfile,
    ) else {
        panic!("wrong function")
    };
    assert_eq!(r.ref_id.as_deref(), Some("r-42"));
    assert!(r.messages.is_ok());
    assert_eq!(r.messages.first_code(), Some("I00001"));
    assert_eq!(
        r.customer_profile_id.as_ref().map(NumericString::as_str),
        Some("5000123")
    );
    assert_eq!(
        r.customer_payment_profile_id_list,
        vec![NumericString::from(4000456)]
    );
    assert!(r.customer_shipping_address_id_list.is_empty());
    assert_eq!(r.validation_direct_response_list.len(), 1);
    // The validation string is an AIM response (truncated in the fact sheet).
    let shown = r.validation_direct_response_list[0].trim_end_matches(",…");
    let v = AimResponse::parse(shown.as_bytes(), b',', None).unwrap();
    assert_eq!(v.response_code, ResponseCode::Approved);
    assert_eq!(
        v.reason_text,
        "(TESTMODE) This transaction has been approved."
    );
    assert_eq!(v.auth_code, "000000");
    assert_eq!(v.trans_id, "0");
    assert_eq!(
        v.description,
        "Test transaction for ValidateCustomerPaymentProfile."
    );
}

#[test]
fn s5_5_get_customer_profile_response_masked() {
    let ApiResponse::GetCustomerProfile(r) = response(
        "s5_5_get_customer_profile_response.xml",
        Function::GetCustomerProfile,
    ) else {
        panic!("wrong function")
    };
    let p = r.profile.unwrap();
    assert_eq!(p.merchant_customer_id.as_deref(), Some("C-55"));
    assert_eq!(p.description.as_deref(), Some("Ann Lee"));
    assert_eq!(p.email.as_deref(), Some("ann@example.com"));
    assert_eq!(p.customer_profile_id, Some(NumericString::from(5000123)));
    assert_eq!(p.payment_profiles.len(), 1);
    let pp = &p.payment_profiles[0];
    assert_eq!(pp.customer_type, Some(CustomerType::Individual));
    assert_eq!(
        pp.bill_to.as_ref().unwrap().city.as_deref(),
        Some("Portland")
    );
    assert_eq!(pp.customer_payment_profile_id, NumericString::from(4000456));
    let card = pp.payment.as_ref().unwrap().credit_card.as_ref().unwrap();
    assert_eq!(card.card_number, "XXXX1111");
    assert_eq!(card.expiration_date, "XXXX");
    assert_eq!(p.ship_to_list.len(), 1);
    assert_eq!(p.ship_to_list[0].address.as_deref(), Some("9 Dock Rd"));
    assert_eq!(
        p.ship_to_list[0].customer_address_id,
        Some(NumericString::from(3000789))
    );
}

#[test]
fn s5_6_profile_trans_refund_linked_by_profile_ids() {
    let ApiRequest::CreateCustomerProfileTransaction(r) =
        request("s5_6_profile_trans_refund_request.xml")
    else {
        panic!("wrong function")
    };
    let ProfileTransaction::Refund(t) = r.transaction else {
        panic!("not a refund")
    };
    assert_eq!(t.amount, dec!(12.50));
    assert_eq!(t.customer_profile_id, Some(NumericString::from(5000123)));
    assert_eq!(
        t.customer_payment_profile_id,
        Some(NumericString::from(4000456))
    );
    assert_eq!(t.order.unwrap().invoice_number.as_deref(), Some("INV-1001"));
    assert_eq!(t.trans_id, Some(NumericString::from(2170001234)));
}

#[test]
fn s5_6_profile_trans_refund_by_masked_card() {
    let ApiRequest::CreateCustomerProfileTransaction(r) =
        request("s5_6_profile_trans_refund_masked_request.xml")
    else {
        panic!("wrong function")
    };
    let ProfileTransaction::Refund(t) = r.transaction else {
        panic!("not a refund")
    };
    assert_eq!(t.customer_profile_id, None);
    assert_eq!(t.credit_card_number_masked.as_deref(), Some("XXXX1111"));
}

#[test]
fn s5_6_profile_trans_void() {
    let ApiRequest::CreateCustomerProfileTransaction(r) =
        request("s5_6_profile_trans_void_request.xml")
    else {
        panic!("wrong function")
    };
    assert_eq!(
        r.merchant_authentication.name.as_deref(),
        Some("demo_login")
    );
    let ProfileTransaction::Void(t) = r.transaction else {
        panic!("not a void")
    };
    assert_eq!(t.trans_id, NumericString::from(2170001234));
    assert_eq!(
        t.customer_payment_profile_id,
        Some(NumericString::from(4000456))
    );
}

#[test]
fn python_sdk_request_with_client_id_decodes() {
    // What authorizenet==1.1.6 (PyXB) sends: no XML declaration newline,
    // clientId after merchantAuthentication.
    let xml = br#"<?xml version="1.0" encoding="utf-8"?><createCustomerProfileRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd"><merchantAuthentication><name>anet-test</name><transactionKey>SandboxKey123456</transactionKey></merchantAuthentication><clientId>sdk-python-1.1.4</clientId><profile><merchantCustomerId>py-1</merchantCustomerId><paymentProfiles><customerType>individual</customerType><billTo><firstName>Ann</firstName></billTo><payment><creditCard><cardNumber>4111111111111111</cardNumber><expirationDate>2035-12</expirationDate></creditCard></payment></paymentProfiles></profile><validationMode>testMode</validationMode></createCustomerProfileRequest>"#;
    let ApiRequest::CreateCustomerProfile(r) = decode_request(xml, Format::Xml).unwrap() else {
        panic!()
    };
    assert_eq!(r.client_id.as_deref(), Some("sdk-python-1.1.4"));
    assert_eq!(r.validation_mode, Some(ValidationMode::TestMode));
    let card = r.profile.payment_profiles[0]
        .payment
        .as_ref()
        .unwrap()
        .credit_card
        .as_ref()
        .unwrap();
    assert_eq!(card.card_number.expose(), "4111111111111111");
    assert_eq!(
        format!("{card:?}").matches("***").count(),
        1,
        "card number redacted: {card:?}"
    );
}
