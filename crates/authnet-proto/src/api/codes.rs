//! The XML API's message codes (fact sheet §5.3) with the gateway's texts.

/// `(code, text)` for every message code of §5.3, in code order.
pub const MESSAGE_CODES: &[(&str, &str)] = &[
    ("I00001", "Successful."),
    ("I00003", "The record has already been deleted."),
    ("I00004", "No records found."),
    (
        "E00001",
        "An error occurred during processing. Please try again.",
    ),
    ("E00002", "The content-type specified is not supported."),
    ("E00003", "An error occurred while parsing the XML request."),
    ("E00004", "The name of the requested API method is invalid."),
    (
        "E00005",
        "The transaction key or API key is invalid or not present.",
    ),
    ("E00006", "The API user name is invalid or not present."),
    (
        "E00007",
        "User authentication failed due to invalid authentication values.",
    ),
    (
        "E00008",
        "User authentication failed. The account or API user is inactive.",
    ),
    (
        "E00009",
        "The payment gateway account is in Test Mode. The request cannot be processed.",
    ),
    (
        "E00010",
        "User authentication failed. You do not have the appropriate permissions.",
    ),
    (
        "E00011",
        "Access denied. You do not have the appropriate permissions.",
    ),
    ("E00012", "A duplicate subscription already exists."),
    ("E00013", "The field is invalid."),
    ("E00014", "A required field is not present."),
    ("E00015", "The field length is invalid."),
    ("E00016", "The field type is invalid."),
    ("E00017", "The start date cannot occur in the past."),
    (
        "E00018",
        "The credit card expires before the subscription start date.",
    ),
    (
        "E00019",
        "The customer tax id or drivers license information is required.",
    ),
    (
        "E00020",
        "The payment gateway account is not enabled for eCheck.Net subscriptions.",
    ),
    (
        "E00021",
        "The payment gateway account is not enabled for credit card subscriptions.",
    ),
    (
        "E00022",
        "The interval length cannot exceed 365 days or 12 months.",
    ),
    (
        "E00023",
        "The subscription duration cannot exceed three years.",
    ),
    (
        "E00024",
        "Trial Occurrences is required when Trial Amount is specified.",
    ),
    ("E00025", "Automated Recurring Billing is not enabled."),
    (
        "E00026",
        "Both Trial Amount and Trial Occurrences are required.",
    ),
    ("E00027", "The transaction was unsuccessful."),
    (
        "E00028",
        "Trial Occurrences must be less than Total Occurrences.",
    ),
    ("E00029", "Payment information is required."),
    ("E00030", "The payment schedule is required."),
    ("E00031", "The amount is required."),
    ("E00032", "The start date is required."),
    ("E00033", "The start date cannot be changed."),
    ("E00034", "The interval information cannot be changed."),
    ("E00035", "The subscription cannot be found."),
    ("E00036", "The payment type cannot be changed."),
    ("E00037", "The subscription cannot be updated."),
    ("E00038", "The subscription cannot be canceled."),
    ("E00039", "A duplicate record already exists."),
    ("E00040", "The record cannot be found."),
    ("E00041", "One or more fields must contain a value."),
    ("E00042", "You cannot add more than {0} payment profiles."),
    ("E00043", "You cannot add more than {0} shipping addresses."),
    ("E00044", "Customer Information Manager is not enabled."),
    (
        "E00045",
        "The root node does not reference a valid XML namespace.",
    ),
    (
        "E00051",
        "The original transaction was not issued for this payment profile.",
    ),
    ("E00053", "Server too busy"),
];

/// The gateway's text for a message code.
pub fn message_text(code: &str) -> Option<&'static str> {
    MESSAGE_CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, t)| *t)
}

pub const I00001: &str = "I00001";
pub const I00003: &str = "I00003";
pub const E00001: &str = "E00001";
pub const E00002: &str = "E00002";
pub const E00003: &str = "E00003";
pub const E00004: &str = "E00004";
pub const E00005: &str = "E00005";
pub const E00006: &str = "E00006";
pub const E00007: &str = "E00007";
pub const E00013: &str = "E00013";
pub const E00014: &str = "E00014";
pub const E00015: &str = "E00015";
pub const E00027: &str = "E00027";
pub const E00029: &str = "E00029";
pub const E00039: &str = "E00039";
pub const E00040: &str = "E00040";
pub const E00041: &str = "E00041";
pub const E00042: &str = "E00042";
pub const E00043: &str = "E00043";
pub const E00045: &str = "E00045";
pub const E00051: &str = "E00051";
