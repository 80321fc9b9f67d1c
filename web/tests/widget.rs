//! Component tests of the checkout widget in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p checkout-widget --target wasm32-unknown-unknown`.
//!
//! Each test mounts `Checkout` into its own container with a `WidgetSession`
//! and a test implementation of the relay seam (`CheckoutApi`) whose pay call
//! resolves only when the test says so; then it dispatches real DOM events and
//! asserts on the DOM.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use checkout_api::{PayRequest, PayResponse, PaymentInput, ShippingInput, WidgetSession};
use checkout_domain::{Locale, YearMonth};
use checkout_widget::{ApiError, Checkout, CheckoutApi, LocalFuture};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const TODAY: YearMonth = YearMonth {
    year: 2026,
    month: 11,
};

// ---------- the seam: a relay whose answers the test releases ----------

#[derive(Default)]
struct Gate {
    calls: Cell<u32>,
    last: RefCell<Option<PayRequest>>,
    release: RefCell<Vec<js_sys::Function>>,
}

struct HeldApi {
    gate: Rc<Gate>,
    response: PayResponse,
}

impl CheckoutApi for HeldApi {
    fn session(&self) -> LocalFuture<Result<WidgetSession, ApiError>> {
        Box::pin(async { Err(ApiError::Network) })
    }

    fn pay(&self, request: PayRequest) -> LocalFuture<Result<PayResponse, ApiError>> {
        self.gate.calls.set(self.gate.calls.get() + 1);
        *self.gate.last.borrow_mut() = Some(request);
        let gate = self.gate.clone();
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            gate.release.borrow_mut().push(resolve);
        });
        let response = self.response.clone();
        Box::pin(async move {
            let _ = JsFuture::from(promise).await;
            Ok(response)
        })
    }
}

impl Gate {
    fn open(&self) {
        for f in self.release.borrow_mut().drain(..) {
            f.call0(&JsValue::NULL).unwrap();
        }
    }
}

// ---------- fixtures ----------

fn session(json: serde_json::Value) -> WidgetSession {
    let mut base = serde_json::json!({
        "amount": "12.30",
        "currency": "USD",
        "merchant_name": "Demo Store",
        "mode": "auth_capture",
        "status": "open",
        "require_avs": false,
        "require_card_code": true,
        "offer_save": false,
        "shopper_known": false,
        "saved_cards": [],
        "saved_addresses": []
    });
    if let (Some(b), Some(extra)) = (base.as_object_mut(), json.as_object()) {
        for (k, v) in extra {
            b.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(base).unwrap()
}

fn response(json: serde_json::Value) -> PayResponse {
    serde_json::from_value(json).unwrap()
}

fn approved() -> PayResponse {
    response(serde_json::json!({
        "result": "approved", "status": "approved", "transaction_id": "60012345678",
        "brand": "visa", "last4": "1111", "message_code": "approved",
        "message": "This transaction has been approved.", "can_retry": false
    }))
}

struct Mounted {
    root: HtmlElement,
    gate: Rc<Gate>,
    locale: RwSignal<Locale>,
}

impl Mounted {
    fn new(session: WidgetSession, response: PayResponse) -> Mounted {
        let document = web_sys::window().unwrap().document().unwrap();
        let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&root).unwrap();
        let gate = Rc::new(Gate::default());
        let api: Rc<dyn CheckoutApi> = Rc::new(HeldApi {
            gate: gate.clone(),
            response,
        });
        let locale = RwSignal::new(Locale::En);
        let handle = leptos::mount::mount_to(root.clone(), move || {
            view! { <Checkout session=session api=api locale=locale today=TODAY /> }
        });
        handle.forget();
        Mounted { root, gate, locale }
    }

    fn input(&self, id: &str) -> HtmlInputElement {
        self.try_el(&format!("#{id}"))
            .unwrap_or_else(|| panic!("no #{id}"))
            .unchecked_into()
    }

    fn try_el(&self, selector: &str) -> Option<web_sys::Element> {
        self.root.query_selector(selector).unwrap()
    }

    fn text(&self, selector: &str) -> String {
        self.try_el(selector)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    fn button(&self) -> HtmlButtonElement {
        self.try_el(".anet-pay").unwrap().unchecked_into()
    }

    fn all(&self, selector: &str) -> Vec<HtmlInputElement> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.unchecked_into())
            .collect()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

// ---------- DOM event helpers ----------

/// Replaces the value as if typed (caret at the end) and fires `input`.
fn type_text(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    let end = value.len() as u32;
    let _ = input.set_selection_range(end, end);
    fire_input(input, "insertText");
}

fn fire_input(input: &HtmlInputElement, input_type: &str) {
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    init.set_input_type(input_type);
    let ev = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
}

fn blur(input: &HtmlInputElement) {
    let ev = web_sys::FocusEvent::new("blur").unwrap();
    input.dispatch_event(&ev).unwrap();
}

fn aria_invalid(input: &HtmlInputElement) -> Option<String> {
    input.get_attribute("aria-invalid")
}

/// Lets promises, the executor and Leptos' DOM updates run.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
        let p = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        });
        let _ = JsFuture::from(p).await;
    }
}

