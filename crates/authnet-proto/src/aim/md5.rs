//! The response MD5 hash (§3.10):
//! `UPPERCASE_HEX(MD5(hash_value + login + trans_id + amount))`, amount with two
//! decimals (`0.00` when blank).

use md5::{Digest, Md5};
use rust_decimal::Decimal;

use super::response::format_amount;

/// The hash the gateway puts in response position 38.
pub fn response_hash(
    hash_value: &str,
    login: &str,
    trans_id: &str,
    amount: Option<Decimal>,
) -> String {
    let amount = format_amount(amount.unwrap_or(Decimal::ZERO));
    let mut h = Md5::new();
    h.update(hash_value.as_bytes());
    h.update(login.as_bytes());
    h.update(trans_id.as_bytes());
    h.update(amount.as_bytes());
    hex::encode_upper(h.finalize())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    /// The four §3.13 examples were computed with an empty secret.
    #[test]
    fn fact_sheet_hashes() {
        assert_eq!(
            response_hash("", "demo_login", "2170001234", Some(dec!(19.99))),
            "8AF8B519A22207FA9A503B4067341712"
        );
        assert_eq!(
            response_hash("", "demo_login", "2170001240", Some(dec!(5.00))),
            "B9D38E880C791215DB92BDE232B2A783"
        );
        assert_eq!(
            response_hash("", "bad_login", "0", Some(dec!(52.56))),
            "A9058CC0F95F568BF3B6BFAD39B09259"
        );
        assert_eq!(
            response_hash("", "demo_login", "0", Some(dec!(10))),
            "C7B1A5FA9A9AF730ADA6C41319ED97FF"
        );
    }
}
