//! Between wire structs and the domain crate's types: the relay builds wire
//! requests from validated domain values (card digits exposed only here, at
//! encode time) and reads saved cards and payment results back.

use checkout_domain::{CardCode, CardNumber, Expiry, Secret, ValidationError};

use crate::aim::{AimParseError, AimResponse};

use super::codec::{NumericString, SecretText};
use super::messages::{
    CreateCustomerPaymentProfileResponse, CreateCustomerProfileResponse,
    CreateCustomerProfileTransactionResponse, UpdateCustomerPaymentProfileResponse,
    ValidateCustomerPaymentProfileResponse,
};
use super::types::{CreditCard, CustomerAddress, MerchantAuthentication, PaymentProfileMasked};

/// Parses a `directResponse` / `validationDirectResponse` string with the AIM
/// parser, detecting the delimiter and encapsulation (`,` bare by default;
/// `extraOptions` may have changed them).
pub fn parse_direct_response(text: &str) -> Result<AimResponse, AimParseError> {
    AimResponse::parse_auto(text.as_bytes())
}

impl MerchantAuthentication {
    /// The credentials block of every request.
    pub fn new(login: impl Into<String>, transaction_key: &Secret<String>) -> Self {
        MerchantAuthentication {
            name: Some(login.into()),
            transaction_key: Some(transaction_key.clone()),
        }
    }
}

impl CreditCard {
    /// The wire form of a validated card (`YYYY-MM` expiry).
    pub fn from_domain(
        number: &CardNumber,
        expiry: &Expiry,
        code: Option<&CardCode>,
    ) -> CreditCard {
        CreditCard {
            card_number: SecretText::new(number.expose_digits()),
            expiration_date: expiry.to_xml(),
            card_code: code.map(|c| SecretText::new(c.expose())),
        }
    }

    /// `XXXX` + last four and `XXXX`: sent on update to keep the stored card.
    pub fn masked_for_update(last4: &str) -> CreditCard {
        CreditCard {
            card_number: SecretText::new(format!("XXXX{last4}")),
            expiration_date: "XXXX".into(),
            card_code: None,
        }
    }
}

/// A card as the domain validates it, read from a wire request (the sandbox
/// side, or a relay test).
#[derive(Debug, Clone)]
pub struct DomainCard {
    pub number: CardNumber,
    pub expiry: Expiry,
    pub code: Option<CardCode>,
}

impl TryFrom<&CreditCard> for DomainCard {
    type Error = ValidationError;

    /// Fails for masked values and for numbers/codes the domain rejects. The
    /// expiry is read without a date check (the gateway decides "expired").
    fn try_from(card: &CreditCard) -> Result<Self, Self::Error> {
        let number = CardNumber::parse(card.card_number.expose())?;
        let expiry = Expiry::parse_unchecked(&card.expiration_date)
            .ok_or_else(|| ValidationError::new(checkout_domain::Field::Expiry, "expiry.format"))?;
        let code = card
            .card_code
            .as_ref()
            .map(|c| CardCode::parse(c.expose(), number.brand()))
            .transpose()?;
        Ok(DomainCard {
            number,
            expiry,
            code,
        })
    }
}

/// What the relay keeps of a saved card (never the number).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedCard {
    pub payment_profile_id: NumericString,
    /// Last four digits, from `XXXX1111`.
    pub last4: String,
    /// `Visa`, `MasterCard`, … when the gateway says.
    pub card_type: Option<String>,
    pub bill_to: Option<CustomerAddress>,
}

/// Why a masked payment profile is not a saved card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SavedCardError {
    #[error("the payment profile holds no card")]
    NotACard,
    #[error("the masked card number is not XXXX followed by four digits")]
    BadMask,
}

impl TryFrom<&PaymentProfileMasked> for SavedCard {
    type Error = SavedCardError;

    fn try_from(p: &PaymentProfileMasked) -> Result<Self, Self::Error> {
        let card = p
            .payment
            .as_ref()
            .and_then(|pay| pay.credit_card.as_ref())
            .ok_or(SavedCardError::NotACard)?;
        let last4 = card
            .card_number
            .strip_prefix("XXXX")
            .ok_or(SavedCardError::BadMask)?;
        if last4.len() != 4 || !last4.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SavedCardError::BadMask);
        }
        Ok(SavedCard {
            payment_profile_id: p.customer_payment_profile_id.clone(),
            last4: last4.to_owned(),
            card_type: card.card_type.clone(),
            bill_to: p.bill_to.clone(),
        })
    }
}

impl CreateCustomerProfileTransactionResponse {
    /// The payment result, parsed with the AIM parser.
    pub fn direct(&self) -> Option<Result<AimResponse, AimParseError>> {
        self.direct_response.as_deref().map(parse_direct_response)
    }
}

impl ValidateCustomerPaymentProfileResponse {
    /// The validation result, parsed with the AIM parser.
    pub fn direct(&self) -> Option<Result<AimResponse, AimParseError>> {
        self.direct_response.as_deref().map(parse_direct_response)
    }
}

impl CreateCustomerPaymentProfileResponse {
    /// The validation result (testMode/liveMode only).
    pub fn validation(&self) -> Option<Result<AimResponse, AimParseError>> {
        self.validation_direct_response
            .as_deref()
            .map(parse_direct_response)
    }
}

impl UpdateCustomerPaymentProfileResponse {
    /// The validation result (testMode/liveMode only).
    pub fn validation(&self) -> Option<Result<AimResponse, AimParseError>> {
        self.validation_direct_response
            .as_deref()
            .map(parse_direct_response)
    }
}

impl CreateCustomerProfileResponse {
    /// One validation result per payment profile (testMode/liveMode only).
    pub fn validations(&self) -> Vec<Result<AimResponse, AimParseError>> {
        self.validation_direct_response_list
            .iter()
            .map(|s| parse_direct_response(s))
            .collect()
    }
}