fn message_of(m: &Mounted, input: &HtmlInputElement) -> String {
    let id = input.get_attribute("aria-describedby").unwrap();
    m.text(&format!("#{id}"))
}

// ---------- tests ----------

#[wasm_bindgen_test]
async fn typing_groups_the_number_keeps_the_caret_and_sets_data_brand() {
    let m = Mounted::new(session(serde_json::json!({})), approved());
    settle().await;
    let number = m.input("anet-number");
    assert_eq!(
        number.get_attribute("autocomplete").as_deref(),
        Some("cc-number")
    );
    assert_eq!(
        number.get_attribute("inputmode").as_deref(),
        Some("numeric")
    );
    assert_eq!(number.get_attribute("data-brand").as_deref(), Some(""));

    type_text(&number, "4");
    settle().await;
    assert_eq!(number.get_attribute("data-brand").as_deref(), Some("visa"));

    type_text(&number, "4111111111111111");
    settle().await;
    assert_eq!(number.value(), "4111 1111 1111 1111");
    assert_eq!(number.selection_start().unwrap(), Some(19));

    // Amex: 4-6-5 grouping, brand follows the prefix while incomplete.
    type_text(&number, "3782");
    settle().await;
    assert_eq!(number.get_attribute("data-brand").as_deref(), Some("amex"));
    type_text(&number, "378282246310005");
    settle().await;
    assert_eq!(number.value(), "3782 822463 10005");

    type_text(&number, "5555");
    settle().await;
    assert_eq!(
        number.get_attribute("data-brand").as_deref(),
        Some("mastercard")
    );
    type_text(&number, "6011");
    settle().await;
    assert_eq!(
        number.get_attribute("data-brand").as_deref(),
        Some("discover")
    );

    // A digit inserted in the middle: the caret stays after it.
    number.set_value("4111 11111 1111");
    let _ = number.set_selection_range(10, 10); // after the 9th digit
    fire_input(&number, "insertText");
    settle().await;
    assert_eq!(number.value(), "4111 1111 1111 1");
    assert_eq!(number.selection_start().unwrap(), Some(11));

    // 19 digits are kept (never capped at 16); a 20th is dropped.
    type_text(&number, "41111111111111111111");
    settle().await;
    let digits: String = number
        .value()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    assert_eq!(digits.len(), 19);

    type_text(&number, "");
    settle().await;
    assert_eq!(number.get_attribute("data-brand").as_deref(), Some(""));
}

