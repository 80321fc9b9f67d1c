//! Encode → decode round trips for every request and response, in XML and in
//! JSON, and the wire-shape rules both forms must follow.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_samples;

use authnet_proto::api::*;
use rust_decimal_macros::dec;

#[test]
fn every_function_has_a_request_sample() {
    let samples = api_samples::requests();
    for f in Function::ALL {
        assert!(
            samples.iter().any(|r| r.function() == *f),
            "no sample request for {f:?}"
        );
    }
    assert_eq!(
        Function::ALL.len(),
        18,
        "15 CIM functions + createTransaction + 2 Transaction Reporting calls"
    );
}

#[test]
fn every_request_round_trips_in_xml_and_json() {
    for request in api_samples::requests() {
        for format in [Format::Xml, Format::Json] {
            let bytes = encode_request(&request, format);
            let back = decode_request(&bytes, format).unwrap_or_else(|e| {
                panic!(
                    "{:?} {format:?}: {e}\n{}",
                    request.function(),
                    String::from_utf8_lossy(&bytes)
                )
            });
            assert_eq!(back, request, "{:?} in {format:?}", request.function());
        }
    }
}

#[test]
fn every_response_round_trips_in_xml_and_json() {
    for response in api_samples::responses() {
        let expected = response
            .function()
            .unwrap_or(Function::GetCustomerProfileIds);
        for format in [Format::Xml, Format::Json] {
            let bytes = encode_response(&response, format);
            let back = decode_response(&bytes, format, expected).unwrap_or_else(|e| {
                panic!(
                    "{} {format:?}: {e}\n{}",
                    response.root_name(),
                    String::from_utf8_lossy(&bytes)
                )
            });
            if response.function().is_none() && format == Format::Json {
                // A JSON ErrorResponse has no root key: it reads as the
                // expected function's response with the same envelope.
                assert_eq!(back.messages(), response.messages());
                continue;
            }
            assert_eq!(back, response, "{} in {format:?}", response.root_name());
        }
    }
}

#[test]
fn xml_responses_start_with_a_bom_and_declare_the_namespaces() {
    let bytes = encode_response(&api_samples::responses()[0], Format::Xml);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains(
        "<createCustomerProfileResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\">"
    ));
    // Lists are present even when empty.
    assert!(text.contains("<customerShippingAddressIdList />"));
}

#[test]
fn xml_requests_carry_the_default_namespace_and_schema_order() {
    let request = &api_samples::requests()[0];
    let text = String::from_utf8(encode_request(request, Format::Xml)).unwrap();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><createCustomerProfileRequest xmlns=\"AnetApi/xml/v1/schema/AnetApiSchema.xsd\"><merchantAuthentication><name>demo_login</name>"));
    let order = [
        "<merchantAuthentication>",
        "<clientId>",
        "<refId>",
        "<profile>",
        "<merchantCustomerId>",
        "<description>",
        "<email>",
        "<paymentProfiles>",
        "<shipToList>",
        "<validationMode>",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|t| text.find(t).unwrap_or_else(|| panic!("{t} missing")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "schema order: {positions:?}"
    );
    assert!(text.contains("<company>Acme &amp; Sons &lt;Ltd&gt;</company>"));
}

#[test]
fn json_responses_use_arrays_where_the_node_sdk_expects_them() {
    let responses = api_samples::responses();
    let json = |i: usize| -> serde_json::Value {
        let bytes = encode_response(&responses[i], Format::Json);
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "the gateway's JSON carries a BOM too"
        );
        serde_json::from_slice(&bytes[3..]).unwrap()
    };
    let created = json(0);
    assert!(created["messages"]["message"].is_array());
    assert_eq!(created["messages"]["message"][0]["code"], "I00001");
    assert_eq!(
        created["customerPaymentProfileIdList"],
        serde_json::json!(["4000456", "4000457"])
    );
    assert_eq!(
        created["customerShippingAddressIdList"],
        serde_json::json!([])
    );
    assert!(created["validationDirectResponseList"].is_array());
    let ids = json(8);
    assert_eq!(ids["ids"], serde_json::json!(["1", "2", "3"]));
    let profile = json(10);
    assert!(profile["profile"]["paymentProfiles"].is_array());
    assert!(profile["profile"]["shipToList"].is_array());
    assert_eq!(
        profile["profile"]["shipToList"].as_array().unwrap().len(),
        1
    );
    let txn = json(17);
    assert!(txn["transactionResponse"]["messages"].is_array());
    assert_eq!(txn["transactionResponse"]["messages"][0]["code"], "1");
    let declined = json(18);
    assert_eq!(
        declined["transactionResponse"]["errors"][1]["errorCode"],
        "8"
    );
}

#[test]
fn json_requests_are_wrapped_in_the_root_name() {
    let request = &api_samples::requests()[0];
    let value: serde_json::Value =
        serde_json::from_slice(&encode_request(request, Format::Json)).unwrap();
    let body = &value["createCustomerProfileRequest"];
    assert_eq!(body["merchantAuthentication"]["name"], "demo_login");
    assert!(body["profile"]["paymentProfiles"].is_array());
}

