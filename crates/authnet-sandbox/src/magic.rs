//! Sandbox test values (fact sheet §4): test cards, ZIP triggers, card-code
//! triggers, the `4222222222222` amount→reason trick. Change the triggers here.

use authnet_proto::aim::{AvsResult, CardCodeResult};
use rust_decimal::Decimal;

/// The Visa "error generation" card (§4.3).
pub const ERROR_CARD: &str = "4222222222222";

/// What a billing ZIP triggers in live mode (§4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipTrigger {
    /// 46282: general decline (code 2, reason 2).
    Decline,
    /// An AVS letter with an otherwise normal approval.
    Avs(AvsResult),
    /// 46225: partial approval of $1.23 (needs `x_allow_partial_Auth`).
    PartialAuth,
    /// 46226/46227/46228: full approval with this balance on card.
    Balance(Decimal),
}

/// The trigger for `zip`, if any.
pub fn zip_trigger(zip: &str) -> Option<ZipTrigger> {
    let zip = zip.trim();
    let zip5 = zip.get(..5).unwrap_or(zip);
    Some(match zip5 {
        "46282" => ZipTrigger::Decline,
        "46203" => ZipTrigger::Avs(AvsResult::Error),
        "46207" => ZipTrigger::Avs(AvsResult::Retry),
        "46204" => ZipTrigger::Avs(AvsResult::NonUsIssuer),
        "46205" => ZipTrigger::Avs(AvsResult::NoMatch),
        "46201" => ZipTrigger::Avs(AvsResult::AddressMatchZipNot),
        "46217" => ZipTrigger::Avs(AvsResult::Zip5MatchAddressNot),
        "46206" => ZipTrigger::Avs(AvsResult::NotApplicable),
        "46208" => ZipTrigger::Avs(AvsResult::NotSupported),
        "46209" => ZipTrigger::Avs(AvsResult::Unavailable),
        "46211" => ZipTrigger::Avs(AvsResult::Zip9MatchAddressNot),
        "46214" => ZipTrigger::Avs(AvsResult::AddressAndZip9Match),
        "46225" => ZipTrigger::PartialAuth,
        "46226" => ZipTrigger::Balance(Decimal::new(123, 2)),
        "46227" => ZipTrigger::Balance(Decimal::new(-123, 2)),
        "46228" => ZipTrigger::Balance(Decimal::ZERO),
        _ => return None,
    })
}

/// Whether an AVS trigger letter applies to the card type (`G`/`W` not for
/// Amex, `X` not for Visa or Amex); when not, the normal `Y` is returned.
pub fn avs_applies(letter: &AvsResult, card_type: &str) -> bool {
    match letter {
        AvsResult::NonUsIssuer | AvsResult::Zip9MatchAddressNot => card_type != "American Express",
        AvsResult::AddressAndZip9Match => card_type != "American Express" && card_type != "Visa",
        _ => true,
    }
}

/// Card-code result for a submitted code (§4.5): 900–904 triggers, 905/906 as
/// aliases for S/U when `aliases` is on, `P` for anything else.
pub fn card_code_result(code: &str, aliases: bool) -> CardCodeResult {
    match code.trim() {
        "900" => CardCodeResult::Match,
        "901" => CardCodeResult::NoMatch,
        "902" => CardCodeResult::ShouldBePresent,
        "903" => CardCodeResult::IssuerNotCertified,
        "904" => CardCodeResult::NotProcessed,
        "905" if aliases => CardCodeResult::ShouldBePresent,
        "906" if aliases => CardCodeResult::IssuerNotCertified,
        _ => CardCodeResult::NotProcessed,
    }
}

/// eCheck amounts above this decline (testing guide: under $100 accepted).
pub fn echeck_limit() -> Decimal {
    Decimal::new(100, 0)
}

/// The approved amount of a 46225 partial authorisation.
pub fn partial_approved_amount() -> Decimal {
    Decimal::new(123, 2)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn zip_table() {
        assert_eq!(zip_trigger("46282"), Some(ZipTrigger::Decline));
        assert_eq!(
            zip_trigger("46205-1234"),
            Some(ZipTrigger::Avs(AvsResult::NoMatch))
        );
        assert_eq!(zip_trigger("97201"), None);
        assert!(!avs_applies(&AvsResult::NonUsIssuer, "American Express"));
        assert!(!avs_applies(&AvsResult::AddressAndZip9Match, "Visa"));
    }

    #[test]
    fn card_code_table() {
        assert_eq!(card_code_result("901", false), CardCodeResult::NoMatch);
        assert_eq!(
            card_code_result("905", true),
            CardCodeResult::ShouldBePresent
        );
        assert_eq!(card_code_result("905", false), CardCodeResult::NotProcessed);
        assert_eq!(card_code_result("123", false), CardCodeResult::NotProcessed);
    }
}
