//! Card-data rules for anet-checkout: the single source of truth shared by the
//! Leptos widget (as the shopper types, compiled to WebAssembly) and the relay
//! (again on pay, native), so the two can never disagree.
//!
//! No IO and no clock reads: "today" is always passed in ([`YearMonth`]).
//!
//! # Module map
//! - [`error`]: [`ValidationError`] (field + stable code + English message),
//!   [`Field`], and the message table with Spanish translations ([`message`]).
//! - [`secret`]: [`Secret<T>`] for credentials (redacted, not serializable).
//! - [`money`]: [`Amount`], USD with exactly two decimals, parsed from strings.
//! - [`card`]: brands and the IIN table, Luhn, per-brand lengths,
//!   [`check_card_number`] (typing state), [`CardNumber`] (validated, redacted),
//!   [`format_card_number`] (grouping + caret mapping), AIM length check.
//! - [`expiry`]: [`Expiry`] parsing in every common format, typing helpers.
//! - [`card_code`]: [`CardCode`] (3 digits, 4 for Amex; redacted) and the
//!   merchant's [`CardCodePolicy`].
//! - [`address`]: billing/shipping fields with the AIM guide's limits and
//!   character rules; US ZIP.
//! - [`state`]: [`FieldState`], the as-you-type state of a field.
//! - [`form`]: [`validate_card_form`], the whole form in one call.
//!
//! # Card data
//! [`CardNumber`] and [`CardCode`] print only brand + last four / `***` in
//! `Debug` and `Display`, implement neither `Serialize` nor `Deserialize`, and
//! expose their digits through one explicit accessor each
//! ([`CardNumber::expose_digits`], [`CardCode::expose`]). Error messages are
//! static text chosen by code, so they never echo input.

pub mod address;
pub mod card;
pub mod card_code;
pub mod error;
pub mod expiry;
pub mod form;
pub mod money;
pub mod secret;
pub mod state;

pub use address::{
    AddressRequirements, BillingAddress, BillingInput, billing_field_error, is_us_country,
    validate_address, validate_billing, validate_city, validate_company, validate_country,
    validate_email, validate_first_name, validate_last_name, validate_phone, validate_shipping,
    validate_state, validate_zip,
};
pub use card::{
    AIM_MAX_DIGITS, AIM_MIN_DIGITS, Brand, CardNumber, CardNumberError, CardNumberState, IIN_TABLE,
    IinRange, MAX_DIGITS, aim_accepts, card_digits, check_aim, check_card_number, detect_brand,
    format_card_number, luhn_check_digit, luhn_valid, validate_card_number,
};
pub use card_code::{
    CardCode, CardCodePolicy, MAX_CARD_CODE_LEN, check_card_code_input, validate_card_code,
};
pub use error::{Field, Locale, ValidationError, all_codes, known_code, message, message_en};
pub use expiry::{
    Expiry, MAX_YEARS_AHEAD, YearMonth, check_expiry_input, format_expiry_deletion,
    format_expiry_input,
};
pub use form::{BrandPolicy, CardForm, CardFormPolicy, ValidCard, validate_card_form};
pub use money::Amount;
pub use secret::Secret;
pub use state::FieldState;

// Unit tests also run in headless Chromium (`cargo test --target wasm32-unknown-unknown`).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
