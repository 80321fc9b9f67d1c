//! Shopper-safe messages and blamed fields, by message code. The codes come
//! from `authnet_proto::aim::outcome` (without the `payment.` prefix) plus a
//! few of the relay's own. No gateway text ever reaches a shopper.

use checkout_api::FieldError;

/// The English message for a pay result code.
pub fn shopper_message(code: &str) -> &'static str {
    match code {
        "approved" => "Payment approved.",
        "approved.held_for_review" => "Your order has been received and is being reviewed.",
        "declined" => "Your card was declined. Please use a different card.",
        "declined.card_number" => "The card number was not accepted. Please check it.",
        "declined.card_not_accepted" => {
            "This type of card is not accepted. Please use a different card."
        }
        "declined.expiry_invalid" => "The expiration date was not accepted. Please check it.",
        "declined.expired" => "This card has expired. Please use a different card.",
        "declined.card_code" => "The security code does not match the card. Please check it.",
        "declined.address" => {
            "The billing address does not match the card's address. Please check it."
        }
        "declined.zip" => {
            "The ZIP code does not match the card's billing address. Please check it."
        }
        "declined.partially_approved" => {
            "The card could not cover the full amount. Please use a different card."
        }
        "declined.saved_card_unavailable" => {
            "This saved card is no longer available. Please use a different card."
        }
        "error.try_again" => "The payment could not be processed right now. Please try again.",
        "error.merchant_configuration" => {
            "The store cannot take card payments right now. Please contact the store."
        }
        "error.amount" => "The order amount could not be processed. Please contact the store.",
        "error.duplicate" => {
            "This payment looks like a repeat of one just made. Please check your order before trying again."
        }
        "error.uncertain" => {
            "We could not confirm your payment. Please do not pay again; the store will confirm your order."
        }
        _ => "The payment could not be completed. Please try again or use a different card.",
    }
}

/// The fields a result code blames, as the pay request names them.
pub fn blamed_fields(code: &str) -> Vec<FieldError> {
    let fields: &[(&str, &str, &str)] = match code {
        "declined.card_number" => &[(
            "card_number",
            "card_number.declined",
            "Check the card number.",
        )],
        "declined.expiry_invalid" | "declined.expired" => {
            &[("expiry", "expiry.declined", "Check the expiration date.")]
        }
        "declined.card_code" => &[(
            "card_code",
            "card_code.mismatch",
            "The security code does not match the card.",
        )],
        "declined.address" => &[(
            "billing.address",
            "address.mismatch",
            "The address does not match the card's billing address.",
        )],
        "declined.zip" => &[(
            "billing.zip",
            "zip.mismatch",
            "The ZIP code does not match the card's billing address.",
        )],
        _ => &[],
    };
    fields
        .iter()
        .map(|(f, c, m)| FieldError {
            field: (*f).to_owned(),
            code: (*c).to_owned(),
            message: (*m).to_owned(),
        })
        .collect()
}

/// The proto outcome table's key without its `payment.` prefix.
pub fn code_from_key(key: &str) -> String {
    key.strip_prefix("payment.").unwrap_or(key).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_decline_code_of_the_outcome_table_has_a_message_and_no_gateway_text() {
        for rule in authnet_proto::aim::outcome::RULES {
            let code = code_from_key(rule.message_key);
            let m = shopper_message(&code);
            assert!(!m.is_empty());
            assert!(!m.contains("reason"), "{code}: {m}");
        }
        for key in ["payment.declined.zip", "payment.declined"] {
            let code = code_from_key(key);
            assert_ne!(shopper_message(&code), shopper_message("nope"), "{code}");
        }
    }

    #[test]
    fn avs_and_card_code_declines_blame_their_fields() {
        assert_eq!(blamed_fields("declined.zip")[0].field, "billing.zip");
        assert_eq!(
            blamed_fields("declined.address")[0].field,
            "billing.address"
        );
        assert_eq!(blamed_fields("declined.card_code")[0].field, "card_code");
        assert!(blamed_fields("declined").is_empty());
    }
}
