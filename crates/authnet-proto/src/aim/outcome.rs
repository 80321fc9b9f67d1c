//! The one table from a gateway result (response code, reason code, AVS and
//! card-code results) to what the relay does with it. A decline is data
//! (`Outcome::Declined`), not an error: `Err` is for "we could not find out".
//!
//! To change how a reason code is treated, edit [`RULES`] (first matching row
//! wins) and its tests below.

use rust_decimal::Decimal;

use super::codes::{AvsResult, CardCodeResult, ResponseCode};
use super::response::AimResponse;

/// Which shopper-entered field a decline points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlameField {
    CardNumber,
    Expiry,
    CardCode,
    Address,
    Zip,
}

/// Partial authorisation details (reason 295).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialApproval {
    pub approved_amount: Option<Decimal>,
    pub requested_amount: Option<Decimal>,
    pub split_tender_id: String,
}

/// What a gateway result means for the checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Money is authorised (and captured for AUTH_CAPTURE). Includes 310/311
    /// ("already voided/captured", response code 1, trans id 0).
    Approved {
        reason_code: u16,
        trans_id: String,
        auth_code: String,
        avs: Option<AvsResult>,
        card_code: Option<CardCodeResult>,
        /// `Some` on a partial approval (295): only part of the amount was
        /// approved; the relay never asks for partial auth, so treat as a decline
        /// to void if it ever appears.
        partial: Option<PartialApproval>,
        message_key: &'static str,
    },
    /// The card was refused. Not retryable as is.
    Declined {
        blame: Option<BlameField>,
        reason_code: u16,
        trans_id: String,
        message_key: &'static str,
    },
    /// The request could not be processed.
    Error {
        retryable: bool,
        reason_code: u16,
        message_key: &'static str,
    },
    /// Accepted but held (fraud review, 193/252/253).
    HeldForReview {
        reason_code: u16,
        trans_id: String,
        message_key: &'static str,
    },
}

impl Outcome {
    pub fn message_key(&self) -> &'static str {
        match self {
            Outcome::Approved { message_key, .. }
            | Outcome::Declined { message_key, .. }
            | Outcome::Error { message_key, .. }
            | Outcome::HeldForReview { message_key, .. } => message_key,
        }
    }

    pub fn is_approved(&self) -> bool {
        matches!(self, Outcome::Approved { partial: None, .. })
    }
}

/// What a table row decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Approved,
    Declined(Blame),
    Error { retryable: bool },
    Held,
}

/// How blame is assigned for a decline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blame {
    None,
    Field(BlameField),
    /// Address or ZIP, decided by the AVS letter.
    FromAvs,
    /// AVS and card code both filtered (45): AVS letter if it failed, else card code.
    AvsOrCardCode,
}

/// One row: which reason codes (inclusive ranges), for which response code
/// (`None` = any), and the decision with its shopper-safe message key.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub reasons: &'static [(u16, u16)],
    pub response_code: Option<u8>,
    pub kind: Kind,
    pub message_key: &'static str,
}

const fn rule(reasons: &'static [(u16, u16)], kind: Kind, message_key: &'static str) -> Rule {
    Rule {
        reasons,
        response_code: None,
        kind,
        message_key,
    }
}

use Blame as B;
use BlameField as F;

/// The table. First match wins; rows with a response code come before the
/// catch-alls at the bottom.
pub const RULES: &[Rule] = &[
    // Approved, including "already voided/captured" (code 1).
    rule(&[(1, 1), (307, 311)], Kind::Approved, "payment.approved"),
    // Partial approval (code 4, reason 295): handled specially (Approved + partial).
    rule(&[(295, 295)], Kind::Approved, "payment.partially_approved"),
    // Held for review.
    rule(
        &[(193, 193), (252, 253)],
        Kind::Held,
        "payment.held_for_review",
    ),
    // Card number.
    rule(
        &[(6, 6), (37, 37), (315, 315)],
        Kind::Declined(B::Field(F::CardNumber)),
        "payment.declined.card_number",
    ),
    rule(
        &[(17, 17), (28, 28)],
        Kind::Declined(B::Field(F::CardNumber)),
        "payment.declined.card_not_accepted",
    ),
    // Expiry.
    rule(
        &[(7, 7), (316, 316)],
        Kind::Declined(B::Field(F::Expiry)),
        "payment.declined.expiry_invalid",
    ),
    rule(
        &[(8, 8), (317, 317)],
        Kind::Declined(B::Field(F::Expiry)),
        "payment.declined.expired",
    ),
    // Card code.
    rule(
        &[(44, 44), (65, 65), (78, 78), (165, 165)],
        Kind::Declined(B::Field(F::CardCode)),
        "payment.declined.card_code",
    ),
    // AVS.
    rule(
        &[(27, 27), (127, 127)],
        Kind::Declined(B::FromAvs),
        "payment.declined.address",
    ),
    rule(
        &[(45, 45), (145, 145)],
        Kind::Declined(B::AvsOrCardCode),
        "payment.declined.address",
    ),
    // Generic issuer / fraud declines.
    rule(
        &[
            (2, 4),
            (41, 41),
            (141, 141),
            (200, 224),
            (250, 251),
            (254, 254),
        ],
        Kind::Declined(B::None),
        "payment.declined",
    ),
    // Duplicate: the first attempt's result stands; not retryable as is.
    rule(
        &[(11, 11), (318, 318)],
        Kind::Error { retryable: false },
        "payment.error.duplicate",
    ),
    // Transient gateway/processor trouble.
    rule(
        &[
            (19, 26),
            (35, 35),
            (57, 63),
            (120, 122),
            (180, 181),
            (261, 261),
        ],
        Kind::Error { retryable: true },
        "payment.error.try_again",
    ),
    // Merchant configuration / credentials: not the shopper's fault, not retryable.
    rule(
        &[
            (13, 13),
            (14, 14),
            (18, 18),
            (24, 24),
            (29, 34),
            (38, 38),
            (40, 40),
            (43, 43),
            (56, 56),
            (66, 67),
            (103, 103),
            (123, 123),
            (128, 132),
            (170, 174),
            (288, 290),
        ],
        Kind::Error { retryable: false },
        "payment.error.merchant_configuration",
    ),
    // Amount problems.
    rule(
        &[(5, 5), (49, 49)],
        Kind::Error { retryable: false },
        "payment.error.amount",
    ),
];

