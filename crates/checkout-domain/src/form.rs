//! [`validate_card_form`]: the whole card form in one call.
//!
//! The widget calls it on submit and the relay calls it again on pay, with the
//! same [`CardFormPolicy`] (sent to the widget with the session), so the two
//! can never disagree about what is acceptable.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::address::{AddressRequirements, BillingAddress, BillingInput, validate_billing};
use crate::card::{Brand, CardNumber, check_aim};
use crate::card_code::{CardCode, CardCodePolicy, validate_card_code};
use crate::error::{Field, ValidationError};
use crate::expiry::{Expiry, YearMonth};

/// Which brands the merchant accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandPolicy {
    pub accepted: Vec<Brand>,
}

impl Default for BrandPolicy {
    /// Every brand we recognise (the gateway account decides the rest).
    fn default() -> Self {
        BrandPolicy {
            accepted: Brand::ALL.to_vec(),
        }
    }
}

impl BrandPolicy {
    pub fn accepts(&self, brand: Brand) -> bool {
        self.accepted.contains(&brand)
    }

    /// `card_number.brand_not_accepted` for a brand outside the list.
    pub fn check(&self, brand: Option<Brand>) -> Result<(), ValidationError> {
        match brand {
            Some(b) if self.accepts(b) => Ok(()),
            _ => Err(ValidationError::new(
                Field::CardNumber,
                "card_number.brand_not_accepted",
            )),
        }
    }
}

/// The merchant's settings for one checkout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardFormPolicy {
    pub card_code: CardCodePolicy,
    pub brands: BrandPolicy,
    pub address: AddressRequirements,
    /// Reject numbers AIM/CIM cannot take (outside 13–16 digits) with
    /// `card_number.unsupported_length`. On by default: the gateway is AIM.
    pub require_aim_length: bool,
}

impl Default for CardFormPolicy {
    fn default() -> Self {
        CardFormPolicy {
            card_code: CardCodePolicy::Required,
            brands: BrandPolicy::default(),
            address: AddressRequirements::default(),
            require_aim_length: true,
        }
    }
}

/// The card form as typed. Holds the raw card number and code, so: no serde,
/// and `Debug` redacts them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CardForm {
    pub number: String,
    pub expiry: String,
    pub card_code: String,
    pub billing: BillingInput,
}

impl fmt::Debug for CardForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardForm")
            .field("number", &"***")
            .field("expiry", &self.expiry)
            .field("card_code", &"***")
            .field("billing", &self.billing)
            .finish()
    }
}

/// A card that passed every check. `Debug` shows brand and last four only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCard {
    pub number: CardNumber,
    pub expiry: Expiry,
    pub card_code: Option<CardCode>,
    pub billing: BillingAddress,
}

