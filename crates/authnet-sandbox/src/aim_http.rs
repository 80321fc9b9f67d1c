//! `POST /gateway/transact.dll`: form in, one delimited line out, HTTP 200
//! whatever the outcome (as the gateway does). Honours `x_delim_char` and
//! `x_encap_char`; answers delimited whatever `x_delim_data` /
//! `x_relay_response` say (AIM clients always ask for that). A GET with the
//! fields in the query string is accepted too.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use authnet_proto::aim::form::ParsedAimRequest;
use authnet_proto::aim::{
    AimRequestError, AimResponse, ResponseAddress, TransactionType, decode_form,
};

use crate::Sandbox;
use crate::engine::TxnRequest;

pub fn routes() -> Router<Sandbox> {
    Router::new().route("/gateway/transact.dll", post(transact).get(transact))
}

async fn transact(State(sb): State<Sandbox>, uri: Uri, body: Bytes) -> Response {
    let form = if body.is_empty() {
        decode_form(uri.query().unwrap_or("").as_bytes())
    } else {
        decode_form(&body)
    };
    let resp = handle(&sb, &form);
    let text = resp.encode(form.delim(), form.encap());
    tracing::debug!(
        trans_id = %resp.trans_id,
        response_code = resp.response_code.as_u8(),
        reason_code = resp.reason_code,
        "aim"
    );
    let mut r = text.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// Decodes, authenticates and runs one AIM request (sync; no IO).
pub fn handle(sb: &Sandbox, form: &ParsedAimRequest) -> AimResponse {
    let kind = form
        .transaction_type()
        .unwrap_or(TransactionType::AuthCapture);
    let mut req = to_txn(form, kind);
    let login = form.login.as_deref().unwrap_or("");
    let key = form
        .tran_key
        .as_ref()
        .map(|k| k.expose_secret().as_str())
        .unwrap_or("");
    if !sb.check_credentials(login, key) {
        let mut resp = sb.refusal(&req, 13, "");
        // The hash is the one the sender can check: its own login (§3.13 example).
        resp.md5_hash = authnet_proto::aim::md5::response_hash(
            &sb.config().behaviour.md5_hash_value,
            login,
            &resp.trans_id,
            resp.amount,
        );
        return resp;
    }
    match validate(form) {
        Ok(()) => {}
        Err(e) => return sb.refusal(&req, e.reason_code(), &e.detail()),
    }
    // Amount was validated above; keep the parsed value.
    req.amount = form.amount().ok().flatten();
    sb.transact(req)
}

fn validate(form: &ParsedAimRequest) -> Result<(), AimRequestError> {
    form.check_version()?;
    form.transaction_type()?;
    form.method()?;
    form.amount()?;
    form.charges()?;
    form.check_line_items()?;
    form.ref_trans_id()?;
    form.split_tender()?;
    Ok(())
}

fn s(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The amount part of `x_tax` / `x_freight` / `x_duty` for the echo.
fn charge_echo(v: &Option<String>) -> String {
    let raw = s(v);
    raw.rsplit("<|>").next().unwrap_or("").to_owned()
}

fn to_txn(f: &ParsedAimRequest, kind: TransactionType) -> TxnRequest {
    let mut t = TxnRequest::new(kind);
    t.amount = f.amount().ok().flatten();
    t.card_number = f.card_num.clone();
    t.expiry = f.exp_date.clone();
    t.card_code = f.card_code.clone();
    t.bank_aba_code = f.bank_aba_code.clone();
    t.bank_acct_num = f.bank_acct_num.clone();
    t.bank_acct_type = f.bank_acct_type.clone();
    t.ref_trans_id = f.trans_id.clone();
    t.auth_code = f.auth_code.clone();
    t.split_tender_id = f.split_tender_id.clone();
    t.allow_partial_auth = f.allows_partial_auth();
    t.test_request = f.is_test_request();
    t.duplicate_window = f
        .duplicate_window_present
        .then(|| f.duplicate_window_secs());
    t.method = f.method().unwrap_or("CC").to_owned();
    t.invoice_num = s(&f.invoice_num);
    t.description = s(&f.description);
    t.po_num = s(&f.po_num);
    t.cust_id = s(&f.cust_id);
    t.bill_to = ResponseAddress {
        first_name: s(&f.first_name),
        last_name: s(&f.last_name),
        company: s(&f.company),
        address: s(&f.address),
        city: s(&f.city),
        state: s(&f.state),
        zip: s(&f.zip),
        country: s(&f.country),
        phone: s(&f.phone),
        fax: s(&f.fax),
    };
    t.email = s(&f.email);
    t.ship_to = ResponseAddress {
        first_name: s(&f.ship_to_first_name),
        last_name: s(&f.ship_to_last_name),
        company: s(&f.ship_to_company),
        address: s(&f.ship_to_address),
        city: s(&f.ship_to_city),
        state: s(&f.ship_to_state),
        zip: s(&f.ship_to_zip),
        country: s(&f.ship_to_country),
        phone: String::new(),
        fax: String::new(),
    };
    t.tax = charge_echo(&f.tax);
    t.duty = charge_echo(&f.duty);
    t.freight = charge_echo(&f.freight);
    t.tax_exempt = s(&f.tax_exempt).to_ascii_uppercase();
    t.customer_ip = s(&f.customer_ip);
    t.recurring_billing = f
        .recurring_billing
        .as_deref()
        .and_then(authnet_proto::aim::form::parse_bool)
        .unwrap_or(false);
    t.extra_echo = f.merchant_fields.iter().map(|(_, v)| v.clone()).collect();
    t
}