#[wasm_bindgen_test]
async fn expiry_gets_its_slash_and_accepts_four_digit_years() {
    let m = Mounted::new(session(serde_json::json!({})), approved());
    settle().await;
    let expiry = m.input("anet-expiry");
    assert_eq!(
        expiry.get_attribute("autocomplete").as_deref(),
        Some("cc-exp")
    );
    type_text(&expiry, "12");
    settle().await;
    assert_eq!(expiry.value(), "12/");
    type_text(&expiry, "4");
    settle().await;
    assert_eq!(expiry.value(), "04/");
    type_text(&expiry, "1230");
    settle().await;
    assert_eq!(expiry.value(), "12/30");
    blur(&expiry);
    settle().await;
    assert_eq!(aria_invalid(&expiry).as_deref(), Some("false"));
    type_text(&expiry, "12 / 2031");
    blur(&expiry);
    settle().await;
    assert_eq!(aria_invalid(&expiry).as_deref(), Some("false"));
    // Last month is expired (judged by the local calendar month).
    type_text(&expiry, "10/26");
    blur(&expiry);
    settle().await;
    assert_eq!(aria_invalid(&expiry).as_deref(), Some("true"));
    assert_eq!(message_of(&m, &expiry), "This card has expired.");
    // Deleting the slash does not put it back.
    expiry.set_value("12");
    fire_input(&expiry, "deleteContentBackward");
    settle().await;
    assert_eq!(expiry.value(), "12");
}

