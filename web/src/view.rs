//! The components: [`App`] (loads the session) and [`Checkout`] (the form).

use std::rc::Rc;

use checkout_api::{
    CardCodeInput, CardNumberInput, PayRequest, PayResponse, PayResult, PaymentInput,
    PaymentMethodView, SessionStatus, ShippingInput, WidgetSession,
};
use checkout_domain::{
    Brand, Locale, YearMonth, card_digits, detect_brand,
    format_card_number, format_expiry_deletion, format_expiry_input, message,
    validate_card_form,
};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

use crate::api::{ApiError, CheckoutApi};
use crate::i18n::{Ui, format_amount, result_message, ui};
use crate::model::{FormModel, Msg, PayWith, Rules, Slot, card_expired};
use crate::parent::{ParentLink, ResultDetail};
use crate::params::WidgetParams;

/// What the live region says after a pay attempt.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Result {
        kind: PayResult,
        code: String,
        message: String,
    },
    FixFields,
}

fn input_of(ev: &ev::Event) -> Option<HtmlInputElement> {
    ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
}

/// Position just after the `n`-th digit of `s` (0 → 0).
fn after_digits(s: &str, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() {
            seen += 1;
            if seen == n {
                return i + 1;
            }
        }
    }
    s.len()
}

fn caret_of(input: &HtmlInputElement, len: usize) -> usize {
    input
        .selection_start()
        .ok()
        .flatten()
        .map_or(len, |c| c as usize)
}

fn set_caret(input: &HtmlInputElement, pos: usize) {
    let pos = u32::try_from(pos).unwrap_or(0);
    let _ = input.set_selection_range(pos, pos);
}

/// Loads the session with the client token, then shows the form.
#[component]
pub fn App(params: WidgetParams, api: Rc<dyn CheckoutApi>) -> impl IntoView {
    let locale = RwSignal::new(params.locale);
    let parent = ParentLink {
        origin: params.parent_origin.clone(),
        session: params.session.clone(),
    };
    parent.watch_height();
    let loaded: RwSignal<Option<Result<WidgetSession, ()>>> = RwSignal::new(None);
    let load = api.session();
    let ready_link = parent.clone();
    spawn_local(async move {
        let result = load.await;
        match &result {
            Ok(_) => ready_link.send_result("ready", &ResultDetail::default()),
            Err(_) => ready_link.send_result(
                "error",
                &ResultDetail {
                    code: Some("session_unavailable".to_owned()),
                    ..ResultDetail::default()
                },
            ),
        }
        loaded.set(Some(result.map_err(|_| ())));
    });
    let api = StoredValue::new_local(api);
    let parent = StoredValue::new(parent);
    move || match loaded.get() {
        None => view! {
            <p class="anet-loading" role="status">{tr(locale, |u| u.loading)}</p>
        }
        .into_any(),
        Some(Err(())) => view! {
            <p class="anet-result" data-result="error" role="alert">
                {tr(locale, |u| u.load_failed)}
            </p>
        }
        .into_any(),
        Some(Ok(session)) => view! {
            <Checkout
                session=session
                api=api.get_value()
                locale=locale
                parent=parent.get_value()
            />
        }
        .into_any(),
    }
}