#[test]
fn json_amounts_are_accepted_as_numbers_or_strings() {
    let doc = |amount: &str| {
        format!(
            r#"{{"createTransactionRequest":{{"merchantAuthentication":{{"name":"demo_login","transactionKey":"0123456789ABCDEF"}},"transactionRequest":{{"transactionType":"authCaptureTransaction","amount":{amount},"payment":{{"creditCard":{{"cardNumber":"4111111111111111","expirationDate":"2035-12"}}}}}}}}}}"#
        )
    };
    for (amount, expected) in [
        ("12.5", dec!(12.5)),
        ("\"12.50\"", dec!(12.50)),
        ("12", dec!(12)),
    ] {
        let r = decode_request(doc(amount).as_bytes(), Format::Json).unwrap();
        let ApiRequest::CreateTransaction(t) = r else {
            panic!("wrong function")
        };
        assert_eq!(t.transaction_request.amount, Some(expected), "{amount}");
    }
    // Decimal in XML: no exponent, no float forms.
    let bad = doc("\"1e3\"");
    assert!(matches!(
        decode_request(bad.as_bytes(), Format::Json),
        Err(ApiError::Schema(_))
    ));
}

#[test]
fn json_single_objects_and_arrays_are_both_accepted_for_repeated_elements() {
    let one = r#"{"createCustomerProfileRequest":{"merchantAuthentication":{"name":"a","transactionKey":"b"},"profile":{"merchantCustomerId":"m","shipToList":{"firstName":"Ann"}}}}"#;
    let many = r#"{"createCustomerProfileRequest":{"merchantAuthentication":{"name":"a","transactionKey":"b"},"profile":{"merchantCustomerId":"m","shipToList":[{"firstName":"Ann"},{"firstName":"Bo"}]}}}"#;
    let count = |doc: &str| match decode_request(doc.as_bytes(), Format::Json).unwrap() {
        ApiRequest::CreateCustomerProfile(r) => r.profile.ship_to_list.len(),
        _ => panic!("wrong function"),
    };
    assert_eq!(count(one), 1);
    assert_eq!(count(many), 2);
}

#[test]
fn node_sdk_shaped_json_with_client_id_and_setting_wrapper_decodes() {
    // The shape authorizenet@1.0.10 sends (keys in its own order, numbers as numbers).
    let doc = r#"{"createTransactionRequest":{"merchantAuthentication":{"name":"anet-test","transactionKey":"SandboxKey123456"},"clientId":"sdk-node-1.0.10","refId":"js-1","transactionRequest":{"transactionType":"authCaptureTransaction","amount":5,"payment":{"creditCard":{"cardNumber":"4111111111111111","expirationDate":"2035-12"}},"transactionSettings":{"setting":[{"settingName":"duplicateWindow","settingValue":"0"}]}}}}"#;
    let ApiRequest::CreateTransaction(r) = decode_request(doc.as_bytes(), Format::Json).unwrap()
    else {
        panic!()
    };
    assert_eq!(r.client_id.as_deref(), Some("sdk-node-1.0.10"));
    assert_eq!(
        r.transaction_request.transaction_settings[0]
            .setting_name
            .as_deref(),
        Some("duplicateWindow")
    );
}

#[test]
fn secrets_never_show_in_debug() {
    for request in api_samples::requests() {
        let debug = format!("{request:?}");
        for secret in [
            "4111111111111111",
            "0123456789ABCDEF",
            "123456789",
            "D1234567",
        ] {
            assert!(
                !debug.contains(secret),
                "{:?} Debug leaks {secret}",
                request.function()
            );
        }
    }
}

#[test]
fn content_types_select_the_form() {
    assert_eq!(
        Format::from_content_type(Some("text/xml; charset=utf-8"), b""),
        Ok(Format::Xml)
    );
    assert_eq!(
        Format::from_content_type(Some("application/xml"), b""),
        Ok(Format::Xml)
    );
    assert_eq!(
        Format::from_content_type(Some("application/json;charset=utf-8"), b""),
        Ok(Format::Json)
    );
    assert_eq!(
        Format::from_content_type(Some("text/plain"), b""),
        Err(ApiError::UnsupportedContentType)
    );
    assert_eq!(ApiError::UnsupportedContentType.code(), "E00002");
    assert_eq!(
        Format::from_content_type(None, b"\xEF\xBB\xBF {\"a\":1}"),
        Ok(Format::Json)
    );
    assert_eq!(Format::from_content_type(None, b"<?xml"), Ok(Format::Xml));
}

#[test]
fn every_message_code_of_section_5_3_has_its_text() {
    for code in [
        "I00001", "I00003", "I00004", "E00001", "E00002", "E00003", "E00004", "E00005", "E00006",
        "E00007", "E00008", "E00009", "E00010", "E00011", "E00012", "E00013", "E00014", "E00015",
        "E00016", "E00017", "E00018", "E00019", "E00020", "E00021", "E00022", "E00023", "E00024",
        "E00025", "E00026", "E00027", "E00028", "E00029", "E00030", "E00031", "E00032", "E00033",
        "E00034", "E00035", "E00036", "E00037", "E00038", "E00039", "E00040", "E00041", "E00042",
        "E00043", "E00044", "E00045", "E00051", "E00053",
    ] {
        assert!(codes::message_text(code).is_some(), "{code}");
    }
    assert_eq!(
        codes::message_text("E00007"),
        Some("User authentication failed due to invalid authentication values.")
    );
    assert_eq!(
        Messages::error_code("E00040").message[0].text,
        "The record cannot be found."
    );
}
