//! What a gateway answer means, and how an uncertain one is resolved.
//!
//! Resolution: when a request was sent and no answer came back, the relay
//! resends the *identical* request (same invoice, amount, card, customer,
//! `x_duplicate_window`). If the first one was processed, the gateway answers
//! reason 11 with the original transaction's id (and auth code when it was
//! approved): that is the original outcome, and no second charge is made.
//! If the first one never arrived, the resend is simply processed.

use std::future::Future;
use std::time::Duration;

use authnet_proto::aim::{AimResponse, Outcome, TransactionType, classify};

use super::messages::code_from_key;
use crate::AppState;
use crate::gateway::GatewayError;
use crate::storage::AttemptResult;

/// A gateway answer: an AIM response (also CIM's `directResponse`), or a
/// CIM error that carries no payment result.
#[derive(Debug, Clone)]
pub enum Answer {
    Aim(Box<AimResponse>),
    Cim { code: String, text: String },
}

/// What the relay does with an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approved {
        trans_id: String,
        auth_code: String,
        avs: Option<String>,
        card_code: Option<String>,
        reason: u16,
    },
    Declined {
        /// Result code, e.g. `declined.zip`.
        code: String,
        reason: u16,
        trans_id: String,
    },
    Error {
        code: String,
        retryable: bool,
        reason: u16,
        /// The gateway's own text, for the merchant API and logs only.
        gateway_text: String,
    },
    Held {
        trans_id: String,
        reason: u16,
    },
    /// Partial approval (we never ask for it): to be voided.
    Partial {
        trans_id: String,
    },
}