/// The checkout form for a loaded session.
#[component]
pub fn Checkout(
    session: WidgetSession,
    api: Rc<dyn CheckoutApi>,
    locale: RwSignal<Locale>,
    /// Fixed "today" for tests; by default the shopper's local month.
    #[prop(optional)]
    today: Option<YearMonth>,
    #[prop(optional)] parent: Option<ParentLink>,
) -> impl IntoView {
    let rules = Rules::from_session(&session, today);
    let form = FormModel::new(&session, rules.today());
    let saved_cards = session.saved_cards.clone();
    let amount_label = format_amount(&session.amount.to_string(), &session.currency);
    let open = session.status == SessionStatus::Open;

    let rules = StoredValue::new(rules);
    let saved = StoredValue::new(saved_cards);
    let api = StoredValue::new_local(api);
    let parent = StoredValue::new(parent.unwrap_or_default());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(!open);
    let outcome: RwSignal<Option<Outcome>> = RwSignal::new(if open {
        None
    } else {
        Some(Outcome::Result {
            kind: PayResult::Error,
            code: match session.status {
                SessionStatus::Approved | SessionStatus::Authorized | SessionStatus::Captured => {
                    "already_paid".to_owned()
                }
                _ => "session_closed".to_owned(),
            },
            message: String::new(),
        })
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();

    let leave = move |slot: Slot| {
        rules.with_value(|r| saved.with_value(|s| form.leave(slot, r, s)));
    };
    let typed = move |slot: Slot| {
        rules.with_value(|r| saved.with_value(|s| form.typed(slot, r, s)));
    };

    let focus_slot = move |slot: Slot| {
        if let Some(el) = form_ref
            .get_untracked()
            .and_then(|f| f.query_selector(&format!("#{}", slot.id())).ok().flatten())
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    };

    // Applies relay field errors; returns the first blamed visible field.
    let blame = move |fields: &[checkout_api::FieldError]| -> Option<Slot> {
        let visible = rules.with_value(|r| form.visible(r));
        let mut blamed = Vec::new();
        for f in fields {
            if let Some(slot) = Slot::from_server(&f.field).filter(|s| visible.contains(s)) {
                form.field(slot).judge(Some(Msg::from_server(&f.code, &f.message)));
                blamed.push(slot);
            }
        }
        Slot::ORDER.into_iter().find(|s| blamed.contains(s))
    };

    let finish = move |response: Result<PayResponse, ApiError>| {
        busy.set(false);
        let link = parent.get_value();
        match response {
            Ok(r) => {
                let kind = r.result;
                if kind == PayResult::Approved || !r.can_retry {
                    done.set(true);
                }
                let first = blame(&r.fields);
                let event = match kind {
                    PayResult::Approved => "approved",
                    PayResult::Declined => "declined",
                    PayResult::Error => "error",
                };
                link.send_result(
                    event,
                    &ResultDetail {
                        transaction_id: r.transaction_id.clone(),
                        brand: r.brand.clone(),
                        last4: r.last4.clone(),
                        code: Some(r.message_code.clone()),
                        message: Some(result_message(
                            &r.message_code,
                            &r.message,
                            kind,
                            locale.get_untracked(),
                        )),
                    },
                );
                outcome.set(Some(Outcome::Result {
                    kind,
                    code: r.message_code,
                    message: r.message,
                }));
                if let Some(slot) = first {
                    focus_slot(slot);
                }
            }
            Err(ApiError::Status {
                status,
                body: Some(body),
            }) if !body.error.fields.is_empty() && status < 500 => {
                let first = blame(&body.error.fields);
                outcome.set(Some(Outcome::FixFields));
                if let Some(slot) = first {
                    focus_slot(slot);
                }
            }
            Err(err) => {
                let code = match &err {
                    ApiError::Status { body: Some(b), .. } => b.error.code.clone(),
                    ApiError::Status { status: 429, .. } => "rate_limited".to_owned(),
                    ApiError::Network => "error.network".to_owned(),
                    _ => "error".to_owned(),
                };
                let message = match &err {
                    ApiError::Status { body: Some(b), .. } => b.error.message.clone(),
                    _ => String::new(),
                };
                if matches!(code.as_str(), "session_closed" | "already_paid" | "not_found") {
                    done.set(true);
                }
                link.send_result(
                    "error",
                    &ResultDetail {
                        code: Some(code.clone()),
                        message: Some(result_message(
                            &code,
                            &message,
                            PayResult::Error,
                            locale.get_untracked(),
                        )),
                        ..ResultDetail::default()
                    },
                );
                outcome.set(Some(Outcome::Result {
                    kind: PayResult::Error,
                    code,
                    message,
                }));
            }
        }
    };

    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        // Synchronous guard: a second click or Enter before the DOM shows the
        // disabled button finds `busy` already set.
        if busy.get_untracked() || done.get_untracked() {
            return;
        }
        let request = rules.with_value(|r| saved.with_value(|s| build_request(&form, r, s)));
        match request {
            Err(first) => {
                outcome.set(Some(Outcome::FixFields));
                focus_slot(first);
            }
            Ok(request) => {
                busy.set(true);
                outcome.set(None);
                let call = api.with_value(|a| a.pay(request));
                spawn_local(async move {
                    let response = call.await;
                    finish(response);
                });
            }
        }
    };

    let t = move || ui(locale.get());
    let new_card = move || form.pay_with.get() == PayWith::New;
    let require_avs = rules.with_value(|r| r.require_avs);
    let require_code = rules.with_value(|r| r.require_card_code);
    let offer_save = rules.with_value(|r| r.offer_save);
    let has_saved = !session.saved_cards.is_empty();
    let has_addresses = !session.saved_addresses.is_empty();
    let today_ym = rules.with_value(|r| r.today());

    // ----- saved cards -----
    let saved_cards_view = has_saved.then(|| {
        let options = session
            .saved_cards
            .iter()
            .map(|card| saved_card_option(card, card_expired(card, today_ym), form, locale))
            .collect_view();
        view! {
            <fieldset class="anet-group anet-saved" data-testid="saved-cards">
                <legend>{tr(locale, |u| u.saved_cards)}</legend>
                {options}
                <label class="anet-option">
                    <input
                        type="radio"
                        name="anet-pay-with"
                        value="new"
                        prop:checked=new_card
                        on:change=move |_| {
                            form.pay_with.set(PayWith::New);
                            form.code.judge(None);
                            form.code.invalid.set(None);
                        }
                    />
                    <span>{tr(locale, |u| u.new_card)}</span>
                </label>
            </fieldset>
        }
    });

    // ----- saved shipping addresses -----
    let addresses_view = has_addresses.then(|| {
        let options = session
            .saved_addresses
            .iter()
            .map(|a| {
                let id = a.id.clone();
                let id_checked = id.clone();
                let text = [
                    format!("{} {}", a.first_name, a.last_name).trim().to_owned(),
                    a.address.clone(),
                    format!("{} {} {}", a.city, a.state, a.zip).trim().to_owned(),
                    a.country.clone(),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
                view! {
                    <label class="anet-option">
                        <input
                            type="radio"
                            name="anet-ship-to"
                            value=id.clone()
                            prop:checked=move || {
                                form.ship_to.with(|s| s.as_deref() == Some(id_checked.as_str()))
                            }
                            on:change=move |_| form.ship_to.set(Some(id.clone()))
                        />
                        <span>{text}</span>
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset class="anet-group anet-ship" data-testid="saved-addresses">
                <legend>{tr(locale, |u| u.shipping)}</legend>
                {options}
                <label class="anet-option">
                    <input
                        type="radio"
                        name="anet-ship-to"
                        value=""
                        prop:checked=move || form.ship_to.with(Option::is_none)
                        on:change=move |_| form.ship_to.set(None)
                    />
                    <span>{tr(locale, |u| u.no_shipping)}</span>
                </label>
            </fieldset>
        }
    });

    // ----- card number -----
    let number_input = move |ev: ev::Event| {
        let Some(input) = input_of(&ev) else { return };
        let raw = input.value();
        let caret = caret_of(&input, raw.len());
        let (formatted, caret) = format_card_number(&raw, caret);
        if formatted != raw {
            input.set_value(&formatted);
        }
        set_caret(&input, caret);
        form.number.value.set(formatted.clone());
        let brand = detect_brand(&formatted);
        if brand != form.brand.get_untracked() {
            form.brand.set(brand);
            rules.with_value(|r| saved.with_value(|s| form.brand_changed(r, s)));
        }
        typed(Slot::Number);
    };
    let brand_attr = move || form.brand.get().map_or("", |b: Brand| b.as_str());
    let brand_name = move || form.brand.get().map(|b| b.display_name());

    // ----- expiry -----
    let expiry_input = move |ev: ev::Event| {
        let Some(input) = input_of(&ev) else { return };
        let deleting = ev
            .dyn_ref::<web_sys::InputEvent>()
            .is_some_and(|e| e.input_type().starts_with("delete"));
        let raw = input.value();
        let caret = caret_of(&input, raw.len());
        let formatted = if deleting {
            format_expiry_deletion(&raw)
        } else {
            format_expiry_input(&raw)
        };
        if formatted != raw {
            input.set_value(&formatted);
            let new_caret = if caret >= raw.len() {
                formatted.len()
            } else {
                let digits = raw
                    .chars()
                    .take(caret)
                    .filter(char::is_ascii_digit)
                    .count();
                after_digits(&formatted, digits)
            };
            set_caret(&input, new_caret);
        }
        form.expiry.value.set(formatted);
        typed(Slot::Expiry);
    };

    // ----- card code -----
    let code_input = move |ev: ev::Event| {
        let Some(input) = input_of(&ev) else { return };
        let raw = input.value();
        let digits: String = raw
            .chars()
            .filter(char::is_ascii_digit)
            .take(checkout_domain::MAX_CARD_CODE_LEN)
            .collect();
        if digits != raw {
            input.set_value(&digits);
        }
        form.code.value.set(digits);
        typed(Slot::Code);
    };
    let code_hint = move || {
        let brand = saved.with_value(|s| form.code_brand(s));
        let _ = form.brand.get();
        let _ = form.pay_with.get();
        match brand.map(|b| b.card_code_len()) {
            Some(4) => t().card_code_hint_4,
            _ => t().card_code_hint_3,
        }
    };

    let text_input = move |slot: Slot| {
        move |ev: ev::Event| {
            if let Some(input) = input_of(&ev) {
                form.field(slot).value.set(input.value());
            }
            typed(slot);
        }
    };

    let card_fields = view! {
        <Show when=new_card>
            <fieldset class="anet-group anet-card">
                <legend class="anet-sr">{tr(locale, |u| u.card_details)}</legend>
                <FieldBox at=Slot::Number form=form locale=locale label=tr(locale, |u| u.card_number)>
                    <div class="anet-input-wrap">
                        <input
                            id=Slot::Number.id()
                            name="cardnumber"
                            type="text"
                            inputmode="numeric"
                            autocomplete="cc-number"
                            spellcheck="false"
                            placeholder="1234 1234 1234 1234"
                            required
                            aria-required="true"
                            aria-describedby=Slot::Number.msg_id()
                            aria-invalid=invalid_attr(form, Slot::Number)
                            data-brand=brand_attr
                            prop:value=move || form.number.value.get()
                            on:input=number_input
                            on:blur=move |_| leave(Slot::Number)
                        />
                        <span class="anet-brand" data-brand=brand_attr>
                            {brand_name}
                        </span>
                    </div>
                </FieldBox>
                <div class="anet-row">
                    <FieldBox at=Slot::Expiry form=form locale=locale label=tr(locale, |u| u.expiry)>
                        <input
                            id=Slot::Expiry.id()
                            name="exp-date"
                            type="text"
                            inputmode="numeric"
                            autocomplete="cc-exp"
                            spellcheck="false"
                            placeholder=tr(locale, |u| u.expiry_hint)
                            required
                            aria-required="true"
                            aria-describedby=Slot::Expiry.msg_id()
                            aria-invalid=invalid_attr(form, Slot::Expiry)
                            prop:value=move || form.expiry.value.get()
                            on:input=expiry_input
                            on:blur=move |_| leave(Slot::Expiry)
                        />
                    </FieldBox>
                    {require_code.then(|| code_field(form, locale, code_input, code_hint, leave))}
                </div>
                <FieldBox
                    at=Slot::Name
                    form=form
                    locale=locale
                    label=tr(locale, |u| u.name)
                    optional=true
                >
                    <input
                        id=Slot::Name.id()
                        name="ccname"
                        type="text"
                        autocomplete="cc-name"
                        spellcheck="false"
                        aria-describedby=Slot::Name.msg_id()
                        aria-invalid=invalid_attr(form, Slot::Name)
                        prop:value=move || form.name.value.get()
                        on:input=text_input(Slot::Name)
                        on:blur=move |_| leave(Slot::Name)
                    />
                </FieldBox>
                {require_avs.then(|| billing_fields(form, locale, text_input, leave))}
                {offer_save
                    .then(|| {
                        view! {
                            <label class="anet-check">
                                <input
                                    type="checkbox"
                                    name="save"
                                    prop:checked=move || form.save.get()
                                    on:change=move |ev| {
                                        if let Some(i) = input_of(&ev) {
                                            form.save.set(i.checked());
                                        }
                                    }
                                />
                                <span>{tr(locale, |u| u.save_card)}</span>
                            </label>
                        }
                    })}
            </fieldset>
        </Show>
    };

    // The saved card's code, asked again when the merchant requires it.
    let saved_code = view! {
        <Show when=move || require_code && !new_card()>
            <div class="anet-row">
                {code_field(form, locale, code_input, code_hint, leave)}
            </div>
        </Show>
    };

    let pay_label = move || {
        if busy.get() {
            t().processing.to_owned()
        } else {
            format!("{} {}", t().pay, amount_label)
        }
    };

    let result_view = move || {
        outcome.get().map(|o| match o {
            Outcome::FixFields => ("error", t().fix_fields.to_owned()),
            Outcome::Result {
                kind,
                code,
                message,
            } => {
                let k = match kind {
                    PayResult::Approved => "approved",
                    PayResult::Declined => "declined",
                    PayResult::Error => "error",
                };
                (k, result_message(&code, &message, kind, locale.get()))
            }
        })
    };
    let result_kind = move || result_view().map(|(k, _)| k);
    let result_text = move || result_view().map(|(_, m)| m).unwrap_or_default();

    view! {
        <form
            class="anet-form"
            novalidate
            node_ref=form_ref
            aria-busy=move || if busy.get() { "true" } else { "false" }
            on:submit=submit
        >
            <fieldset class="anet-body" disabled=move || done.get()>
                {saved_cards_view}
                {card_fields}
                {saved_code}
                {addresses_view}
            </fieldset>
            <div class="anet-result" role="status" aria-live="polite" data-result=result_kind>
                {result_text}
            </div>
            <button
                type="submit"
                class="anet-pay"
                disabled=move || busy.get() || done.get()
                aria-disabled=move || if busy.get() || done.get() { "true" } else { "false" }
            >
                <span class="anet-spinner" aria-hidden="true" class:anet-hidden=move || !busy.get()></span>
                <span class="anet-pay-label">{pay_label}</span>
            </button>
            <p class="anet-note">{tr(locale, |u| u.secure_note)}</p>
        </form>
    }
}

/// A translated text: one `Signal` type for every label, so the view code
/// for reactive texts is generated once.
type Text = Signal<&'static str>;

fn tr(locale: RwSignal<Locale>, pick: fn(&'static Ui) -> &'static str) -> Text {
    Signal::derive(move || pick(ui(locale.get())))
}

fn invalid_attr(form: FormModel, slot: Slot) -> impl Fn() -> Option<&'static str> + Send + Sync + Copy {
    move || {
        form.field(slot)
            .invalid
            .get()
            .map(|b| if b { "true" } else { "false" })
    }
}

/// A label, the input (children) and the message element that
/// `aria-describedby` points at. The message space is reserved, so showing an
/// error never moves the layout.
#[component]
fn FieldBox(
    at: Slot,
    form: FormModel,
    locale: RwSignal<Locale>,
    label: Text,
    #[prop(optional)] optional: bool,
    children: Children,
) -> impl IntoView {
    let slot = at;
    let field = form.field(slot);
    let text = move || {
        field.msg.get().map(|m| match m {
            Msg::Code(code) => message(code, locale.get()).to_owned(),
            Msg::Text(t) => t,
        })
    };
    view! {
        <div class="anet-field" class:anet-invalid=move || field.invalid.get() == Some(true)>
            <label for=slot.id()>
                {label}
                {optional
                    .then(|| {
                        view! {
                            <span class="anet-optional">
                                " (" {tr(locale, |u| u.optional)} ")"
                            </span>
                        }
                    })}
            </label>
            {children()}
            <p id=slot.msg_id() class="anet-msg">
                {text}
            </p>
        </div>
    }
}

fn code_field(
    form: FormModel,
    locale: RwSignal<Locale>,
    on_input: impl Fn(ev::Event) + Copy + Send + Sync + 'static,
    hint: impl Fn() -> &'static str + Send + Sync + Copy + 'static,
    leave: impl Fn(Slot) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <FieldBox at=Slot::Code form=form locale=locale label=tr(locale, |u| u.card_code)>
            <input
                id=Slot::Code.id()
                name="cvc"
                type="text"
                inputmode="numeric"
                autocomplete="cc-csc"
                spellcheck="false"
                maxlength="4"
                placeholder=hint
                required
                aria-required="true"
                aria-describedby=Slot::Code.msg_id()
                aria-invalid=invalid_attr(form, Slot::Code)
                prop:value=move || form.code.value.get()
                on:input=on_input
                on:blur=move |_| leave(Slot::Code)
            />
        </FieldBox>
    }
}

fn billing_fields<H>(
    form: FormModel,
    locale: RwSignal<Locale>,
    text_input: impl Fn(Slot) -> H + Copy + Send + Sync + 'static,
    leave: impl Fn(Slot) + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    H: FnMut(ev::Event) + 'static,
{
    let zip_mode = move || {
        if checkout_domain::is_us_country(&form.country.value.get()) {
            "numeric"
        } else {
            "text"
        }
    };
    view! {
        <fieldset class="anet-group anet-billing">
            <legend>{tr(locale, |u| u.billing)}</legend>
            <FieldBox at=Slot::Address form=form locale=locale label=tr(locale, |u| u.address)>
                <input
                    id=Slot::Address.id()
                    name="address"
                    type="text"
                    autocomplete="billing address-line1"
                    required
                    aria-required="true"
                    aria-describedby=Slot::Address.msg_id()
                    aria-invalid=invalid_attr(form, Slot::Address)
                    prop:value=move || form.address.value.get()
                    on:input=text_input(Slot::Address)
                    on:blur=move |_| leave(Slot::Address)
                />
            </FieldBox>
            <div class="anet-row">
                <FieldBox
                    at=Slot::City
                    form=form
                    locale=locale
                    label=tr(locale, |u| u.city)
                    optional=true
                >
                    <input
                        id=Slot::City.id()
                        name="city"
                        type="text"
                        autocomplete="billing address-level2"
                        aria-describedby=Slot::City.msg_id()
                        aria-invalid=invalid_attr(form, Slot::City)
                        prop:value=move || form.city.value.get()
                        on:input=text_input(Slot::City)
                        on:blur=move |_| leave(Slot::City)
                    />
                </FieldBox>
                <FieldBox
                    at=Slot::State
                    form=form
                    locale=locale
                    label=tr(locale, |u| u.state)
                    optional=true
                >
                    <input
                        id=Slot::State.id()
                        name="state"
                        type="text"
                        autocomplete="billing address-level1"
                        aria-describedby=Slot::State.msg_id()
                        aria-invalid=invalid_attr(form, Slot::State)
                        prop:value=move || form.state.value.get()
                        on:input=text_input(Slot::State)
                        on:blur=move |_| leave(Slot::State)
                    />
                </FieldBox>
            </div>
            <div class="anet-row">
                <FieldBox at=Slot::Zip form=form locale=locale label=tr(locale, |u| u.zip)>
                    <input
                        id=Slot::Zip.id()
                        name="zip"
                        type="text"
                        inputmode=zip_mode
                        autocomplete="billing postal-code"
                        required
                        aria-required="true"
                        aria-describedby=Slot::Zip.msg_id()
                        aria-invalid=invalid_attr(form, Slot::Zip)
                        prop:value=move || form.zip.value.get()
                        on:input=text_input(Slot::Zip)
                        on:blur=move |_| leave(Slot::Zip)
                    />
                </FieldBox>
                <FieldBox at=Slot::Country form=form locale=locale label=tr(locale, |u| u.country)>
                    <input
                        id=Slot::Country.id()
                        name="country"
                        type="text"
                        autocomplete="billing country"
                        aria-describedby=Slot::Country.msg_id()
                        aria-invalid=invalid_attr(form, Slot::Country)
                        prop:value=move || form.country.value.get()
                        on:input=text_input(Slot::Country)
                        on:blur=move |_| leave(Slot::Country)
                    />
                </FieldBox>
            </div>
        </fieldset>
    }
}

fn saved_card_option(
    card: &PaymentMethodView,
    expired: bool,
    form: FormModel,
    locale: RwSignal<Locale>,
) -> impl IntoView + use<> {
    let t = move || ui(locale.get());
    let id = card.id.clone();
    let id_checked = id.clone();
    let brand = card.brand.as_deref().and_then(Brand::from_str_opt);
    let brand_id = brand.map_or("", |b| b.as_str());
    let brand_name = move || brand.map_or(t().unknown_brand, |b| b.display_name());
    let last4 = card.last4.clone();
    let expiry = card.expiry.clone();
    view! {
        <label class="anet-option" class:anet-expired=expired data-brand=brand_id>
            <input
                type="radio"
                name="anet-pay-with"
                value=id.clone()
                disabled=expired
                prop:checked=move || {
                    form.pay_with.with(|p| matches!(p, PayWith::Saved(s) if *s == id_checked))
                }
                on:change=move |_| {
                    form.pay_with.set(PayWith::Saved(id.clone()));
                    form.code.judge(None);
                    form.code.invalid.set(None);
                }
            />
            <span class="anet-card-label">
                <span class="anet-brand-name">{brand_name}</span>
                " " {tr(locale, |u| u.ends_in)} " " <span class="anet-last4">{last4}</span>
                <span class="anet-exp">" · " {tr(locale, |u| u.expires)} " " {expiry}</span>
                {expired
                    .then(|| view! { <span class="anet-badge">{tr(locale, |u| u.expired)}</span> })}
            </span>
        </label>
    }
}

/// Validates the form like the relay will and builds the request, or names
/// the first invalid field (every field gets its verdict).
fn build_request(
    form: &FormModel,
    rules: &Rules,
    saved: &[PaymentMethodView],
) -> Result<PayRequest, Slot> {
    let visible = form.visible(rules);
    let mut errors: Vec<(Slot, Msg)> = Vec::new();
    let payment = match form.pay_with.get_untracked() {
        PayWith::New => {
            let card = form.card_form();
            if let Err(errs) = validate_card_form(&card, &rules.policy, rules.today()) {
                for e in errs {
                    if let Some(slot) = Slot::from_field(e.field)
                        && !errors.iter().any(|(s, _)| *s == slot)
                    {
                        errors.push((slot, Msg::Code(e.code)));
                    }
                }
            }
            // The name is optional but checked when filled in.
            if let Some(code) = form.verdict(Slot::Name, rules, saved)
                && !errors.iter().any(|(s, _)| *s == Slot::Name)
            {
                errors.push((Slot::Name, Msg::Code(code)));
            }
            PaymentInput::NewCard {
                number: CardNumberInput(card_digits(&card.number)),
                expiry: card.expiry.trim().to_owned(),
                card_code: CardCodeInput(if rules.require_card_code {
                    card.card_code
                } else {
                    String::new()
                }),
                billing: card.billing,
            }
        }
        PayWith::Saved(id) => {
            let card_code = if rules.require_card_code {
                if let Some(code) = form.verdict(Slot::Code, rules, saved) {
                    errors.push((Slot::Code, Msg::Code(code)));
                }
                Some(CardCodeInput(form.code.value.get_untracked()))
            } else {
                None
            };
            PaymentInput::SavedCard {
                payment_method_id: id,
                card_code,
            }
        }
    };
    for slot in &visible {
        let err = errors
            .iter()
            .find(|(s, _)| s == slot)
            .map(|(_, m)| m.clone());
        form.field(*slot).judge(err);
    }
    if let Some(first) = Slot::ORDER
        .into_iter()
        .find(|s| visible.contains(s) && errors.iter().any(|(e, _)| e == s))
    {
        return Err(first);
    }
    let new_card = matches!(payment, PaymentInput::NewCard { .. });
    Ok(PayRequest {
        payment,
        shipping: form
            .ship_to
            .get_untracked()
            .map(|address_id| ShippingInput::Saved { address_id }),
        save: new_card && rules.offer_save && form.save.get_untracked(),
    })
}
