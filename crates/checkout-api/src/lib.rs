//! JSON types shared by the relay and the widget (and merchant backends).
//!
//! These are *transport* types: what crosses HTTP. They are deliberately
//! separate from the domain types in `checkout-domain`; the relay converts and
//! validates with the domain crate on the way in. Amounts travel as strings
//! (`"12.30"`), never as JSON numbers, so no float ever touches money.

pub mod merchant;
pub mod widget;

pub use merchant::*;
pub use widget::*;

use serde::{Deserialize, Serialize};

/// A problem with one field of a request, by stable machine code so the widget
/// can translate it (codes come from `checkout_domain::ValidationError`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field name as the request spells it, e.g. `card_number`, `billing.zip`.
    pub field: String,
    /// Stable machine code, e.g. `card_number.luhn`, `zip.format`.
    pub code: String,
    /// English message, safe to show (never contains card data).
    pub message: String,
}

/// Every non-2xx answer of the relay has this body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `validation_failed`, `rate_limited`, `not_found`.
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// How a session charges the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMode {
    /// AIM AUTH_CAPTURE: charge now.
    #[default]
    AuthCapture,
    /// AIM AUTH_ONLY: authorise now, capture later through the merchant API.
    AuthOnly,
}

/// Life cycle of a checkout session, as the merchant API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Waiting for the shopper to pay (also after a decline: they may retry).
    Open,
    /// A payment is in flight (or its outcome is being resolved).
    Processing,
    /// `auth_capture` approved; funds captured, pending settlement.
    Approved,
    /// The last attempt was declined and the session no longer accepts attempts.
    Declined,
    /// `auth_only` approved; waiting for capture.
    Authorized,
    /// An authorisation was captured (fully or partly).
    Captured,
    Voided,
    /// Refunded in full (partial refunds keep `approved`/`captured` and show
    /// `amount_refunded`).
    Refunded,
    Expired,
}

/// A card brand as the API spells it (lower case, e.g. `visa`, `amex`).
pub type BrandName = String;