#[wasm_bindgen_test]
async fn invalid_fields_get_aria_invalid_on_blur_never_while_typing() {
    let m = Mounted::new(session(serde_json::json!({})), approved());
    settle().await;
    let number = m.input("anet-number");
    let msg_id = number.get_attribute("aria-describedby").unwrap();
    assert!(
        m.try_el(&format!("#{msg_id}")).is_some(),
        "describedby target exists"
    );

    // Merely incomplete while typing: no aria-invalid="true".
    type_text(&number, "4111 1111");
    settle().await;
    assert_ne!(aria_invalid(&number).as_deref(), Some("true"));

    // Left incomplete: invalid.
    blur(&number);
    settle().await;
    assert_eq!(aria_invalid(&number).as_deref(), Some("true"));
    assert!(!message_of(&m, &number).is_empty());

    // Typing more: still never set, cleared once valid.
    type_text(&number, "4111 1111 1111 111");
    settle().await;
    assert_eq!(aria_invalid(&number).as_deref(), Some("true"));
    type_text(&number, "4111 1111 1111 1111");
    settle().await;
    assert_eq!(aria_invalid(&number).as_deref(), Some("false"));
    assert_eq!(message_of(&m, &number), "");

    // Luhn failure on blur.
    type_text(&number, "4111 1111 1111 1112");
    blur(&number);
    settle().await;
    assert_eq!(aria_invalid(&number).as_deref(), Some("true"));
    assert_eq!(
        message_of(&m, &number),
        "The card number is not valid. Please check it."
    );

    // An empty required field left by the shopper is invalid.
    let code = m.input("anet-code");
    blur(&code);
    settle().await;
    assert_eq!(aria_invalid(&code).as_deref(), Some("true"));
    assert_eq!(message_of(&m, &code), "Enter the security code.");

    // The optional name field left empty is fine.
    let name = m.input("anet-name");
    blur(&name);
    settle().await;
    assert_eq!(aria_invalid(&name).as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn card_code_keeps_four_digits_and_is_rechecked_when_the_brand_changes() {
    let m = Mounted::new(session(serde_json::json!({})), approved());
    settle().await;
    let number = m.input("anet-number");
    let code = m.input("anet-code");
    assert_eq!(
        code.get_attribute("autocomplete").as_deref(),
        Some("cc-csc")
    );

    type_text(&number, "4111111111111111");
    type_text(&code, "12345");
    settle().await;
    assert_eq!(code.value(), "1234", "up to 4 digits whatever the brand");
    blur(&code);
    settle().await;
    assert_eq!(
        aria_invalid(&code).as_deref(),
        Some("true"),
        "4 digits for Visa"
    );

    // Now Amex: the same 4 digits are right.
    type_text(&number, "378282246310005");
    settle().await;
    assert_eq!(aria_invalid(&code).as_deref(), Some("false"));

    // And back to Visa: wrong again.
    type_text(&number, "4111111111111111");
    settle().await;
    assert_eq!(aria_invalid(&code).as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn saved_card_picker_renders_from_the_session() {
    let s = session(serde_json::json!({
        "shopper_known": true,
        "saved_cards": [
            {"id": "pm-old", "brand": "mastercard", "last4": "4444", "expiry": "01/2024", "expired": true},
            {"id": "pm-1", "brand": "visa", "last4": "1111", "expiry": "12/2030", "expired": false},
            {"id": "pm-2", "brand": "amex", "last4": "0005", "expiry": "10/2026", "expired": false}
        ],
        "saved_addresses": [
            {"id": "addr-1", "first_name": "Ada", "last_name": "Lovelace", "address": "1 Main St",
             "city": "Bellevue", "state": "WA", "zip": "98004", "country": "US"}
        ]
    }));
    let m = Mounted::new(s, approved());
    settle().await;
    let radios = m.all("input[name=anet-pay-with]");
    assert_eq!(radios.len(), 4, "three saved cards and 'use a new card'");
    let picker = m.text("[data-testid=saved-cards]");
    assert!(picker.contains("4444") && picker.contains("1111") && picker.contains("0005"));
    assert!(picker.contains("Visa") && picker.contains("Expired"));
    assert!(picker.contains("Use a new card"));
    // Expired ones (by the relay or by the local month: 10/2026 < 11/2026)
    // are shown but not selectable; the first usable one is preselected.
    assert!(radios[0].disabled());
    assert!(!radios[1].disabled() && radios[1].checked());
    assert!(radios[2].disabled());
    // Saved card chosen: no number field, but the card code is asked again.
    assert!(m.try_el("#anet-number").is_none());
    assert!(m.try_el("#anet-code").is_some());
    // Saved addresses: one preselected.
    let ship = m.all("input[name=anet-ship-to]");
    assert_eq!(ship.len(), 2);
    assert!(ship[0].checked());
    assert!(
        m.text("[data-testid=saved-addresses]")
            .contains("1 Main St")
    );

    // "Use a new card" shows the card fields.
    radios[3].click();
    settle().await;
    assert!(m.try_el("#anet-number").is_some());
}

#[wasm_bindgen_test]
async fn pay_button_disables_in_flight_and_submits_once() {
    let s = session(serde_json::json!({
        "shopper_known": true,
        "require_card_code": false,
        "saved_cards": [
            {"id": "pm-1", "brand": "visa", "last4": "1111", "expiry": "12/2030", "expired": false}
        ],
        "saved_addresses": [{"id": "addr-1", "address": "1 Main St"}]
    }));
    let m = Mounted::new(s, approved());
    settle().await;
    let button = m.button();
    assert!(button.text_content().unwrap().contains("$12.30"));
    assert!(!button.disabled());

    // Double click, then Enter twice (implicit submission): one request.
    button.click();
    button.click();
    let form: web_sys::HtmlFormElement = m.try_el("form").unwrap().unchecked_into();
    let _ = form.request_submit();
    settle().await;
    let _ = form.request_submit();
    settle().await;
    assert_eq!(m.gate.calls.get(), 1);
    assert!(button.disabled());
    assert_eq!(form.get_attribute("aria-busy").as_deref(), Some("true"));
    assert!(button.text_content().unwrap().contains("Processing"));

    let sent = m.gate.last.borrow().clone().unwrap();
    assert!(matches!(
        sent.payment,
        PaymentInput::SavedCard { ref payment_method_id, card_code: None } if payment_method_id == "pm-1"
    ));
    assert!(
        matches!(sent.shipping, Some(ShippingInput::Saved { ref address_id }) if address_id == "addr-1")
    );

    m.gate.open();
    settle().await;
    assert_eq!(m.text("[role=status]"), "Payment approved. Thank you!");
    assert_eq!(
        m.try_el("[role=status]")
            .unwrap()
            .get_attribute("data-result")
            .as_deref(),
        Some("approved")
    );
    assert!(
        button.disabled(),
        "an approved session takes no second payment"
    );
    button.click();
    settle().await;
    assert_eq!(m.gate.calls.get(), 1);
}

#[wasm_bindgen_test]
async fn submit_marks_every_invalid_field_and_focuses_the_first() {
    let s = session(serde_json::json!({"require_avs": true}));
    let m = Mounted::new(s, approved());
    settle().await;
    for (id, token) in [
        ("anet-address", "address-line1"),
        ("anet-city", "address-level2"),
        ("anet-state", "address-level1"),
        ("anet-zip", "postal-code"),
        ("anet-country", "country"),
        ("anet-name", "cc-name"),
    ] {
        assert_eq!(
            m.input(id).get_attribute("autocomplete").as_deref(),
            Some(token)
        );
    }
    let expiry = m.input("anet-expiry");
    type_text(&expiry, "12/30");
    m.button().click();
    settle().await;
    assert_eq!(m.gate.calls.get(), 0, "nothing sent");
    for id in ["anet-number", "anet-code", "anet-address", "anet-zip"] {
        assert_eq!(aria_invalid(&m.input(id)).as_deref(), Some("true"), "{id}");
    }
    assert_eq!(aria_invalid(&expiry).as_deref(), Some("false"));
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.id());
    assert_eq!(active.as_deref(), Some("anet-number"));
    assert_eq!(
        m.text("[role=status]"),
        "Please correct the highlighted fields."
    );
}

#[wasm_bindgen_test]
async fn a_zip_decline_lands_on_the_zip_field_and_allows_a_retry() {
    let s = session(
        serde_json::json!({"require_avs": true, "offer_save": true, "shopper_known": true}),
    );
    let declined = response(serde_json::json!({
        "result": "declined", "status": "open", "message_code": "declined.zip",
        "message": "The ZIP code does not match.",
        "fields": [{"field": "billing.zip", "code": "zip.mismatch", "message": "The ZIP code does not match the card."}],
        "can_retry": true
    }));
    let m = Mounted::new(s, declined);
    settle().await;
    type_text(&m.input("anet-number"), "4111111111111111");
    type_text(&m.input("anet-expiry"), "12/2030");
    type_text(&m.input("anet-code"), "123");
    type_text(&m.input("anet-name"), "Ada Lovelace");
    type_text(&m.input("anet-address"), "1 Main St");
    type_text(&m.input("anet-zip"), "46282");
    let save: HtmlInputElement = m.try_el("input[name=save]").unwrap().unchecked_into();
    save.click();
    settle().await;
    m.button().click();
    settle().await;
    assert_eq!(m.gate.calls.get(), 1);
    let sent = m.gate.last.borrow().clone().unwrap();
    assert!(sent.save);
    match sent.payment {
        PaymentInput::NewCard {
            number,
            expiry,
            billing,
            ..
        } => {
            assert_eq!(number.0, "4111111111111111");
            assert_eq!(expiry, "12/2030");
            assert_eq!(billing.zip, "46282");
            assert_eq!(billing.first_name, "Ada");
            assert_eq!(billing.last_name, "Lovelace");
        }
        other => panic!("unexpected {other:?}"),
    }
    m.gate.open();
    settle().await;
    let zip = m.input("anet-zip");
    assert_eq!(aria_invalid(&zip).as_deref(), Some("true"));
    assert_eq!(
        message_of(&m, &zip),
        "The ZIP code does not match the card's billing address."
    );
    assert!(m.text("[role=status]").contains("ZIP code does not match"));
    assert!(!m.button().disabled(), "the shopper may correct and retry");
    assert_eq!(
        m.try_el("[role=status]")
            .unwrap()
            .get_attribute("data-result")
            .as_deref(),
        Some("declined")
    );
    // The decline and the field message follow the language.
    m.locale.set(Locale::Es);
    settle().await;
    assert!(message_of(&m, &zip).starts_with("El código postal no coincide"));
    assert!(
        m.text("[role=status]")
            .starts_with("El código postal no coincide")
    );
    // Correcting the ZIP clears the error once it is acceptable.
    type_text(&zip, "46201");
    settle().await;
    assert_eq!(aria_invalid(&zip).as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn messages_switch_language() {
    let m = Mounted::new(session(serde_json::json!({})), approved());
    settle().await;
    let number = m.input("anet-number");
    blur(&number);
    settle().await;
    assert_eq!(message_of(&m, &number), "Enter the card number.");
    assert!(m.text("label[for=anet-number]").contains("Card number"));
    m.locale.set(Locale::Es);
    settle().await;
    assert_eq!(
        message_of(&m, &number),
        "Introduzca el número de la tarjeta."
    );
    assert!(
        m.text("label[for=anet-number]")
            .contains("Número de tarjeta")
    );
    assert!(m.button().text_content().unwrap().contains("Pagar"));
}
