//! The checkout form ([`Checkout`]) and [`start_app`], which loads the session and mounts it.

use std::rc::Rc;

use checkout_api::{
    CardCodeInput, CardNumberInput, PayRequest, PayResponse, PayResult, PaymentInput,
    PaymentMethodView, SessionStatus, ShippingInput, WidgetSession,
};
use checkout_domain::{
    Brand, Locale, YearMonth, card_digits, detect_brand, format_card_number,
    format_expiry_deletion, format_expiry_input, validate_card_form,
};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

use crate::api::{ApiError, CheckoutApi};
use crate::i18n::{Ui, format_amount, result_message, ui};
use crate::model::{FormModel, Msg, PayWith, Rules, Slot, card_expired};
use crate::params::WidgetParams;
use crate::parent::{ParentLink, ResultDetail};

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
    ev.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
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

/// Loads the session with the client token, then mounts the form into
/// `<body>` (replacing the static "loading" text of index.html). Not a
/// reactive switch: the form is mounted once, which keeps the bundle smaller.
pub fn start_app(params: WidgetParams, api: Rc<dyn CheckoutApi>) {
    let parent = ParentLink {
        origin: params.parent_origin.clone(),
        session: params.session.clone(),
    };
    parent.watch_height();
    let load = api.session();
    // Not Leptos' spawn_local: its executor is set up by the first mount.
    wasm_bindgen_futures::spawn_local(async move {
        let result = load.await;
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(el) = document
            .as_ref()
            .and_then(|d| d.get_element_by_id("anet-loading"))
        {
            el.remove();
        }
        let locale = RwSignal::new(params.locale);
        match result {
            Ok(session) => {
                parent.send_result("ready", &ResultDetail::default());
                leptos::mount::mount_to_body(move || {
                    view! { <Checkout session=session api=api locale=locale parent=parent /> }
                });
            }
            Err(_) => {
                parent.send_result(
                    "error",
                    &ResultDetail {
                        code: Some("session_unavailable".to_owned()),
                        ..ResultDetail::default()
                    },
                );
                leptos::mount::mount_to_body(move || {
                    view! {
                        <p class="anet-result" data-result="error" role="alert">
                            {tr(locale, |u| u.load_failed)}
                        </p>
                    }
                });
            }
        }
    });
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

    let require_avs = rules.require_avs;
    let require_code = rules.require_card_code;
    let offer_save = rules.offer_save;
    let today_ym = rules.today();
    let fixed = StoredValue::new(Fixed {
        rules,
        saved: saved_cards,
    });
    let parent = parent.unwrap_or_default();
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
        let visible = fixed.with_value(|f| form.visible(&f.rules));
        let mut blamed = Vec::new();
        for f in fields {
            if let Some(slot) = Slot::from_server(&f.field).filter(|s| visible.contains(s)) {
                form.field(slot)
                    .judge(Some(Msg::from_server(&f.code, &f.message)));
                blamed.push(slot);
            }
        }
        Slot::ORDER.into_iter().find(|s| blamed.contains(s))
    };

    let finish = move |response: Result<PayResponse, ApiError>| {
        busy.set(false);
        let link = &parent;
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
                match blame(&body.error.fields) {
                    Some(slot) => {
                        outcome.set(Some(Outcome::FixFields));
                        focus_slot(slot);
                    }
                    // e.g. a saved card or address the relay no longer has.
                    None => {
                        outcome.set(body.error.fields.first().map(|f| Outcome::Result {
                            kind: PayResult::Error,
                            code: f.code.clone(),
                            message: f.message.clone(),
                        }));
                    }
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
                if matches!(
                    code.as_str(),
                    "session_closed" | "already_paid" | "not_found"
                ) {
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
        let request = fixed.with_value(|f| build_request(&form, &f.rules, &f.saved));
        match request {
            Err(first) => {
                outcome.set(Some(Outcome::FixFields));
                focus_slot(first);
            }
            Ok(request) => {
                busy.set(true);
                outcome.set(None);
                let call = api.pay(request);
                let finish = finish.clone();
                spawn_local(async move {
                    let response = call.await;
                    finish(response);
                });
            }
        }
    };

    let t = move || ui(locale.get());
    let has_saved = !session.saved_cards.is_empty();
    let has_addresses = !session.saved_addresses.is_empty();

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
                        prop:checked=Choice::PayWith(PayWith::New).checked(form)
                        on:change=Choice::PayWith(PayWith::New).on_change(form)
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
                let text = [
                    format!("{} {}", a.first_name, a.last_name)
                        .trim()
                        .to_owned(),
                    a.address.clone(),
                    format!("{} {} {}", a.city, a.state, a.zip)
                        .trim()
                        .to_owned(),
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
                            prop:checked=Choice::ShipTo(Some(id.clone())).checked(form)
                            on:change=Choice::ShipTo(Some(id)).on_change(form)
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
                        prop:checked=Choice::ShipTo(None).checked(form)
                        on:change=Choice::ShipTo(None).on_change(form)
                    />
                    <span>{tr(locale, |u| u.no_shipping)}</span>
                </label>
            </fieldset>
        }
    });

    let ctx = Ctx {
        form,
        locale,
        fixed,
    };
    // Not a `Memo`: switching between saved cards re-runs the two closures
    // below, which then rebuild `None` into `None` (no DOM change), and the
    // bundle carries no memo code.
    let new_card = move || form.pay_with.with(|p| *p == PayWith::New);
    let card_top =
        move || new_card().then(|| CARD_TOP.iter().map(|s| field_view(ctx, s)).collect_view());
    let code_view = require_code.then(|| field_view(ctx, &CODE));
    let card_rest = move || {
        new_card().then(|| {
            view! {
                {field_view(ctx, &NAME)}
                {require_avs
                    .then(|| {
                        view! {
                            <fieldset class="anet-group anet-billing anet-full">
                                <legend>{tr(locale, |u| u.billing)}</legend>
                                <div class="anet-grid">
                                    {BILLING.iter().map(|s| field_view(ctx, s)).collect_view()}
                                </div>
                            </fieldset>
                        }
                    })}
                {offer_save
                    .then(|| {
                        view! {
                            <label class="anet-check anet-full">
                                <input
                                    type="checkbox"
                                    name="save"
                                    prop:checked=Choice::Save.checked(form)
                                    on:change=Choice::Save.on_change(form)
                                />
                                <span>{tr(locale, |u| u.save_card)}</span>
                            </label>
                        }
                    })}
            }
        })
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
                <div class="anet-grid">{card_top} {code_view} {card_rest}</div>
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

/// A translated text, as a plain closure: every label shares this one
/// closure type, so the view code for reactive texts is generated once. (A
/// `Signal::derive` per text measured larger: it adds an arena entry and a
/// `dyn Fn` to every text.)
fn tr(
    locale: RwSignal<Locale>,
    pick: fn(&'static Ui) -> &'static str,
) -> impl Fn() -> &'static str + Send + Sync + Copy + 'static {
    move || pick(ui(locale.get()))
}

fn invalid_attr(
    form: FormModel,
    slot: Slot,
) -> impl Fn() -> Option<&'static str> + Send + Sync + Copy {
    move || {
        form.field(slot)
            .invalid
            .get()
            .map(|b| if b { "true" } else { "false" })
    }
}

/// What a radio button or the "save" checkbox stands for. Every one of them
/// gets its `checked` and its `change` handler from here, so they share one
/// closure type each (smaller WebAssembly than a closure type per input).
#[derive(Clone)]
enum Choice {
    PayWith(PayWith),
    ShipTo(Option<String>),
    Save,
}

impl Choice {
    fn checked(self, form: FormModel) -> impl Fn() -> bool + Send + Sync + 'static {
        move || match &self {
            Choice::PayWith(p) => form.pay_with.with(|x| x == p),
            Choice::ShipTo(id) => form.ship_to.with(|x| x == id),
            Choice::Save => form.save.get(),
        }
    }

    fn on_change(self, form: FormModel) -> impl FnMut(ev::Event) + 'static {
        move |ev| match &self {
            Choice::PayWith(p) => {
                form.pay_with.set(p.clone());
                form.code.judge(None);
                form.code.invalid.set(None);
            }
            Choice::ShipTo(id) => form.ship_to.set(id.clone()),
            Choice::Save => {
                if let Some(i) = input_of(&ev) {
                    form.save.set(i.checked());
                }
            }
        }
    }
}

