//! Form state and the rules applied to it. Every verdict comes from the domain
//! crate (the relay calls the same functions on pay).

use checkout_api::{PaymentMethodView, WidgetSession};
use checkout_domain::{
    AddressRequirements, BillingInput, Brand, CardCodePolicy, CardForm, CardFormPolicy, CardNumber,
    Expiry, Field, YearMonth, billing_field_error, check_aim, detect_brand, known_code,
    validate_card_code, validate_first_name, validate_last_name,
};
use leptos::prelude::*;

/// The widget's input fields, in form (and focus) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Number,
    Expiry,
    Code,
    Name,
    Address,
    City,
    State,
    Zip,
    Country,
}

impl Slot {
    pub const ORDER: [Slot; 9] = [
        Slot::Number,
        Slot::Expiry,
        Slot::Code,
        Slot::Name,
        Slot::Address,
        Slot::City,
        Slot::State,
        Slot::Zip,
        Slot::Country,
    ];

    /// The input's `id` (its message element is `{id}-msg`).
    pub fn id(self) -> &'static str {
        match self {
            Slot::Number => "anet-number",
            Slot::Expiry => "anet-expiry",
            Slot::Code => "anet-code",
            Slot::Name => "anet-name",
            Slot::Address => "anet-address",
            Slot::City => "anet-city",
            Slot::State => "anet-state",
            Slot::Zip => "anet-zip",
            Slot::Country => "anet-country",
        }
    }

    pub fn msg_id(self) -> &'static str {
        match self {
            Slot::Number => "anet-number-msg",
            Slot::Expiry => "anet-expiry-msg",
            Slot::Code => "anet-code-msg",
            Slot::Name => "anet-name-msg",
            Slot::Address => "anet-address-msg",
            Slot::City => "anet-city-msg",
            Slot::State => "anet-state-msg",
            Slot::Zip => "anet-zip-msg",
            Slot::Country => "anet-country-msg",
        }
    }

    /// The field a domain error belongs to (first and last name share the
    /// "name on card" input).
    pub fn from_field(field: Field) -> Option<Slot> {
        Some(match field {
            Field::CardNumber => Slot::Number,
            Field::Expiry => Slot::Expiry,
            Field::CardCode => Slot::Code,
            Field::FirstName | Field::LastName => Slot::Name,
            Field::Address => Slot::Address,
            Field::City => Slot::City,
            Field::State => Slot::State,
            Field::Zip => Slot::Zip,
            Field::Country => Slot::Country,
            _ => return None,
        })
    }

    /// A field name as the relay reports it (`card_number`, `billing.zip`,
    /// `payment.card_code`, …).
    pub fn from_server(name: &str) -> Option<Slot> {
        let last = name.rsplit('.').next().unwrap_or(name);
        match last {
            "number" => Some(Slot::Number),
            "name" => Some(Slot::Name),
            _ => Field::from_str_opt(last).and_then(Slot::from_field),
        }
    }
}

/// What a field's message element shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// A domain error code, translated at render time.
    Code(&'static str),
    /// A relay field error (translated by code where the widget knows it,
    /// see [`crate::i18n::field_message`]).
    Relay { code: String, message: String },
}

impl Msg {
    /// A relay field error: a domain code when it is one.
    pub fn from_server(code: &str, message: &str) -> Msg {
        match known_code(code) {
            Some(c) => Msg::Code(c),
            None => Msg::Relay {
                code: code.to_owned(),
                message: message.to_owned(),
            },
        }
    }

    /// The text to show in `locale`.
    pub fn text(&self, locale: checkout_domain::Locale) -> String {
        match self {
            Msg::Code(code) => checkout_domain::message(code, locale).to_owned(),
            Msg::Relay { code, message } => crate::i18n::field_message(code, message, locale),
        }
    }
}

/// One input: its value, its `aria-invalid` (absent until judged) and message.
#[derive(Debug, Clone, Copy)]
pub struct FieldModel {
    pub value: RwSignal<String>,
    pub invalid: RwSignal<Option<bool>>,
    pub msg: RwSignal<Option<Msg>>,
    /// Left (blurred) at least once.
    pub touched: RwSignal<bool>,
}

impl FieldModel {
    pub fn new(value: &str) -> FieldModel {
        FieldModel {
            value: RwSignal::new(value.to_owned()),
            invalid: RwSignal::new(None),
            msg: RwSignal::new(None),
            touched: RwSignal::new(false),
        }
    }

    /// Shows the verdict: `aria-invalid` and the message.
    pub fn judge(&self, error: Option<Msg>) {
        self.invalid.set(Some(error.is_some()));
        self.msg.set(error);
    }

