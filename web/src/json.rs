//! JSON for the widget API without `serde_json` in the bundle: the browser's
//! own `JSON.parse`/`JSON.stringify` plus a small mapping to and from the
//! `checkout-api` types. This keeps about a third of the WebAssembly out of the
//! shopper's download. The mapping follows the types' serde representation
//! exactly; `tests/widget.rs` checks it against `serde_json` both ways.

use std::str::FromStr;

use checkout_api::{
    AddressView, ErrorBody, ErrorDetail, FieldError, PayRequest, PayResponse, PayResult,
    PaymentInput, PaymentMethodView, PaymentMode, SessionStatus, ShippingInput, WidgetSession,
};
use checkout_domain::{Amount, BillingInput};
use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::JsValue;

/// A JSON value that could not be mapped (which field, for debugging only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub &'static str);

type Res<T> = Result<T, DecodeError>;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn opt_string(v: &JsValue, key: &'static str) -> Res<Option<String>> {
    let f = get(v, key);
    if f.is_null() || f.is_undefined() {
        return Ok(None);
    }
    f.as_string().map(Some).ok_or(DecodeError(key))
}

fn string(v: &JsValue, key: &'static str) -> Res<String> {
    opt_string(v, key)?.ok_or(DecodeError(key))
}

fn string_or_default(v: &JsValue, key: &'static str) -> Res<String> {
    Ok(opt_string(v, key)?.unwrap_or_default())
}

fn boolean(v: &JsValue, key: &'static str) -> Res<bool> {
    get(v, key).as_bool().ok_or(DecodeError(key))
}

fn list<T>(v: &JsValue, key: &'static str, item: fn(&JsValue) -> Res<T>) -> Res<Vec<T>> {
    let f = get(v, key);
    if f.is_null() || f.is_undefined() {
        return Ok(Vec::new());
    }
    if !Array::is_array(&f) {
        return Err(DecodeError(key));
    }
    Array::from(&f).iter().map(|x| item(&x)).collect()
}

fn parse(text: &str) -> Res<JsValue> {
    let v = JSON::parse(text).map_err(|_| DecodeError("json"))?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(DecodeError("json"))
    }
}

fn mode(s: &str) -> Res<PaymentMode> {
    match s {
        "auth_capture" => Ok(PaymentMode::AuthCapture),
        "auth_only" => Ok(PaymentMode::AuthOnly),
        _ => Err(DecodeError("mode")),
    }
}

fn status(s: &str) -> Res<SessionStatus> {
    Ok(match s {
        "open" => SessionStatus::Open,
        "processing" => SessionStatus::Processing,
        "approved" => SessionStatus::Approved,
        "declined" => SessionStatus::Declined,
        "authorized" => SessionStatus::Authorized,
        "captured" => SessionStatus::Captured,
        "voided" => SessionStatus::Voided,
        "refunded" => SessionStatus::Refunded,
        "expired" => SessionStatus::Expired,
        _ => return Err(DecodeError("status")),
    })
}

fn result(s: &str) -> Res<PayResult> {
    match s {
        "approved" => Ok(PayResult::Approved),
        "declined" => Ok(PayResult::Declined),
        "error" => Ok(PayResult::Error),
        _ => Err(DecodeError("result")),
    }
}

fn payment_method(v: &JsValue) -> Res<PaymentMethodView> {
    Ok(PaymentMethodView {
        id: string(v, "id")?,
        brand: opt_string(v, "brand")?,
        last4: string(v, "last4")?,
        expiry: string(v, "expiry")?,
        expired: boolean(v, "expired")?,
    })
}

fn address(v: &JsValue) -> Res<AddressView> {
    Ok(AddressView {
        id: string(v, "id")?,
        first_name: string_or_default(v, "first_name")?,
        last_name: string_or_default(v, "last_name")?,
        company: string_or_default(v, "company")?,
        address: string_or_default(v, "address")?,
        city: string_or_default(v, "city")?,
        state: string_or_default(v, "state")?,
        zip: string_or_default(v, "zip")?,
        country: string_or_default(v, "country")?,
    })
}

fn field_error(v: &JsValue) -> Res<FieldError> {
    Ok(FieldError {
        field: string(v, "field")?,
        code: string(v, "code")?,
        message: string(v, "message")?,
    })
}

