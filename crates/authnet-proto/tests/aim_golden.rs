//! Golden tests: every AIM example of the fact sheet (§3.13) and the seed guide.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use authnet_proto::aim::form::{charge_amount, decode_form};
use authnet_proto::aim::request::LineItem;
use authnet_proto::aim::{
    AimResponse, AvsResult, BlameField, CardCodeResult, CavvResult, Outcome, ResponseCode,
    TransactionType, classify,
};
use rust_decimal_macros::dec;

const APPROVED: &str = "1|1|1|This transaction has been approved.|Q7T2ZK|Y|2170001234|INV-1001|Widgets|19.99|CC|auth_capture|C-55|Ann|Lee||1 Main St|Portland|OR|97201|US|||||||||||||||FALSE||8AF8B519A22207FA9A503B4067341712||2|||||||||||XXXX1111|Visa|||||||||||||||||A-17";
const DECLINED: &str = "2,1,2,This transaction has been declined.,,Y,2170001240,INV-1002,,5.00,CC,auth_only,,Ann,Lee,,,,,46282,,,,,,,,,,,,,,,,,,B9D38E880C791215DB92BDE232B2A783,,,,,,,,,,,,,XXXX0027,Visa,,,,,,,,,,,,,,,,";
const BAD_LOGIN: &str = "3|2|13|The merchant login ID or password is invalid or the account is inactive.||P|0|||52.56||auth_capture||||||||||||||||||||||||||A9058CC0F95F568BF3B6BFAD39B09259||||||||||||||||||||||||||||||";
const TESTMODE: &str = "1|1|1|(TESTMODE) This transaction has been approved.|000000|P|0|INV-1003||10.00|CC|auth_only||||||||||||||||||||||||||C7B1A5FA9A9AF730ADA6C41319ED97FF|||||||||||||XXXX1111|Visa||||||||||||||||";

#[test]
fn approved_auth_capture_pipe_delimited() {
    let r = AimResponse::parse(APPROVED.as_bytes(), b'|', None).expect("parses");
    assert_eq!(r.response_code, ResponseCode::Approved);
    assert_eq!(r.reason_code, 1);
    assert_eq!(r.auth_code, "Q7T2ZK");
    assert_eq!(r.avs_result, Some(AvsResult::AddressAndZip5Match));
    assert_eq!(r.trans_id, "2170001234");
    assert_eq!(r.invoice_num, "INV-1001");
    assert_eq!(r.description, "Widgets");
    assert_eq!(r.amount, Some(dec!(19.99)));
    assert_eq!(r.transaction_type, Some(TransactionType::AuthCapture));
    assert_eq!(r.cust_id, "C-55");
    assert_eq!(r.bill_to.first_name, "Ann");
    assert_eq!(r.bill_to.address, "1 Main St");
    assert_eq!(r.bill_to.zip, "97201");
    assert_eq!(r.tax_exempt, "FALSE");
    assert_eq!(r.card_code_result, None);
    assert_eq!(r.cavv_result, Some(CavvResult::Passed));
    assert_eq!(r.account_number, "XXXX1111");
    assert_eq!(r.card_type, "Visa");
    assert_eq!(r.extra, vec!["A-17".to_owned()]);
    assert!(r.verify_md5("", "demo_login"));
    assert!(!r.verify_md5("secret", "demo_login"));
    assert_eq!(r.encode(b'|', None), APPROVED);
    assert!(classify(&r).is_approved());
}

#[test]
fn declined_auth_only_comma_delimited() {
    let r = AimResponse::parse(DECLINED.as_bytes(), b',', None).expect("parses");
    assert_eq!(r.response_code, ResponseCode::Declined);
    assert_eq!(r.reason_code, 2);
    assert_eq!(r.bill_to.zip, "46282");
    assert_eq!(r.account_number, "XXXX0027");
    assert!(r.extra.is_empty());
    assert!(r.verify_md5("", "demo_login"));
    assert_eq!(r.encode(b',', None), DECLINED);
    assert!(matches!(
        classify(&r),
        Outcome::Declined {
            blame: None,
            reason_code: 2,
            ..
        }
    ));
}

#[test]
fn invalid_credentials_error() {
    let r = AimResponse::parse(BAD_LOGIN.as_bytes(), b'|', None).expect("parses");
    assert_eq!(r.response_code, ResponseCode::Error);
    assert_eq!(r.subcode, "2");
    assert_eq!(r.reason_code, 13);
    assert_eq!(r.transaction_id(), None);
    assert_eq!(r.method, "");
    assert_eq!(r.amount, Some(dec!(52.56)));
    assert!(r.verify_md5("", "bad_login"));
    assert_eq!(r.encode(b'|', None), BAD_LOGIN);
    assert!(matches!(
        classify(&r),
        Outcome::Error {
            retryable: false,
            reason_code: 13,
            ..
        }
    ));
}

#[test]
fn test_mode_approval_and_its_encapsulated_form() {
    let r = AimResponse::parse(TESTMODE.as_bytes(), b'|', None).expect("parses");
    assert_eq!(
        r.reason_text,
        "(TESTMODE) This transaction has been approved."
    );
    assert_eq!(r.auth_code, "000000");
    assert_eq!(r.avs_result, Some(AvsResult::NotApplicable));
    assert_eq!(r.trans_id, "0");
    assert!(r.verify_md5("", "demo_login"));
    assert_eq!(r.encode(b'|', None), TESTMODE);
    let encapsulated = r.encode(b',', Some(b'|'));
    assert!(encapsulated.starts_with(
        "|1|,|1|,|1|,|(TESTMODE) This transaction has been approved.|,|000000|,|P|,|0|,"
    ));
    assert_eq!(encapsulated.matches("|,|").count(), 67);
    let again = AimResponse::parse(encapsulated.as_bytes(), b',', Some(b'|')).expect("parses");
    assert_eq!(again, r);
    assert_eq!(
        AimResponse::parse_auto(encapsulated.as_bytes()).expect("auto"),
        r
    );
    assert_eq!(
        AimResponse::parse_auto(TESTMODE.as_bytes()).expect("auto"),
        r
    );
}

