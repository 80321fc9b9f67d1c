//! Small code types shared by requests and responses: transaction type,
//! response code, AVS / card-code / CAVV results (§3.3, §3.6–3.8).

use std::fmt;

/// `x_type` (request, upper case) / response position 12 (lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransactionType {
    AuthCapture,
    AuthOnly,
    PriorAuthCapture,
    CaptureOnly,
    Credit,
    Void,
}

impl TransactionType {
    pub const ALL: [TransactionType; 6] = [
        TransactionType::AuthCapture,
        TransactionType::AuthOnly,
        TransactionType::PriorAuthCapture,
        TransactionType::CaptureOnly,
        TransactionType::Credit,
        TransactionType::Void,
    ];

    /// Request form: `AUTH_CAPTURE`, ….
    pub fn as_request_str(&self) -> &'static str {
        match self {
            TransactionType::AuthCapture => "AUTH_CAPTURE",
            TransactionType::AuthOnly => "AUTH_ONLY",
            TransactionType::PriorAuthCapture => "PRIOR_AUTH_CAPTURE",
            TransactionType::CaptureOnly => "CAPTURE_ONLY",
            TransactionType::Credit => "CREDIT",
            TransactionType::Void => "VOID",
        }
    }

    /// Response form (position 12): `auth_capture`, ….
    pub fn as_response_str(&self) -> &'static str {
        match self {
            TransactionType::AuthCapture => "auth_capture",
            TransactionType::AuthOnly => "auth_only",
            TransactionType::PriorAuthCapture => "prior_auth_capture",
            TransactionType::CaptureOnly => "capture_only",
            TransactionType::Credit => "credit",
            TransactionType::Void => "void",
        }
    }

    /// Either form, case-insensitive.
    pub fn parse(s: &str) -> Option<TransactionType> {
        let s = s.trim();
        TransactionType::ALL
            .into_iter()
            .find(|t| t.as_request_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for TransactionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_request_str())
    }
}

/// Response position 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseCode {
    Approved = 1,
    Declined = 2,
    Error = 3,
    HeldForReview = 4,
}

impl ResponseCode {
    pub fn from_u8(n: u8) -> Option<ResponseCode> {
        match n {
            1 => Some(ResponseCode::Approved),
            2 => Some(ResponseCode::Declined),
            3 => Some(ResponseCode::Error),
            4 => Some(ResponseCode::HeldForReview),
            _ => None,
        }
    }

    pub fn as_u8(&self) -> u8 {
        *self as u8
    }
}

macro_rules! letter_code {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value outside the documented set, kept verbatim.
            Other(String),
        }

        impl $name {
            /// `None` for a blank field.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                if s.is_empty() {
                    return None;
                }
                Some(match s {
                    $($s => $name::$variant,)+
                    other => $name::Other(other.to_owned()),
                })
            }

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $s,)+
                    $name::Other(s) => s,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

letter_code!(
    /// AVS result, position 6 (§3.6).
    AvsResult {
        AddressMatchZipNot = "A",
        NoAddressInfo = "B",
        Error = "E",
        NonUsIssuer = "G",
        NoMatch = "N",
        NotApplicable = "P",
        Retry = "R",
        NotSupported = "S",
        Unavailable = "U",
        Zip9MatchAddressNot = "W",
        AddressAndZip9Match = "X",
        AddressAndZip5Match = "Y",
        Zip5MatchAddressNot = "Z",
    }
);

letter_code!(
    /// Card code (CVV2/CVC2/CID) result, position 39 (§3.7).
    CardCodeResult {
        Match = "M",
        NoMatch = "N",
        NotProcessed = "P",
        ShouldBePresent = "S",
        IssuerNotCertified = "U",
    }
);

letter_code!(
    /// Cardholder authentication verification result, position 40 (§3.8).
    CavvResult {
        ErroneousData = "0",
        Failed = "1",
        Passed = "2",
        AttemptIncomplete = "3",
        IssuerSystemError = "4",
        Reserved5 = "5",
        Reserved6 = "6",
        AttemptFailedIssuerAvailable = "7",
        AttemptPassedIssuerAvailable = "8",
        AttemptFailedIssuerUnavailable = "9",
        AttemptPassedIssuerUnavailable = "A",
        PassedInformationOnly = "B",
    }
);

impl AvsResult {
    /// Letters that mean the street address did not match.
    pub fn address_mismatch(&self) -> bool {
        matches!(
            self,
            AvsResult::Zip5MatchAddressNot | AvsResult::Zip9MatchAddressNot | AvsResult::NoMatch
        )
    }

    /// Letters that mean the ZIP did not match.
    pub fn zip_mismatch(&self) -> bool {
        matches!(self, AvsResult::AddressMatchZipNot | AvsResult::NoMatch)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn transaction_type_both_forms() {
        for t in TransactionType::ALL {
            assert_eq!(TransactionType::parse(t.as_request_str()), Some(t));
            assert_eq!(TransactionType::parse(t.as_response_str()), Some(t));
        }
        assert_eq!(TransactionType::parse("SALE"), None);
    }

    #[test]
    fn letter_codes_round_trip() {
        assert_eq!(AvsResult::parse("Y"), Some(AvsResult::AddressAndZip5Match));
        assert_eq!(AvsResult::parse(""), None);
        assert_eq!(
            AvsResult::parse("Q").map(|a| a.as_str().to_owned()),
            Some("Q".into())
        );
        assert_eq!(CardCodeResult::parse("M"), Some(CardCodeResult::Match));
        assert_eq!(
            CavvResult::parse("A"),
            Some(CavvResult::AttemptPassedIssuerUnavailable)
        );
    }
}