/// `GET /widget/v1/session`.
pub fn decode_session(text: &str) -> Res<WidgetSession> {
    let v = parse(text)?;
    Ok(WidgetSession {
        amount: Amount::from_str(&string(&v, "amount")?).map_err(|_| DecodeError("amount"))?,
        currency: string(&v, "currency")?,
        merchant_name: string(&v, "merchant_name")?,
        mode: mode(&string(&v, "mode")?)?,
        status: status(&string(&v, "status")?)?,
        require_avs: boolean(&v, "require_avs")?,
        require_card_code: boolean(&v, "require_card_code")?,
        offer_save: boolean(&v, "offer_save")?,
        shopper_known: boolean(&v, "shopper_known")?,
        saved_cards: list(&v, "saved_cards", payment_method)?,
        saved_addresses: list(&v, "saved_addresses", address)?,
        description: opt_string(&v, "description")?,
    })
}

/// `POST /widget/v1/session/pay` answer.
pub fn decode_pay_response(text: &str) -> Res<PayResponse> {
    let v = parse(text)?;
    Ok(PayResponse {
        result: result(&string(&v, "result")?)?,
        status: status(&string(&v, "status")?)?,
        transaction_id: opt_string(&v, "transaction_id")?,
        brand: opt_string(&v, "brand")?,
        last4: opt_string(&v, "last4")?,
        message_code: string(&v, "message_code")?,
        message: string(&v, "message")?,
        fields: list(&v, "fields", field_error)?,
        can_retry: boolean(&v, "can_retry")?,
    })
}

/// Any non-2xx answer of the relay.
pub fn decode_error_body(text: &str) -> Res<ErrorBody> {
    let v = parse(text)?;
    let e = get(&v, "error");
    if !e.is_object() {
        return Err(DecodeError("error"));
    }
    Ok(ErrorBody {
        error: ErrorDetail {
            code: string(&e, "code")?,
            message: string(&e, "message")?,
            fields: list(&e, "fields", field_error)?,
        },
    })
}

fn set(o: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(key), value);
}

fn set_str(o: &Object, key: &str, value: &str) {
    set(o, key, &JsValue::from_str(value));
}

fn billing(b: &BillingInput) -> Object {
    let o = Object::new();
    for (k, v) in [
        ("first_name", &b.first_name),
        ("last_name", &b.last_name),
        ("company", &b.company),
        ("address", &b.address),
        ("city", &b.city),
        ("state", &b.state),
        ("zip", &b.zip),
        ("country", &b.country),
        ("phone", &b.phone),
        ("email", &b.email),
    ] {
        set_str(&o, k, v);
    }
    o
}

/// The pay request body, as `serde_json::to_string` would write it.
pub fn encode_pay_request(req: &PayRequest) -> Option<String> {
    let payment = Object::new();
    match &req.payment {
        PaymentInput::NewCard {
            number,
            expiry,
            card_code,
            billing: b,
        } => {
            set_str(&payment, "type", "new_card");
            set_str(&payment, "number", &number.0);
            set_str(&payment, "expiry", expiry);
            set_str(&payment, "card_code", &card_code.0);
            set(&payment, "billing", &billing(b));
        }
        PaymentInput::SavedCard {
            payment_method_id,
            card_code,
        } => {
            set_str(&payment, "type", "saved_card");
            set_str(&payment, "payment_method_id", payment_method_id);
            if let Some(code) = card_code {
                set_str(&payment, "card_code", &code.0);
            }
        }
    }
    let body = Object::new();
    set(&body, "payment", &payment);
    if let Some(shipping) = &req.shipping {
        let s = Object::new();
        match shipping {
            ShippingInput::Saved { address_id } => {
                set_str(&s, "type", "saved");
                set_str(&s, "address_id", address_id);
            }
            ShippingInput::New { address } => {
                set_str(&s, "type", "new");
                set(&s, "address", &billing(address));
            }
        }
        set(&body, "shipping", &s);
    }
    set(&body, "save", &JsValue::from_bool(req.save));
    JSON::stringify(&body).ok().and_then(|s| s.as_string())
}