    /// While typing: clear a shown error once the value is acceptable; never
    /// mark a field invalid.
    pub fn clear_if_ok(&self, ok: bool) {
        if ok && self.invalid.get_untracked() == Some(true) {
            self.judge(None);
        }
    }
}

/// How the shopper pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayWith {
    Saved(String),
    New,
}

/// The merchant's rules for this session, as the relay applies them.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub policy: CardFormPolicy,
    pub require_avs: bool,
    pub require_card_code: bool,
    pub offer_save: bool,
    /// Fixed "today" (tests); `None` reads the shopper's local calendar month.
    pub today: Option<YearMonth>,
}

impl Rules {
    /// The policy the relay derives from the same session settings.
    pub fn from_session(session: &WidgetSession, today: Option<YearMonth>) -> Rules {
        let policy = CardFormPolicy {
            card_code: if session.require_card_code {
                CardCodePolicy::Required
            } else {
                CardCodePolicy::Optional
            },
            address: AddressRequirements {
                require_address: session.require_avs,
                require_zip: session.require_avs,
                require_name: false,
            },
            ..CardFormPolicy::default()
        };
        Rules {
            policy,
            require_avs: session.require_avs,
            require_card_code: session.require_card_code,
            offer_save: session.offer_save && session.shopper_known,
            today,
        }
    }

    pub fn today(&self) -> YearMonth {
        self.today.unwrap_or_else(local_year_month)
    }
}

/// The shopper's local calendar month (`Date` in the browser's time zone).
pub fn local_year_month() -> YearMonth {
    let now = js_sys::Date::new_0();
    let year = u16::try_from(now.get_full_year()).unwrap_or(2000);
    let month = u8::try_from(now.get_month() + 1).unwrap_or(1);
    YearMonth::new(year, month).unwrap_or(YearMonth { year, month: 1 })
}

/// Splits "name on card" into the first and last name fields of the billing
/// address (last word = last name).
pub fn split_name(full: &str) -> (String, String) {
    let full = full.trim();
    match full.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim().to_owned(), last.trim().to_owned()),
        None => (full.to_owned(), String::new()),
    }
}

/// All inputs of the form.
#[derive(Debug, Clone, Copy)]
pub struct FormModel {
    pub number: FieldModel,
    pub expiry: FieldModel,
    pub code: FieldModel,
    pub name: FieldModel,
    pub address: FieldModel,
    pub city: FieldModel,
    pub state: FieldModel,
    pub zip: FieldModel,
    pub country: FieldModel,
    /// The brand the typed number's prefix shows.
    pub brand: RwSignal<Option<Brand>>,
    pub pay_with: RwSignal<PayWith>,
    pub ship_to: RwSignal<Option<String>>,
    pub save: RwSignal<bool>,
}

impl FormModel {
    pub fn new(session: &WidgetSession, today: YearMonth) -> FormModel {
        let preselected = first_usable(&session.saved_cards, today)
            .map(|c| PayWith::Saved(c.id.clone()))
            .unwrap_or(PayWith::New);
        FormModel {
            number: FieldModel::new(""),
            expiry: FieldModel::new(""),
            code: FieldModel::new(""),
            name: FieldModel::new(""),
            address: FieldModel::new(""),
            city: FieldModel::new(""),
            state: FieldModel::new(""),
            zip: FieldModel::new(""),
            country: FieldModel::new("US"),
            brand: RwSignal::new(None),
            pay_with: RwSignal::new(preselected),
            ship_to: RwSignal::new(session.saved_addresses.first().map(|a| a.id.clone())),
            save: RwSignal::new(false),
        }
    }

    pub fn field(&self, slot: Slot) -> FieldModel {
        match slot {
            Slot::Number => self.number,
            Slot::Expiry => self.expiry,
            Slot::Code => self.code,
            Slot::Name => self.name,
            Slot::Address => self.address,
            Slot::City => self.city,
            Slot::State => self.state,
            Slot::Zip => self.zip,
            Slot::Country => self.country,
        }
    }

    pub fn billing_input(&self) -> BillingInput {
        let (first_name, last_name) = split_name(&self.name.value.get_untracked());
        BillingInput {
            first_name,
            last_name,
            address: self.address.value.get_untracked(),
            city: self.city.value.get_untracked(),
            state: self.state.value.get_untracked(),
            zip: self.zip.value.get_untracked(),
            country: self.country.value.get_untracked(),
            ..BillingInput::default()
        }
    }

