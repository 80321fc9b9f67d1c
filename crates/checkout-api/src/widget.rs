//! The widget API (`/widget/v1/...`): the iframe talks to the relay with a
//! client token scoped to one session.

use std::fmt;

use checkout_domain::{Amount, BillingInput};
use serde::{Deserialize, Serialize};

use crate::{AddressView, FieldError, PaymentMethodView, PaymentMode, SessionStatus};

/// `GET /widget/v1/session`: what the widget needs to render.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetSession {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Amount,
    pub currency: String,
    pub merchant_name: String,
    pub mode: PaymentMode,
    pub status: SessionStatus,
    pub require_avs: bool,
    pub require_card_code: bool,
    pub offer_save: bool,
    /// True when the session names a shopper (saved cards possible).
    pub shopper_known: bool,
    #[serde(default)]
    pub saved_cards: Vec<PaymentMethodView>,
    #[serde(default)]
    pub saved_addresses: Vec<AddressView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A card number on its way from the iframe to the relay. Transport only:
/// it serializes (it must cross HTTP once) but its `Debug` redacts, and the
/// relay turns it into a `checkout_domain::CardNumber` at once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct CardNumberInput(pub String);

impl fmt::Debug for CardNumberInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardNumberInput(***)")
    }
}

/// A card code on its way to the relay; `Debug` redacts.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct CardCodeInput(pub String);

impl fmt::Debug for CardCodeInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardCodeInput(***)")
    }
}

/// `POST /widget/v1/session/pay`. Note what is *not* here: the amount, tax and
/// line items come from the session, never from the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PayRequest {
    pub payment: PaymentInput,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<ShippingInput>,
    /// "Save this card" (only honoured when the session offers it).
    #[serde(default)]
    pub save: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
// Request bodies, built once per request: boxing buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum PaymentInput {
    NewCard {
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        number: CardNumberInput,
        /// As typed: `MM/YY`, `MM/YYYY`, `MMYY`, ...
        expiry: String,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        card_code: CardCodeInput,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        billing: BillingInput,
    },
    SavedCard {
        payment_method_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
        card_code: Option<CardCodeInput>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
// Request bodies, built once per request: boxing buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum ShippingInput {
    Saved {
        address_id: String,
    },
    New {
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        address: BillingInput,
    },
}

/// The answer to a pay request (HTTP 200 for approved, declined and gateway
/// errors alike; 4xx only for requests the relay refused to send).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayResponse {
    pub result: PayResult,
    pub status: SessionStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last4: Option<String>,
    /// Stable code for the message (e.g. `declined.zip`, `error.retry`).
    pub message_code: String,
    /// Shopper-safe English message; the widget may translate by code.
    pub message: String,
    /// Fields to blame (an AVS decline points at address/ZIP, a card-code
    /// mismatch at the code).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// True when the shopper may correct and try again on this session.
    pub can_retry: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PayResult {
    Approved,
    Declined,
    Error,
}
