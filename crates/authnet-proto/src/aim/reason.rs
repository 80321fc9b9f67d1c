//! Response reason codes (§3.5 of the fact sheet): the response code that
//! accompanies each reason and the text the gateway returns (the later wording
//! where one is listed, otherwise the 2009 guide's).

/// One row of the reason table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonInfo {
    pub reason_code: u16,
    /// `1` approved, `2` declined, `3` error, `4` held for review (`0` unknown).
    pub response_code: u8,
    /// Gateway text. Placeholders (`%1`, `%s`) are kept; see [`reason_text`].
    pub text: &'static str,
}

/// Looks up a reason code.
pub fn reason(code: u16) -> Option<ReasonInfo> {
    REASONS
        .binary_search_by_key(&code, |r| r.0)
        .ok()
        .and_then(|i| REASONS.get(i))
        .map(|&(reason_code, response_code, text)| ReasonInfo {
            reason_code,
            response_code,
            text,
        })
}

/// The text the gateway sends for `code`, with the placeholders filled in
/// (`%1` of 271 is the 30-item limit; `%s` of 33 and `%1` of 270 take `detail`).
/// Unknown codes give `"Unknown Error."`.
pub fn reason_text(code: u16, detail: &str) -> String {
    let Some(info) = reason(code) else {
        return "Unknown Error.".to_owned();
    };
    match code {
        271 => info.text.replace("%1", "30"),
        270 => info.text.replace("%1", detail),
        33 => info.text.replace("%s", detail),
        _ => info.text.to_owned(),
    }
}

/// The response code that accompanies `code` (3 for unknown codes).
pub fn response_code_for(code: u16) -> u8 {
    match reason(code) {
        Some(info) if info.response_code != 0 => info.response_code,
        _ => 3,
    }
}