    pub fn card_form(&self) -> CardForm {
        CardForm {
            number: self.number.value.get_untracked(),
            expiry: self.expiry.value.get_untracked(),
            card_code: self.code.value.get_untracked(),
            billing: self.billing_input(),
        }
    }

    /// The fields on screen for the current choice.
    pub fn visible(&self, rules: &Rules) -> Vec<Slot> {
        let new_card = self.pay_with.get_untracked() == PayWith::New;
        Slot::ORDER
            .into_iter()
            .filter(|s| match s {
                Slot::Code => rules.require_card_code,
                Slot::Number | Slot::Expiry | Slot::Name => new_card,
                Slot::Address | Slot::City | Slot::State | Slot::Zip | Slot::Country => {
                    new_card && rules.require_avs
                }
            })
            .collect()
    }

    /// The brand the card code is judged against: the saved card's, or the
    /// typed number's.
    pub fn code_brand(&self, saved: &[PaymentMethodView]) -> Option<Brand> {
        match self.pay_with.get_untracked() {
            PayWith::New => detect_brand(&self.number.value.get_untracked()),
            PayWith::Saved(id) => saved
                .iter()
                .find(|c| c.id == id)
                .and_then(|c| c.brand.as_deref())
                .and_then(Brand::from_str_opt),
        }
    }

    /// The final verdict on one field (on blur), by the same rules as
    /// [`checkout_domain::validate_card_form`].
    pub fn verdict(
        &self,
        slot: Slot,
        rules: &Rules,
        saved: &[PaymentMethodView],
    ) -> Option<&'static str> {
        let value = self.field(slot).value.get_untracked();
        let policy = &rules.policy;
        let err = match slot {
            Slot::Number => CardNumber::parse(&value)
                .and_then(|n| {
                    policy.brands.check(n.brand())?;
                    if policy.require_aim_length {
                        check_aim(&n)?;
                    }
                    Ok(())
                })
                .err(),
            Slot::Expiry => Expiry::parse(&value, rules.today()).err(),
            Slot::Code => {
                let code_policy = if rules.require_card_code {
                    CardCodePolicy::Required
                } else {
                    policy.card_code
                };
                validate_card_code(&value, self.code_brand(saved), code_policy).err()
            }
            Slot::Name => {
                let (first, last) = split_name(&value);
                let required = policy.address.require_name;
                validate_first_name(&first, required)
                    .err()
                    .or_else(|| validate_last_name(&last, required).err())
            }
            Slot::Address => {
                billing_field_error(&self.billing_input(), &policy.address, Field::Address)
            }
            Slot::City => billing_field_error(&self.billing_input(), &policy.address, Field::City),
            Slot::State => {
                billing_field_error(&self.billing_input(), &policy.address, Field::State)
            }
            Slot::Zip => billing_field_error(&self.billing_input(), &policy.address, Field::Zip),
            Slot::Country => {
                billing_field_error(&self.billing_input(), &policy.address, Field::Country)
            }
        };
        err.map(|e| e.code)
    }

    /// Judges one field as the shopper leaves it.
    pub fn leave(&self, slot: Slot, rules: &Rules, saved: &[PaymentMethodView]) {
        let field = self.field(slot);
        field.touched.set(true);
        field.judge(self.verdict(slot, rules, saved).map(Msg::Code));
    }

    /// While typing: clear the field's error once its value is acceptable.
    pub fn typed(&self, slot: Slot, rules: &Rules, saved: &[PaymentMethodView]) {
        let field = self.field(slot);
        if field.invalid.get_untracked() == Some(true) {
            field.clear_if_ok(self.verdict(slot, rules, saved).is_none());
        }
    }

    /// The card code depends on the brand: judge it again when the brand
    /// changes (once the shopper has been through the code field).
    pub fn brand_changed(&self, rules: &Rules, saved: &[PaymentMethodView]) {
        if self.code.touched.get_untracked() || self.code.invalid.get_untracked().is_some() {
            self.code
                .judge(self.verdict(Slot::Code, rules, saved).map(Msg::Code));
        }
    }
}

/// A saved card is expired when the relay says so or when its month is
/// before the shopper's local calendar month.
pub fn card_expired(card: &PaymentMethodView, today: YearMonth) -> bool {
    card.expired || Expiry::parse_unchecked(&card.expiry).is_some_and(|e| e.is_expired(today))
}

/// The first saved card that has not expired.
pub fn first_usable(cards: &[PaymentMethodView], today: YearMonth) -> Option<&PaymentMethodView> {
    cards.iter().find(|c| !card_expired(c, today))
}