/// The decision row for a reason code.
pub fn rule_for(reason_code: u16) -> Option<&'static Rule> {
    RULES.iter().find(|r| {
        r.reasons
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&reason_code))
    })
}

/// Classifies a parsed response.
pub fn classify(resp: &AimResponse) -> Outcome {
    classify_parts(
        resp.response_code,
        resp.reason_code,
        resp.avs_result.as_ref(),
        resp.card_code_result.as_ref(),
        resp,
    )
}

fn classify_parts(
    code: ResponseCode,
    reason: u16,
    avs: Option<&AvsResult>,
    card_code: Option<&CardCodeResult>,
    resp: &AimResponse,
) -> Outcome {
    let row = rule_for(reason);
    let trans_id = resp.trans_id.clone();
    // The response code is authoritative for the family; the row refines it.
    match (code, row.map(|r| r.kind)) {
        (ResponseCode::Approved, _) => Outcome::Approved {
            reason_code: reason,
            trans_id,
            auth_code: resp.auth_code.clone(),
            avs: avs.cloned(),
            card_code: card_code.cloned(),
            partial: None,
            message_key: "payment.approved",
        },
        (ResponseCode::HeldForReview, _) if reason == 295 => Outcome::Approved {
            reason_code: reason,
            trans_id,
            auth_code: resp.auth_code.clone(),
            avs: avs.cloned(),
            card_code: card_code.cloned(),
            partial: Some(PartialApproval {
                approved_amount: resp.amount,
                requested_amount: resp.requested_amount,
                split_tender_id: resp.split_tender_id.clone(),
            }),
            message_key: "payment.partially_approved",
        },
        (ResponseCode::HeldForReview, _) => Outcome::HeldForReview {
            reason_code: reason,
            trans_id,
            message_key: "payment.held_for_review",
        },
        (ResponseCode::Declined, kind) | (ResponseCode::Error, kind @ Some(Kind::Declined(_))) => {
            let (blame, key) = match (kind, row) {
                (Some(Kind::Declined(b)), Some(r)) => {
                    (resolve_blame(b, avs, card_code), r.message_key)
                }
                _ => (None, "payment.declined"),
            };
            let key = match blame {
                Some(BlameField::Zip) => "payment.declined.zip",
                _ => key,
            };
            Outcome::Declined {
                blame,
                reason_code: reason,
                trans_id,
                message_key: key,
            }
        }
        (ResponseCode::Error, Some(Kind::Error { retryable })) => Outcome::Error {
            retryable,
            reason_code: reason,
            message_key: row.map(|r| r.message_key).unwrap_or("payment.error"),
        },
        (ResponseCode::Error, _) => Outcome::Error {
            retryable: false,
            reason_code: reason,
            message_key: "payment.error",
        },
    }
}