/// Validates number, expiry, card code and billing address; returns every
/// field error (at most one per card field, in form order), never just the first.
pub fn validate_card_form(
    form: &CardForm,
    policy: &CardFormPolicy,
    today: YearMonth,
) -> Result<ValidCard, Vec<ValidationError>> {
    let mut errors = Vec::new();

    let number = CardNumber::parse(&form.number).and_then(|n| {
        policy.brands.check(n.brand())?;
        if policy.require_aim_length {
            check_aim(&n)?;
        }
        Ok(n)
    });
    // The card code length depends on the brand; if the number is not valid,
    // judge the code against the brand its prefix shows (as the widget does).
    let brand = match &number {
        Ok(n) => n.brand(),
        Err(_) => crate::card::detect_brand(&form.number),
    };
    let number = number.map_err(|e| errors.push(e)).ok();

    let expiry = Expiry::parse(&form.expiry, today)
        .map_err(|e| errors.push(e))
        .ok();
    let card_code = validate_card_code(&form.card_code, brand, policy.card_code)
        .map_err(|e| errors.push(e))
        .ok();
    let billing = validate_billing(&form.billing, &policy.address)
        .map_err(|e| errors.extend(e))
        .ok();

    match (number, expiry, card_code, billing) {
        (Some(number), Some(expiry), Some(card_code), Some(billing)) if errors.is_empty() => {
            Ok(ValidCard {
                number,
                expiry,
                card_code,
                billing,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser, the same tests run under wasm-bindgen-test.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const TODAY: YearMonth = YearMonth {
        year: 2026,
        month: 11,
    };

    fn form(number: &str, expiry: &str, code: &str) -> CardForm {
        CardForm {
            number: number.into(),
            expiry: expiry.into(),
            card_code: code.into(),
            billing: BillingInput {
                zip: "46282".into(),
                ..BillingInput::default()
            },
        }
    }

    fn codes(r: Result<ValidCard, Vec<ValidationError>>) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn sandbox_card_passes() {
        let r = validate_card_form(
            &form("4007000000027", "12/27", "123"),
            &CardFormPolicy::default(),
            TODAY,
        );
        let Ok(card) = r else {
            unreachable!("valid form")
        };
        assert_eq!(card.number.last4(), "0027");
        assert_eq!(card.expiry.to_aim(), "1227");
        assert_eq!(card.card_code.as_ref().map(CardCode::expose), Some("123"));
        assert_eq!(card.billing.zip.as_deref(), Some("46282"));
    }

    #[test]
    fn reports_every_field() {
        let mut f = form("4111111111111112", "10/26", "12");
        f.billing.email = "nope".into();
        assert_eq!(
            codes(validate_card_form(&f, &CardFormPolicy::default(), TODAY)),
            [
                "card_number.luhn",
                "expiry.past",
                "card_code.length",
                "email.format"
            ]
        );
    }

    #[test]
    fn amex_code_needs_four_digits_even_when_number_is_wrong() {
        let f = form("370000000000003", "12/27", "123");
        assert_eq!(
            codes(validate_card_form(&f, &CardFormPolicy::default(), TODAY)),
            ["card_number.luhn", "card_code.length"]
        );
    }

    #[test]
    fn policy_brand_aim_length_and_optional_code() {
        let mut policy = CardFormPolicy {
            brands: BrandPolicy {
                accepted: vec![Brand::Visa],
            },
            ..CardFormPolicy::default()
        };
        let amex = form("370000000000002", "12/27", "1234");
        assert_eq!(
            codes(validate_card_form(&amex, &policy, TODAY)),
            ["card_number.brand_not_accepted"]
        );
        let visa19 = form("4111111111111111110", "12/27", "123");
        assert!(CardNumber::parse(&visa19.number).is_ok());
        assert_eq!(
            codes(validate_card_form(&visa19, &policy, TODAY)),
            ["card_number.unsupported_length"]
        );
        policy.require_aim_length = false;
        assert!(validate_card_form(&visa19, &policy, TODAY).is_ok());
        policy.card_code = CardCodePolicy::Optional;
        let no_code = form("4111111111111111", "12/27", "");
        assert_eq!(
            validate_card_form(&no_code, &policy, TODAY).map(|c| c.card_code.is_none()),
            Ok(true)
        );
    }

    #[test]
    fn avs_requirements_apply() {
        let policy = CardFormPolicy {
            address: AddressRequirements {
                require_address: true,
                require_zip: true,
                require_name: false,
            },
            ..CardFormPolicy::default()
        };
        let f = form("4111111111111111", "12/27", "123");
        assert_eq!(
            codes(validate_card_form(&f, &policy, TODAY)),
            ["address.required"]
        );
    }

    #[test]
    fn debug_redacts() {
        let f = form("4111111111111111", "12/27", "987");
        let dbg = format!("{f:?}");
        assert!(
            !dbg.contains("4111111111111111") && !dbg.contains("987"),
            "{dbg}"
        );
        let Ok(card) = validate_card_form(&f, &CardFormPolicy::default(), TODAY) else {
            unreachable!("valid form")
        };
        let dbg = format!("{card:?}");
        assert!(
            !dbg.contains("4111111111111111") && !dbg.contains("987"),
            "{dbg}"
        );
        assert!(dbg.contains("****1111"), "{dbg}");
    }
}
