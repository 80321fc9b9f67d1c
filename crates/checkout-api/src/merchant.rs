//! The merchant API (`/v1/...`): server-to-server, secret key, JSON.

use checkout_domain::Amount;
use serde::{Deserialize, Serialize};

use crate::{BrandName, PaymentMode, SessionStatus};

/// `POST /v1/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateSessionRequest {
    /// Total to charge, USD, exactly as the merchant computed it (string, 2 places).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Amount,
    #[serde(default)]
    pub mode: PaymentMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<ExtraCharge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freight: Option<ExtraCharge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty: Option<ExtraCharge>,
    #[serde(default)]
    pub tax_exempt: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub line_items: Vec<LineItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The merchant's own customer id; enables saved cards and addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shopper_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shopper_email: Option<String>,
    /// Ask for the billing address and ZIP (AVS). Default true.
    #[serde(default = "yes")]
    pub require_avs: bool,
    /// Ask for the card code (CVV). Default true.
    #[serde(default = "yes")]
    pub require_card_code: bool,
    /// Offer "save this card" (needs `shopper_reference`). Default false.
    #[serde(default)]
    pub offer_save: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

fn yes() -> bool {
    true
}

/// Tax, freight or duty: AIM's `name<|>description<|>amount`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtraCharge {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One of up to 30 AIM line items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LineItem {
    pub item_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Quantity as a decimal string (AIM allows up to two places), e.g. `"2"`.
    pub quantity: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit_price: Amount,
    #[serde(default)]
    pub taxable: bool,
}

/// `201` answer to `POST /v1/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateSessionResponse {
    pub id: String,
    /// Give this to the storefront page (`data-session`); it is scoped to this
    /// session and expires.
    pub client_token: String,
    /// RFC 3339.
    pub expires_at: String,
    pub status: SessionStatus,
}

/// `GET /v1/sessions/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: String,
    pub status: SessionStatus,
    pub mode: PaymentMode,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Amount,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<BrandName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avs_result: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_code_result: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount_authorized: Amount,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount_captured: Amount,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount_refunded: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shopper_reference: Option<String>,
    /// Shopper-safe reason of the last decline or error, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// What happened to "save this card" on this session's payment: `saved`,
    /// `card_limit: …`, `address_limit: …` or `failed: …` (the charge stands
    /// either way). Absent when saving was not asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_outcome: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /v1/sessions/{id}/capture`; no amount captures the full authorisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaptureRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub amount: Option<Amount>,
}

/// `POST /v1/sessions/{id}/refunds`; no amount refunds what is left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub amount: Option<Amount>,
}

/// The answer to capture / void / refund: the gateway transaction and the
/// session as it now stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperationResponse {
    pub transaction_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Amount,
    pub session: SessionView,
}

/// A saved card, as the merchant API and the widget list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentMethodView {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<BrandName>,
    pub last4: String,
    /// `MM/YYYY`.
    pub expiry: String,
    pub expired: bool,
}

/// A saved shipping address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressView {
    pub id: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub zip: String,
    #[serde(default)]
    pub country: String,
}