// @generated from gateway-protocol.md §3.5 by a one-off script; edit by hand.
pub(crate) const REASONS: &[(u16, u8, &str)] = &[
    (0, 0, "Unknown Error."),
    (1, 1, "This transaction has been approved."),
    (2, 2, "This transaction has been declined."),
    (3, 2, "This transaction has been declined."),
    (4, 2, "This transaction has been declined."),
    (5, 3, "A valid amount is required."),
    (6, 3, "The credit card number is invalid."),
    (7, 3, "Credit card expiration date is invalid."),
    (8, 3, "The credit card has expired."),
    (9, 3, "The ABA code is invalid."),
    (10, 3, "The account number is invalid."),
    (11, 3, "A duplicate transaction has been submitted."),
    (12, 3, "An authorization code is required but not present."),
    (
        13,
        3,
        "The merchant login ID or password is invalid or the account is inactive.",
    ),
    (
        14,
        3,
        "The referrer, relay response or receipt link URL is invalid.",
    ),
    (15, 3, "The transaction ID is invalid or not present."),
    (16, 3, "The transaction cannot be found."),
    (
        17,
        3,
        "The merchant does not accept this type of credit card.",
    ),
    (18, 3, "ACH transactions are not accepted by this merchant."),
    (
        19,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        20,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        21,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        22,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        23,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        24,
        3,
        "The Elavon bank number or terminal ID is incorrect. Call Merchant Service Provider.",
    ),
    (
        25,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        26,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        27,
        2,
        "The transaction has been declined because of an AVS mismatch. The address provided does not match billing address of cardholder.",
    ),
    (
        28,
        2,
        "The merchant does not accept this type of credit card.",
    ),
    (
        29,
        2,
        "The Paymentech identification numbers are incorrect. Call Merchant Service Provider.",
    ),
    (
        30,
        2,
        "The configuration with processor is invalid. Call Merchant Service Provider.",
    ),
    (
        31,
        2,
        "The FDC Merchant ID or Terminal ID is incorrect. Call Merchant Service Provider.",
    ),
    (32, 3, "The merchant password is invalid or not present."),
    (33, 3, "%s cannot be left blank."),
    (
        34,
        2,
        "The VITAL identification numbers are incorrect. Call Merchant Service Provider.",
    ),
    (
        35,
        2,
        "An error occurred during processing. Call Merchant Service Provider.",
    ),
    (
        36,
        3,
        "The authorization was approved but settlement failed.",
    ),
    (37, 2, "The credit card number is invalid."),
    (
        38,
        2,
        "The Global Payment System identification numbers are incorrect. Call Merchant Service Provider.",
    ),
    (
        39,
        3,
        "The supplied currency code is either invalid, not supported, not allowed for this merchant or doesn't have an exchange rate.",
    ),
    (40, 3, "This transaction must be encrypted."),
    (41, 2, "This transaction has been declined."),
    (
        42,
        3,
        "There is missing or invalid information in a required field.",
    ),
    (
        43,
        3,
        "The merchant was incorrectly set up at the processor. Call Merchant Service Provider.",
    ),
    (44, 2, "This transaction has been declined."),
    (45, 2, "This transaction has been declined."),
    (
        46,
        3,
        "Your session has expired or does not exist. You must log in again to continue working.",
    ),
    (
        47,
        3,
        "The amount requested for settlement cannot be greater than the original amount authorized.",
    ),
    (48, 3, "This processor does not accept partial reversals."),
    (
        49,
        3,
        "The transaction amount submitted was greater than the maximum amount allowed.",
    ),
    (
        50,
        3,
        "This transaction is awaiting settlement and cannot be refunded.",
    ),
    (
        51,
        3,
        "The sum of all credits against this transaction is greater than the original transaction amount.",
    ),
    (
        52,
        3,
        "The transaction was authorized but the client could not be notified; it will not be settled.",
    ),
    (
        53,
        3,
        "The transaction type is invalid for ACH transactions.",
    ),
    (
        54,
        3,
        "The referenced transaction does not meet the criteria for issuing a credit.",
    ),
    (
        55,
        3,
        "The sum of credits against the referenced transaction would exceed original debit amount.",
    ),
    (
        56,
        3,
        "Credit card transactions are not accepted by this merchant.",
    ),
    (
        57,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        58,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        59,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        60,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        61,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        62,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        63,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (64, 3, "The referenced transaction was not approved."),
    (65, 2, "This transaction has been declined."),
    (66, 3, "This transaction cannot be accepted for processing."),
    (
        67,
        3,
        "The given transaction type is not supported for this merchant.",
    ),
    (68, 3, "The version parameter is invalid."),
    (69, 3, "The transaction type is invalid."),
    (70, 3, "The transaction method is invalid."),
    (71, 3, "The bank account type is invalid."),
    (72, 3, "The authorization code is invalid."),
    (73, 3, "The drivers license date of birth is invalid."),
    (74, 3, "The duty amount is invalid."),
    (75, 3, "The freight amount is invalid."),
    (76, 3, "The tax amount is invalid."),
    (77, 3, "The SSN or tax ID is invalid."),
    (78, 3, "The card code is invalid."),
    (79, 3, "The drivers license number is invalid."),
    (80, 3, "The drivers license state is invalid."),
    (81, 3, "The requested form type is invalid."),
    (82, 3, "Scripts are only supported in version 2.5."),
    (
        83,
        3,
        "The requested script is either invalid or no longer supported.",
    ),
    (84, 3, "The device type is invalid or missing."),
    (85, 3, "The market type is invalid"),
    (86, 3, "The Response Format is invalid"),
    (
        87,
        3,
        "Transactions of this market type cannot be processed on this system.",
    ),
    (88, 3, "Track1 data is not in a valid format."),
    (89, 3, "Track2 data is not in a valid format."),
    (90, 3, "ACH transactions cannot be accepted by this system."),
    (91, 3, "Version 2.5 is no longer supported."),
    (
        92,
        3,
        "The gateway no longer supports the requested method of integration.",
    ),
    (93, 3, "A valid country is required."),
    (94, 3, "The shipping state or country is invalid."),
    (95, 3, "A valid state is required."),
    (97, 3, "This transaction cannot be accepted."),
    (98, 3, "This transaction cannot be accepted."),
    (99, 3, "This transaction cannot be accepted."),
    (100, 3, "The eCheck type parameter is invalid."),
    (
        101,
        3,
        "The given name on the account and/or the account type does not match the actual account.",
    ),
    (102, 3, "This request cannot be accepted."),
    (103, 3, "This transaction cannot be accepted."),
    (104, 3, "The transaction is currently under review."),
    (105, 3, "The transaction is currently under review."),
    (106, 3, "The transaction is currently under review."),
    (107, 3, "The transaction is currently under review."),
    (108, 3, "The transaction is currently under review."),
    (109, 3, "The transaction is currently under review."),
    (110, 3, "The transaction is currently under review."),
    (111, 3, "A valid billing country is required."),
    (112, 3, "A valid billing state/province is required."),
    (
        114,
        3,
        "The merchant account is in test mode. This automated payment will not be processed.",
    ),
    (
        115,
        3,
        "The merchant account is not active. This automated payment will not be processed.",
    ),
    (116, 3, "The authentication indicator is invalid."),
    (117, 3, "The cardholder authentication value is invalid."),
    (
        118,
        3,
        "The combination of card type, authentication indicator and cardholder authentication value is invalid.",
    ),
    (
        119,
        3,
        "Transactions having cardholder authentication values cannot be marked as recurring.",
    ),
    (
        120,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        121,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        122,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        123,
        3,
        "This account has not been given the permission(s) required for this request.",
    ),
    (
        124,
        3,
        "This processor does not accept recurring transactions.",
    ),
    (
        127,
        2,
        "The transaction resulted in an AVS mismatch. The address provided does not match billing address of cardholder.",
    ),
    (128, 3, "This transaction cannot be processed."),
    (130, 3, "This merchant account has been closed."),
    (131, 3, "This transaction cannot be accepted at this time."),
    (132, 3, "This transaction cannot be accepted at this time."),
    (141, 2, "This transaction has been declined."),
    (145, 2, "This transaction has been declined."),
    (
        152,
        3,
        "The transaction was authorized but the client could not be notified; it will not be settled.",
    ),
    (165, 2, "This transaction has been declined."),
    (
        170,
        3,
        "An error occurred during processing. Please contact the merchant.",
    ),
    (
        171,
        2,
        "An error occurred during processing. Please contact the merchant.",
    ),
    (
        172,
        2,
        "An error occurred during processing. Please contact the merchant.",
    ),
    (
        173,
        3,
        "An error occurred during processing. Please contact the merchant.",
    ),
    (
        174,
        2,
        "The transaction type is invalid. Please contact the merchant.",
    ),
    (175, 3, "This processor does not allow voiding of credits."),
    (
        180,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (
        181,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (185, 3, "This transaction cannot be processed."),
    (193, 4, "The transaction is currently under review."),
    (200, 2, "This transaction has been declined."),
    (201, 2, "This transaction has been declined."),
    (202, 2, "This transaction has been declined."),
    (203, 2, "This transaction has been declined."),
    (204, 2, "This transaction has been declined."),
    (205, 2, "This transaction has been declined."),
    (206, 2, "This transaction has been declined."),
    (207, 2, "This transaction has been declined."),
    (208, 2, "This transaction has been declined."),
    (209, 2, "This transaction has been declined."),
    (210, 2, "This transaction has been declined."),
    (211, 2, "This transaction has been declined."),
    (212, 2, "This transaction has been declined."),
    (213, 2, "This transaction has been declined."),
    (214, 2, "This transaction has been declined."),
    (215, 2, "This transaction has been declined."),
    (216, 2, "This transaction has been declined."),
    (217, 2, "This transaction has been declined."),
    (218, 2, "This transaction has been declined."),
    (219, 2, "This transaction has been declined."),
    (220, 2, "This transaction has been declined."),
    (221, 2, "This transaction has been declined."),
    (222, 2, "This transaction has been declined."),
    (223, 2, "This transaction has been declined."),
    (224, 2, "This transaction has been declined."),
    (
        243,
        3,
        "Recurring billing is not allowed for this eCheck.Net type.",
    ),
    (
        244,
        3,
        "This eCheck.Net type is not allowed for this Bank Account Type.",
    ),
    (
        245,
        3,
        "This eCheck.Net type is not allowed when using the payment gateway hosted payment form.",
    ),
    (246, 3, "This eCheck.Net type is not allowed."),
    (247, 3, "This eCheck.Net type is not allowed."),
    (248, 3, "The check number is invalid."),
    (250, 2, "This transaction has been declined."),
    (251, 2, "This transaction has been declined."),
    (
        252,
        4,
        "Your order has been received. Thank you for your business!",
    ),
    (
        253,
        4,
        "Your order has been received. Thank you for your business!",
    ),
    (254, 2, "This transaction has been declined."),
    (
        261,
        3,
        "An error occurred during processing. Please try again.",
    ),
    (270, 3, "Line item %1 is invalid."),
    (
        271,
        3,
        "The number of line items submitted is not allowed. A maximum of %1 line items can be submitted.",
    ),
    (288, 3, "This transaction cannot be accepted."),
    (
        289,
        3,
        "This processor does not accept zero dollar authorization for this card type.",
    ),
    (
        290,
        3,
        "There is one or more missing or invalid required fields.",
    ),
    (
        295,
        4,
        "The amount of this request was only partially approved on the given prepaid card. An additional payment is required to fulfill the balance of this transaction.",
    ),
    (296, 3, "The specified SplitTenderID is invalid."),
    (
        297,
        3,
        "Transaction ID and Split Tender ID cannot both be used in the same request.",
    ),
    (
        298,
        3,
        "This order has already been released or voided therefore new transaction associations cannot be accepted.",
    ),
    (300, 3, "The device ID is invalid."),
    (301, 3, "The device batch ID is invalid."),
    (302, 3, "The reversal flag is invalid."),
    (303, 3, "The device batch is full. Please close the batch."),
    (304, 3, "The original transaction is in a closed batch."),
    (305, 3, "The merchant is configured for auto-close."),
    (306, 3, "The batch is already closed."),
    (307, 1, "The reversal was processed successfully."),
    (308, 1, "Original transaction for reversal not found."),
    (309, 3, "The device has been disabled."),
    (310, 1, "This transaction has already been voided."),
    (311, 1, "This transaction has already been captured."),
    (315, 2, "The credit card number is invalid."),
    (316, 2, "Credit card expiration date is invalid."),
    (317, 2, "The credit card has expired."),
    (318, 2, "A duplicate transaction has been submitted."),
    (319, 2, "The transaction cannot be found."),
];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(REASONS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn later_wording_is_used() {
        assert_eq!(
            reason_text(13, ""),
            "The merchant login ID or password is invalid or the account is inactive."
        );
        assert_eq!(
            reason_text(7, ""),
            "Credit card expiration date is invalid."
        );
        assert_eq!(response_code_for(310), 1);
        assert_eq!(response_code_for(27), 2);
        assert_eq!(response_code_for(193), 4);
        assert_eq!(response_code_for(9999), 3);
    }

    #[test]
    fn placeholders_are_filled() {
        assert!(reason_text(271, "").contains("maximum of 30 line items"));
        assert_eq!(reason_text(270, "3"), "Line item 3 is invalid.");
        assert_eq!(reason_text(33, "x_zip"), "x_zip cannot be left blank.");
    }
}