fn resolve_blame(
    b: Blame,
    avs: Option<&AvsResult>,
    card_code: Option<&CardCodeResult>,
) -> Option<BlameField> {
    let from_avs = |a: &AvsResult| {
        if a.zip_mismatch() && !a.address_mismatch() {
            Some(BlameField::Zip)
        } else if a.address_mismatch() || matches!(a, AvsResult::Error | AvsResult::Retry) {
            Some(BlameField::Address)
        } else {
            None
        }
    };
    match b {
        Blame::None => None,
        Blame::Field(f) => Some(f),
        Blame::FromAvs => Some(avs.and_then(from_avs).unwrap_or(BlameField::Address)),
        Blame::AvsOrCardCode => avs.and_then(from_avs).or(match card_code {
            Some(CardCodeResult::NoMatch | CardCodeResult::ShouldBePresent) => {
                Some(BlameField::CardCode)
            }
            _ => Some(BlameField::Address),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn resp(code: ResponseCode, reason: u16, avs: &str, cvv: &str) -> AimResponse {
        let mut r = AimResponse::new(code, reason, "");
        r.avs_result = AvsResult::parse(avs);
        r.card_code_result = CardCodeResult::parse(cvv);
        r.trans_id = "2170001234".into();
        r
    }

    fn blame(code: ResponseCode, reason: u16, avs: &str, cvv: &str) -> Option<BlameField> {
        match classify(&resp(code, reason, avs, cvv)) {
            Outcome::Declined { blame, .. } => blame,
            other => panic!("expected decline, got {other:?}"),
        }
    }

    #[test]
    fn approvals_including_already_actioned() {
        for reason in [1, 310, 311] {
            assert!(classify(&resp(ResponseCode::Approved, reason, "Y", "M")).is_approved());
        }
    }

    #[test]
    fn partial_approval_is_not_a_full_approval() {
        let o = classify(&resp(ResponseCode::HeldForReview, 295, "", ""));
        assert!(matches!(
            o,
            Outcome::Approved {
                partial: Some(_),
                ..
            }
        ));
        assert!(!o.is_approved());
    }

    #[test]
    fn held_for_review_family() {
        for reason in [193, 252, 253] {
            assert!(matches!(
                classify(&resp(ResponseCode::HeldForReview, reason, "", "")),
                Outcome::HeldForReview { .. }
            ));
        }
    }

    #[test]
    fn generic_declines_blame_nobody() {
        for reason in [2, 3, 4, 41, 200, 224, 250, 251, 254] {
            assert_eq!(
                blame(ResponseCode::Declined, reason, "Y", ""),
                None,
                "reason {reason}"
            );
        }
    }

    #[test]
    fn card_number_family() {
        assert_eq!(
            blame(ResponseCode::Error, 6, "P", ""),
            Some(BlameField::CardNumber)
        );
        assert_eq!(
            blame(ResponseCode::Declined, 37, "P", ""),
            Some(BlameField::CardNumber)
        );
        assert_eq!(
            blame(ResponseCode::Declined, 315, "P", ""),
            Some(BlameField::CardNumber)
        );
        assert_eq!(
            blame(ResponseCode::Error, 17, "P", ""),
            Some(BlameField::CardNumber)
        );
    }

    #[test]
    fn expiry_family() {
        assert_eq!(
            blame(ResponseCode::Error, 7, "P", ""),
            Some(BlameField::Expiry)
        );
        assert_eq!(
            blame(ResponseCode::Error, 8, "P", ""),
            Some(BlameField::Expiry)
        );
        assert_eq!(
            blame(ResponseCode::Declined, 317, "P", ""),
            Some(BlameField::Expiry)
        );
    }

    #[test]
    fn card_code_family() {
        for reason in [44, 65, 165] {
            assert_eq!(
                blame(ResponseCode::Declined, reason, "Y", "N"),
                Some(BlameField::CardCode)
            );
        }
        assert_eq!(
            blame(ResponseCode::Error, 78, "P", ""),
            Some(BlameField::CardCode)
        );
    }

    #[test]
    fn avs_family_picks_address_or_zip() {
        assert_eq!(
            blame(ResponseCode::Declined, 27, "A", ""),
            Some(BlameField::Zip)
        );
        assert_eq!(
            blame(ResponseCode::Declined, 27, "Z", ""),
            Some(BlameField::Address)
        );
        assert_eq!(
            blame(ResponseCode::Declined, 27, "W", ""),
            Some(BlameField::Address)
        );
        assert_eq!(
            blame(ResponseCode::Declined, 27, "N", ""),
            Some(BlameField::Address)
        );
        assert_eq!(
            blame(ResponseCode::Declined, 45, "Y", "N"),
            Some(BlameField::CardCode)
        );
        assert_eq!(
            blame(ResponseCode::Declined, 45, "A", "N"),
            Some(BlameField::Zip)
        );
        let o = classify(&resp(ResponseCode::Declined, 27, "A", ""));
        assert_eq!(o.message_key(), "payment.declined.zip");
    }

    #[test]
    fn errors_retryable_or_not() {
        let retry = |reason| match classify(&resp(ResponseCode::Error, reason, "P", "")) {
            Outcome::Error { retryable, .. } => retryable,
            other => panic!("expected error, got {other:?}"),
        };
        for reason in [19, 20, 25, 26, 57, 63, 120, 180, 261] {
            assert!(retry(reason), "reason {reason}");
        }
        for reason in [5, 11, 13, 15, 16, 33, 47, 54, 68, 69, 70, 271, 9999] {
            assert!(!retry(reason), "reason {reason}");
        }
    }

    #[test]
    fn decline_is_ok_data_with_message_keys() {
        let o = classify(&resp(ResponseCode::Declined, 2, "Y", ""));
        assert_eq!(o.message_key(), "payment.declined");
        let o = classify(&resp(ResponseCode::Error, 11, "P", ""));
        assert_eq!(o.message_key(), "payment.error.duplicate");
        let o = classify(&resp(ResponseCode::Error, 13, "P", ""));
        assert_eq!(o.message_key(), "payment.error.merchant_configuration");
    }
}