impl Decision {
    pub fn state(&self) -> &'static str {
        match self {
            Decision::Approved { .. } => "approved",
            Decision::Declined { .. } | Decision::Partial { .. } => "declined",
            Decision::Error { .. } => "error",
            Decision::Held { .. } => "held",
        }
    }

    pub fn code(&self) -> String {
        match self {
            Decision::Approved { .. } => "approved".into(),
            Decision::Declined { code, .. } | Decision::Error { code, .. } => code.clone(),
            Decision::Held { .. } => "approved.held_for_review".into(),
            Decision::Partial { .. } => "declined.partially_approved".into(),
        }
    }

    pub fn trans_id(&self) -> Option<&str> {
        match self {
            Decision::Approved { trans_id, .. }
            | Decision::Declined { trans_id, .. }
            | Decision::Held { trans_id, .. }
            | Decision::Partial { trans_id } => {
                Some(trans_id.as_str()).filter(|t| !t.is_empty() && *t != "0")
            }
            Decision::Error { .. } => None,
        }
    }

    pub fn reason(&self) -> Option<u16> {
        match self {
            Decision::Approved { reason, .. }
            | Decision::Declined { reason, .. }
            | Decision::Error { reason, .. }
            | Decision::Held { reason, .. } => Some(*reason),
            Decision::Partial { .. } => Some(295),
        }
    }

    pub fn to_result(&self, answer: Option<&Answer>) -> AttemptResult {
        let (response_code, avs, cvv, auth) = match answer {
            Some(Answer::Aim(r)) => (
                Some(i64::from(r.response_code.as_u8())),
                r.avs_result.as_ref().map(|a| a.as_str().to_owned()),
                r.card_code_result.as_ref().map(|a| a.as_str().to_owned()),
                Some(r.auth_code.clone()).filter(|a| !a.is_empty()),
            ),
            _ => (None, None, None, None),
        };
        AttemptResult {
            state: self.state().into(),
            transaction_id: self.trans_id().map(str::to_owned),
            auth_code: auth,
            response_code,
            reason_code: self.reason().map(i64::from),
            avs_result: avs,
            card_code_result: cvv,
            message_code: Some(self.code()),
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Interprets an answer to a request of type `kind`.
pub fn decide(answer: &Answer, kind: TransactionType) -> Decision {
    let r = match answer {
        Answer::Aim(r) => r,
        Answer::Cim { code, text } => return decide_cim_error(code, text),
    };
    if r.reason_code == 11 {
        return decide_duplicate(r, kind);
    }
    match classify(r) {
        Outcome::Approved {
            partial: Some(_),
            trans_id,
            ..
        } => Decision::Partial { trans_id },
        Outcome::Approved {
            reason_code,
            trans_id,
            auth_code,
            avs,
            card_code,
            ..
        } => Decision::Approved {
            trans_id,
            auth_code,
            avs: avs.map(|a| a.as_str().to_owned()),
            card_code: card_code.map(|c| c.as_str().to_owned()),
            reason: reason_code,
        },
        Outcome::Declined {
            reason_code,
            trans_id,
            message_key,
            ..
        } => Decision::Declined {
            code: code_from_key(message_key),
            reason: reason_code,
            trans_id,
        },
        Outcome::Error {
            retryable,
            reason_code,
            message_key,
        } => Decision::Error {
            code: code_from_key(message_key),
            retryable,
            reason: reason_code,
            gateway_text: r.reason_text.clone(),
        },
        Outcome::HeldForReview {
            reason_code,
            trans_id,
            ..
        } => Decision::Held {
            trans_id,
            reason: reason_code,
        },
    }
}

/// Reason 11 with `x_duplicate_window` sent: the original transaction's id,
/// and its auth code when it was approved (credits carry no auth code).
fn decide_duplicate(r: &AimResponse, kind: TransactionType) -> Decision {
    let trans_id = non_empty(&r.trans_id).filter(|t| t != "0");
    let auth = non_empty(&r.auth_code);
    match (trans_id, auth) {
        (Some(trans_id), Some(auth_code)) => Decision::Approved {
            trans_id,
            auth_code,
            avs: r.avs_result.as_ref().map(|a| a.as_str().to_owned()),
            card_code: r.card_code_result.as_ref().map(|c| c.as_str().to_owned()),
            reason: 11,
        },
        (Some(trans_id), None) if kind == TransactionType::Credit => Decision::Approved {
            trans_id,
            auth_code: String::new(),
            avs: None,
            card_code: None,
            reason: 11,
        },
        (Some(trans_id), None) => Decision::Declined {
            code: "declined".into(),
            reason: 11,
            trans_id,
        },
        (None, _) => Decision::Error {
            code: "error.duplicate".into(),
            retryable: false,
            reason: 11,
            gateway_text: r.reason_text.clone(),
        },
    }
}

fn decide_cim_error(code: &str, text: &str) -> Decision {
    let (code_out, retryable) = match code {
        "E00040" | "E00051" => ("declined.saved_card_unavailable", false),
        "E00027" => ("declined", false),
        "E00001" | "E00053" => ("error.try_again", true),
        _ => ("error.merchant_configuration", false),
    };
    if code_out.starts_with("declined") {
        Decision::Declined {
            code: code_out.into(),
            reason: 0,
            trans_id: String::new(),
        }
    } else {
        Decision::Error {
            code: code_out.into(),
            retryable,
            reason: 0,
            gateway_text: format!("{code} {text}"),
        }
    }
}

/// How an attempt ended at the transport level.
pub enum Sent {
    /// An answer (possibly after resending).
    Answered { answer: Answer, resent: bool },
    /// Nothing reached the gateway: safe to report as not charged.
    NotSent(String),
    /// Still unknown after the resends.
    Unknown(String),
}

/// Delays between resends of an uncertain request, inside the duplicate window.
pub const RESEND_DELAYS: [Duration; 3] = [
    Duration::from_millis(200),
    Duration::from_millis(1000),
    Duration::from_millis(3000),
];

/// Sends once; on an uncertain outcome marks the ledger row `uncertain` and
/// resends the identical request until it gets an answer.
pub async fn send_resolving<F, Fut>(state: &AppState, attempt_id: &str, mut send: F) -> Sent
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Answer, GatewayError>>,
{
    match send().await {
        Ok(answer) => {
            return Sent::Answered {
                answer,
                resent: false,
            };
        }
        Err(GatewayError::NotSent(m)) => return Sent::NotSent(m),
        Err(GatewayError::Build(m)) => return Sent::NotSent(format!("not built: {m}")),
        Err(GatewayError::Uncertain(m)) => {
            tracing::warn!(attempt = %attempt_id, reason = %m, "gateway outcome uncertain; resending");
            if let Err(e) = state.db.mark_attempt_uncertain(attempt_id).await {
                tracing::error!(attempt = %attempt_id, error = %e, "could not mark attempt uncertain");
            }
        }
    }
    if state.config.duplicate_window_secs == 0 {
        // Without the gateway's duplicate check a resend could charge twice.
        return Sent::Unknown("duplicate window is 0: not resending".into());
    }
    let mut last = String::from("no answer");
    for delay in RESEND_DELAYS {
        tokio::time::sleep(delay).await;
        match send().await {
            Ok(answer) => {
                return Sent::Answered {
                    answer,
                    resent: true,
                };
            }
            Err(e) => {
                tracing::warn!(attempt = %attempt_id, error = %e, "resend failed");
                last = e.to_string();
            }
        }
    }
    Sent::Unknown(last)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use authnet_proto::aim::ResponseCode;

    fn aim(code: ResponseCode, reason: u16, trans: &str, auth: &str) -> Answer {
        let mut r = AimResponse::new(code, reason, "text");
        r.trans_id = trans.into();
        r.auth_code = auth.into();
        Answer::Aim(Box::new(r))
    }

    #[test]
    fn duplicate_of_an_approved_charge_is_that_charge() {
        let d = decide(
            &aim(ResponseCode::Error, 11, "2170000042", "Q7T2ZK"),
            TransactionType::AuthCapture,
        );
        assert!(
            matches!(d, Decision::Approved { ref trans_id, reason: 11, .. } if trans_id == "2170000042")
        );
    }

    #[test]
    fn duplicate_without_auth_code_is_the_original_decline() {
        let d = decide(
            &aim(ResponseCode::Error, 11, "2170000042", ""),
            TransactionType::AuthCapture,
        );
        assert!(matches!(d, Decision::Declined { .. }));
        // A credit has no auth code: its duplicate is the original credit.
        let d = decide(
            &aim(ResponseCode::Error, 11, "2170000043", ""),
            TransactionType::Credit,
        );
        assert!(matches!(d, Decision::Approved { .. }));
    }

    #[test]
    fn plain_duplicate_is_an_error_not_a_charge() {
        let d = decide(
            &aim(ResponseCode::Error, 11, "0", ""),
            TransactionType::AuthCapture,
        );
        assert_eq!(d.code(), "error.duplicate");
        assert_eq!(d.trans_id(), None);
    }

    #[test]
    fn cim_errors_map_to_safe_codes() {
        let d = decide(
            &Answer::Cim {
                code: "E00040".into(),
                text: "The record cannot be found.".into(),
            },
            TransactionType::AuthCapture,
        );
        assert_eq!(d.code(), "declined.saved_card_unavailable");
        let d = decide(
            &Answer::Cim {
                code: "E00007".into(),
                text: "User authentication failed".into(),
            },
            TransactionType::AuthCapture,
        );
        assert_eq!(d.code(), "error.merchant_configuration");
    }

    #[test]
    fn approved_and_already_captured_are_approvals() {
        for reason in [1, 311] {
            let d = decide(
                &aim(ResponseCode::Approved, reason, "2170000044", "ABC123"),
                TransactionType::PriorAuthCapture,
            );
            assert_eq!(d.state(), "approved");
        }
    }
}
