//! Hostile and malformed input: DTDs and entities, limits, namespaces,
//! schema order, BOM and `xmlns:xsi`/`xmlns:xsd` tolerance.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use authnet_proto::api::*;

const AUTH: &str = "<merchantAuthentication><name>a</name><transactionKey>b</transactionKey></merchantAuthentication>";

fn ids_request(head: &str, attrs: &str) -> String {
    format!(r#"{head}<getCustomerProfileIdsRequest {attrs}>{AUTH}</getCustomerProfileIdsRequest>"#)
}

#[test]
fn bom_and_xsi_xsd_declarations_are_tolerated() {
    let attrs = r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd""#;
    let doc = format!(
        "\u{feff}{}",
        ids_request("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n", attrs)
    );
    assert_eq!(
        decode_request(doc.as_bytes(), Format::Xml)
            .unwrap()
            .function(),
        Function::GetCustomerProfileIds
    );
}

#[test]
fn a_prefixed_root_in_the_schema_namespace_is_accepted() {
    let doc = format!(
        r#"<a:getCustomerProfileIdsRequest xmlns:a="AnetApi/xml/v1/schema/AnetApiSchema.xsd">{AUTH}</a:getCustomerProfileIdsRequest>"#
    );
    assert!(decode_request(doc.as_bytes(), Format::Xml).is_ok());
}

#[test]
fn missing_or_wrong_namespace_is_e00045() {
    for attrs in ["", r#"xmlns="urn:other""#] {
        let err = decode_request(ids_request("", attrs).as_bytes(), Format::Xml).unwrap_err();
        assert_eq!(err, ApiError::Namespace);
        assert_eq!(err.code(), "E00045");
    }
}

#[test]
fn unknown_function_is_e00004() {
    let doc =
        format!(r#"<chargeEverythingRequest xmlns="{NAMESPACE}">{AUTH}</chargeEverythingRequest>"#);
    let err = decode_request(doc.as_bytes(), Format::Xml).unwrap_err();
    assert_eq!(err.code(), "E00004");
    let json = br#"{"chargeEverythingRequest":{}}"#;
    assert_eq!(
        decode_request(json, Format::Json).unwrap_err().code(),
        "E00004"
    );
}

#[test]
fn doctype_is_rejected_so_no_entity_can_expand() {
    let bomb = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><getCustomerProfileIdsRequest xmlns="{NAMESPACE}"><merchantAuthentication><name>&lol2;</name><transactionKey>b</transactionKey></merchantAuthentication></getCustomerProfileIdsRequest>"#
    );
    let err = decode_request(bomb.as_bytes(), Format::Xml).unwrap_err();
    assert_eq!(err.code(), "E00003");
    assert!(err.text().contains("DTD"), "{err}");
    // An undeclared entity reference (no DTD) is refused too.
    let doc = format!(
        r#"<getCustomerProfileIdsRequest xmlns="{NAMESPACE}"><merchantAuthentication><name>&xxe;</name></merchantAuthentication></getCustomerProfileIdsRequest>"#
    );
    assert_eq!(
        decode_request(doc.as_bytes(), Format::Xml)
            .unwrap_err()
            .code(),
        "E00003"
    );
}

#[test]
fn predefined_and_numeric_entities_are_decoded() {
    let doc = format!(
        r#"<getCustomerProfileIdsRequest xmlns="{NAMESPACE}"><merchantAuthentication><name>a&amp;b&#x41;&#66;</name><transactionKey>k</transactionKey></merchantAuthentication></getCustomerProfileIdsRequest>"#
    );
    let r = decode_request(doc.as_bytes(), Format::Xml).unwrap();
    assert_eq!(r.merchant_authentication().name.as_deref(), Some("a&bAB"));
}

#[test]
fn oversized_and_deep_documents_are_refused() {
    let big = format!(
        "{}{}",
        ids_request("", &format!(r#"xmlns="{NAMESPACE}""#)),
        " ".repeat(MAX_BODY_BYTES)
    );
    assert_eq!(
        decode_request(big.as_bytes(), Format::Xml).unwrap_err(),
        ApiError::TooLarge
    );
    let deep = format!(
        r#"<getCustomerProfileIdsRequest xmlns="{NAMESPACE}">{}{}</getCustomerProfileIdsRequest>"#,
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    assert_eq!(
        decode_request(deep.as_bytes(), Format::Xml)
            .unwrap_err()
            .code(),
        "E00003"
    );
    let deep_json = format!(
        r#"{{"getCustomerProfileIdsRequest":{}{}}}"#,
        r#"{"a":"#.repeat(100),
        "}".repeat(100)
    );
    assert_eq!(
        decode_request(deep_json.as_bytes(), Format::Json)
            .unwrap_err()
            .code(),
        "E00003"
    );
}

#[test]
fn out_of_order_unknown_and_missing_elements_are_schema_errors() {
    // refId before merchantAuthentication.
    let doc = format!(
        r#"<deleteCustomerProfileRequest xmlns="{NAMESPACE}"><refId>1</refId>{AUTH}<customerProfileId>1</customerProfileId></deleteCustomerProfileRequest>"#
    );
    let err = decode_request(doc.as_bytes(), Format::Xml).unwrap_err();
    assert!(matches!(err, ApiError::Schema(_)), "{err:?}");
    assert!(
        err.text().contains("has invalid child element 'refId'")
            || err.text().contains("incomplete content"),
        "{err}"
    );
    // Unknown element.
    let doc = format!(
        r#"<deleteCustomerProfileRequest xmlns="{NAMESPACE}">{AUTH}<customerProfileId>1</customerProfileId><bogus/></deleteCustomerProfileRequest>"#
    );
    assert!(
        decode_request(doc.as_bytes(), Format::Xml)
            .unwrap_err()
            .text()
            .contains("'bogus'")
    );
    // Missing required element.
    let doc = format!(
        r#"<deleteCustomerProfileRequest xmlns="{NAMESPACE}">{AUTH}</deleteCustomerProfileRequest>"#
    );
    assert!(
        decode_request(doc.as_bytes(), Format::Xml)
            .unwrap_err()
            .text()
            .contains("customerProfileId")
    );
    // Non-numeric id: the Pattern constraint.
    let doc = format!(
        r#"<deleteCustomerProfileRequest xmlns="{NAMESPACE}">{AUTH}<customerProfileId>12a</customerProfileId></deleteCustomerProfileRequest>"#
    );
    assert!(
        decode_request(doc.as_bytes(), Format::Xml)
            .unwrap_err()
            .text()
            .contains("The Pattern constraint failed")
    );
}

#[test]
fn card_numbers_are_not_echoed_in_schema_errors() {
    let doc = format!(
        r#"<createCustomerPaymentProfileRequest xmlns="{NAMESPACE}">{AUTH}<customerProfileId>1</customerProfileId><paymentProfile><payment><creditCard><cardNumber><x>4111111111111111</x></cardNumber><expirationDate>2035-12</expirationDate></creditCard></payment></paymentProfile></createCustomerPaymentProfileRequest>"#
    );
    let err = decode_request(doc.as_bytes(), Format::Xml).unwrap_err();
    assert!(!err.text().contains("4111111111111111"), "{err}");
}

#[test]
fn malformed_documents_are_parse_errors() {
    for doc in [
        "",
        "<",
        "<a>",
        "<a></b>",
        "not xml",
        "<a/><b/>",
        "<?xml version=\"1.0\"?>",
    ] {
        let err = decode_request(doc.as_bytes(), Format::Xml).unwrap_err();
        assert_eq!(err.code(), "E00003", "{doc:?}: {err:?}");
    }
    for doc in ["", "{", "[]", "{\"a\":1,\"b\":2}", "{\"a\":[[1]]}", "nul"] {
        assert!(
            decode_request(doc.as_bytes(), Format::Json).is_err(),
            "{doc:?}"
        );
    }
}

#[test]
fn error_to_response_is_an_error_response_envelope() {
    let r = ApiError::UnknownMethod("x".into()).to_response();
    assert_eq!(r.root_name(), "ErrorResponse");
    assert_eq!(r.messages().first_code(), Some("E00004"));
    let xml = String::from_utf8(encode_response(&r, Format::Xml)).unwrap();
    assert!(xml.contains("<ErrorResponse xmlns:xsi="));
}