/// A label, the input (children) and the message element that
/// `aria-describedby` points at. The message space is reserved, so showing an
/// error never moves the layout.
/// Everything an input needs, as one `Copy` value (so every field shares
/// one set of handler and view types: smaller WebAssembly).
#[derive(Clone, Copy)]
struct Ctx {
    form: FormModel,
    locale: RwSignal<Locale>,
    fixed: StoredValue<Fixed>,
}

/// What stays the same for the whole session: one arena slot (and one set of
/// `StoredValue` code) for both.
struct Fixed {
    rules: Rules,
    saved: Vec<PaymentMethodView>,
}

impl Ctx {
    fn leave(self, slot: Slot) {
        self.fixed
            .with_value(|f| self.form.leave(slot, &f.rules, &f.saved));
    }

    fn typed(self, slot: Slot) {
        self.fixed
            .with_value(|f| self.form.typed(slot, &f.rules, &f.saved));
    }

    /// The `input` event of any field: formatting, then "typing may clear".
    fn input(self, slot: Slot, ev: &ev::Event) {
        let Some(input) = input_of(ev) else { return };
        let raw = input.value();
        let form = self.form;
        match slot {
            Slot::Number => {
                let caret = caret_of(&input, raw.len());
                let (formatted, caret) = format_card_number(&raw, caret);
                if formatted != raw {
                    input.set_value(&formatted);
                }
                set_caret(&input, caret);
                let brand = detect_brand(&formatted);
                form.number.value.set(formatted);
                if brand != form.brand.get_untracked() {
                    form.brand.set(brand);
                    self.fixed
                        .with_value(|f| form.brand_changed(&f.rules, &f.saved));
                }
            }
            Slot::Expiry => {
                let deleting = ev
                    .dyn_ref::<web_sys::InputEvent>()
                    .is_some_and(|e| e.input_type().starts_with("delete"));
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
                        let digits = raw.chars().take(caret).filter(char::is_ascii_digit).count();
                        after_digits(&formatted, digits)
                    };
                    set_caret(&input, new_caret);
                }
                form.expiry.value.set(formatted);
            }
            Slot::Code => {
                // Up to 4 digits whatever the brand; the length is judged on blur.
                let digits: String = raw
                    .chars()
                    .filter(char::is_ascii_digit)
                    .take(checkout_domain::MAX_CARD_CODE_LEN)
                    .collect();
                if digits != raw {
                    input.set_value(&digits);
                }
                form.code.value.set(digits);
            }
            _ => form.field(slot).value.set(raw),
        }
        self.typed(slot);
    }

    /// The placeholder, reactive where it depends on the form (a plain
    /// closure, like [`tr`]'s).
    fn placeholder(self, spec: &'static Spec) -> impl Fn() -> &'static str + Send + Sync + Copy {
        let (locale, form, fixed) = (self.locale, self.form, self.fixed);
        let (slot, hint) = (spec.slot, spec.hint);
        move || match slot {
            // As many digits as the brand's code has.
            Slot::Code => {
                let _ = (form.brand.get(), form.pay_with.get());
                match fixed
                    .with_value(|f| form.code_brand(&f.saved))
                    .map(|b| b.card_code_len())
                {
                    Some(4) => "1234",
                    _ => "123",
                }
            }
            _ => hint(ui(locale.get())),
        }
    }

    fn inputmode(self, spec: &'static Spec) -> impl Fn() -> &'static str + Send + Sync + Copy {
        let form = self.form;
        let (slot, numeric) = (spec.slot, spec.numeric);
        move || match slot {
            Slot::Zip if !checkout_domain::is_us_country(&form.country.value.get()) => "text",
            _ if numeric => "numeric",
            _ => "text",
        }
    }
}

/// A field of the form, described by data.
struct Spec {
    slot: Slot,
    name: &'static str,
    autocomplete: &'static str,
    numeric: bool,
    required: bool,
    /// Half width (two per row).
    half: bool,
    label: fn(&'static Ui) -> &'static str,
    hint: fn(&'static Ui) -> &'static str,
}

const fn no_hint(_: &'static Ui) -> &'static str {
    ""
}

const CARD_TOP: [Spec; 2] = [
    Spec {
        slot: Slot::Number,
        name: "cardnumber",
        autocomplete: "cc-number",
        numeric: true,
        required: true,
        half: false,
        label: |u| u.card_number,
        hint: |_| "1234 1234 1234 1234",
    },
    Spec {
        slot: Slot::Expiry,
        name: "exp-date",
        autocomplete: "cc-exp",
        numeric: true,
        required: true,
        half: true,
        label: |u| u.expiry,
        hint: |u| u.expiry_hint,
    },
];

const CODE: Spec = Spec {
    slot: Slot::Code,
    name: "cvc",
    autocomplete: "cc-csc",
    numeric: true,
    required: true,
    half: true,
    label: |u| u.card_code,
    hint: no_hint,
};

const NAME: Spec = Spec {
    slot: Slot::Name,
    name: "ccname",
    autocomplete: "cc-name",
    numeric: false,
    required: false,
    half: false,
    label: |u| u.name,
    hint: no_hint,
};

const BILLING: [Spec; 5] = [
    Spec {
        slot: Slot::Address,
        name: "address",
        autocomplete: "address-line1",
        numeric: false,
        required: true,
        half: false,
        label: |u| u.address,
        hint: no_hint,
    },
    Spec {
        slot: Slot::City,
        name: "city",
        autocomplete: "address-level2",
        numeric: false,
        required: false,
        half: true,
        label: |u| u.city,
        hint: no_hint,
    },
    Spec {
        slot: Slot::State,
        name: "state",
        autocomplete: "address-level1",
        numeric: false,
        required: false,
        half: true,
        label: |u| u.state,
        hint: no_hint,
    },
    Spec {
        slot: Slot::Zip,
        name: "zip",
        autocomplete: "postal-code",
        numeric: true,
        required: true,
        half: true,
        label: |u| u.zip,
        hint: no_hint,
    },
    Spec {
        slot: Slot::Country,
        name: "country",
        autocomplete: "country",
        numeric: false,
        required: false,
        half: true,
        label: |u| u.country,
        hint: no_hint,
    },
];

/// Label, input and the message element its `aria-describedby` points at.
/// The message line is reserved, so an error never moves the layout.
fn field_view(ctx: Ctx, spec: &'static Spec) -> impl IntoView + use<> {
    let slot = spec.slot;
    let field = ctx.form.field(slot);
    let locale = ctx.locale;
    let brand = ctx.form.brand;
    let text = move || field.msg.with(|m| m.as_ref().map(|m| m.text(locale.get())));
    let is_number = slot == Slot::Number;
    view! {
        <div
            class="anet-field"
            class:anet-full=!spec.half
            class:anet-invalid=move || field.invalid.get() == Some(true)
        >
            <label for=slot.id()>
                {tr(locale, spec.label)}
                {(!spec.required)
                    .then(|| {
                        view! {
                            <span class="anet-optional">
                                " (" {tr(locale, |u| u.optional)} ")"
                            </span>
                        }
                    })}
            </label>
            <div class="anet-input-wrap">
                <input
                    id=slot.id()
                    name=spec.name
                    type="text"
                    inputmode=ctx.inputmode(spec)
                    autocomplete=spec.autocomplete
                    spellcheck="false"
                    placeholder=ctx.placeholder(spec)
                    required=spec.required
                    aria-required=spec.required.then_some("true")
                    aria-describedby=slot.msg_id()
                    aria-invalid=invalid_attr(ctx.form, slot)
                    data-brand=move || is_number.then(|| brand.get().map_or("", |b| b.as_str()))
                    prop:value=move || field.value.get()
                    on:input=move |ev| ctx.input(slot, &ev)
                    on:blur=move |_| ctx.leave(slot)
                />
                {is_number
                    .then(|| {
                        view! {
                            <span class="anet-brand">
                                {move || brand.get().map(|b| b.display_name())}
                            </span>
                        }
                    })}
            </div>
            <p id=slot.msg_id() class="anet-msg">
                {text}
            </p>
        </div>
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
                prop:checked=Choice::PayWith(PayWith::Saved(id.clone())).checked(form)
                on:change=Choice::PayWith(PayWith::Saved(id)).on_change(form)
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