#[test]
fn every_example_has_68_standard_fields() {
    assert_eq!(APPROVED.split('|').count(), 69);
    assert_eq!(DECLINED.split(',').count(), 68);
    assert_eq!(BAD_LOGIN.split('|').count(), 68);
    assert_eq!(TESTMODE.split('|').count(), 68);
}

#[test]
fn bom_newline_and_short_error_responses_are_tolerated() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(APPROVED.as_bytes());
    body.extend_from_slice(b"\r\n");
    let r = AimResponse::parse(&body, b'|', None).expect("parses");
    assert_eq!(r.trans_id, "2170001234");
    let short = AimResponse::parse(
        b"3,2,13,The merchant login ID or password is invalid or the account is inactive.",
        b',',
        None,
    )
    .expect("short error parses");
    assert_eq!(short.reason_code, 13);
    assert_eq!(short.account_number, "");
    assert!(AimResponse::parse(b"<html>Not found</html>", b',', None).is_err());
    assert!(AimResponse::parse(b"", b',', None).is_err());
    assert!(AimResponse::parse(b"\xEF\xBB\xBF\r\n", b',', None).is_err());
}

#[test]
fn dollar_encapsulation_as_active_merchant_sends() {
    let r = AimResponse::parse(APPROVED.as_bytes(), b'|', None).expect("parses");
    let body = r.encode(b',', Some(b'$'));
    assert!(body.starts_with("$1$,$1$,$1$,"));
    assert_eq!(
        AimResponse::parse(body.as_bytes(), b',', Some(b'$')).expect("parses"),
        r
    );
}

#[test]
fn value_containing_the_delimiter_survives_with_encapsulation() {
    let mut r = AimResponse::parse(APPROVED.as_bytes(), b'|', None).expect("parses");
    r.bill_to.company = "Widgets, Inc".into();
    let body = r.encode(b',', Some(b'"'));
    assert_eq!(
        AimResponse::parse(body.as_bytes(), b',', Some(b'"')).expect("parses"),
        r
    );
}

#[test]
fn seed_line_item_examples() {
    let a = LineItem::parse("item1<|>golf balls<|><|>2<|>18.95<|>Y").expect("item1");
    assert_eq!(a.name, "golf balls");
    assert_eq!(a.quantity, dec!(2));
    assert_eq!(a.unit_price, dec!(18.95));
    assert!(a.taxable);
    let b = LineItem::parse("item2<|>golf bag<|>Wilson golf carry bag, red<|>1<|>39.99<|>Y")
        .expect("item2");
    assert_eq!(b.description, "Wilson golf carry bag, red");
    let c = LineItem::parse("item3<|>book<|>Golf for Dummies<|>1<|>21.99<|>Y").expect("item3");
    assert_eq!(
        c.encode(),
        "item3<|>book<|>Golf for Dummies<|>1<|>21.99<|>Y"
    );
    let form = decode_form(
        b"x_line_item=item1<|>golf balls<|><|>2<|>18.95<|>Y&x_line_item=item2<|>golf bag<|>Wilson golf carry bag, red<|>1<|>39.99<|>Y&x_line_item=item3<|>book<|>Golf for Dummies<|>1<|>21.99<|>Y&",
    );
    assert_eq!(form.line_items.len(), 3);
    assert!(form.check_line_items().is_ok());
}

#[test]
fn seed_tax_freight_duty_examples() {
    assert_eq!(
        charge_amount("Tax1<|>state tax<|>0.0625"),
        Some(dec!(0.0625))
    );
    assert_eq!(
        charge_amount("Freight<|>ground overnight<|>12.95"),
        Some(dec!(12.95))
    );
    assert_eq!(charge_amount("Duty1<|>export<|>15.00"), Some(dec!(15.00)));
    assert_eq!(charge_amount("$15.00"), None);
}

#[test]
fn card_code_and_blame_from_real_layout() {
    let mut r = AimResponse::parse(DECLINED.as_bytes(), b',', None).expect("parses");
    r.reason_code = 65;
    r.card_code_result = Some(CardCodeResult::NoMatch);
    assert!(matches!(
        classify(&r),
        Outcome::Declined {
            blame: Some(BlameField::CardCode),
            ..
        }
    ));
}

#[test]
fn seed_cim_extra_options_decode_as_aim_fields() {
    // The CIM guide's extraOptions examples are AIM name/value pairs.
    let f = decode_form(
        b"x_customer_ip=100.0.0.1&x_authentication_indicator=5&x_cardholder_authentication_value=uq3wDbqt8A26rfANAAAAAP",
    );
    assert_eq!(f.customer_ip.as_deref(), Some("100.0.0.1"));
    assert_eq!(f.authentication_indicator.as_deref(), Some("5"));
    assert_eq!(
        f.cardholder_authentication_value.as_deref(),
        Some("uq3wDbqt8A26rfANAAAAAP")
    );
    assert!(f.merchant_fields.is_empty());
    let f = decode_form(b"x_customer_ip=100.0.0.1");
    assert_eq!(f.customer_ip.as_deref(), Some("100.0.0.1"));
}
