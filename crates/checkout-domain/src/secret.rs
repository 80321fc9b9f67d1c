//! [`Secret<T>`]: a wrapper for credentials (transaction key, merchant secret).
//!
//! Why: a credential that reaches a log line is a credential leaked. The wrapper
//! prints `***` in `Debug` and `Display`, has no `Serialize` (so it cannot be
//! written back out by accident), and makes every read explicit
//! ([`Secret::expose_secret`]), which is easy to grep for in review.

use serde::{Deserialize, Deserializer};

/// A value that must never be printed or serialized.
#[derive(Clone, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The one way to read the value. Use it only where the value is sent on.
    pub fn expose_secret(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl<T> core::fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("***")
    }
}

impl<T> core::fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("***")
    }
}

/// Deserialize is allowed: secrets arrive from configuration.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret)
    }
}

/// Constant-time (in the content; the length is not hidden) comparison, so that
/// comparing a presented merchant secret against the configured one does not
/// leak how many leading bytes matched.
impl<T: AsRef<[u8]>> PartialEq for Secret<T> {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.0.as_ref(), other.0.as_ref())
    }
}

impl<T: AsRef<[u8]>> Eq for Secret<T> {}

/// Compares two byte strings without an early exit on the first difference.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    core::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser, the same tests run under wasm-bindgen-test.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new(String::from("TXNKEY123456"));
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{:#?}", Some(&s)), "Some(\n    ***,\n)");
        assert_eq!(s.expose_secret(), "TXNKEY123456");
    }

    #[test]
    fn compares_by_content() {
        let a = Secret::new(String::from("abc"));
        assert_eq!(a, Secret::new(String::from("abc")));
        assert_ne!(a, Secret::new(String::from("abd")));
        assert_ne!(a, Secret::new(String::from("abcd")));
        assert!(constant_time_eq(b"", b""));
        assert!(!constant_time_eq(b"a", b""));
    }

    #[test]
    fn deserializes_transparently() {
        use serde::de::IntoDeserializer;
        let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            "key".into_deserializer();
        let s: Result<Secret<String>, _> = Secret::deserialize(de);
        assert_eq!(
            s.map(|s| s.expose_secret().clone()),
            Ok(String::from("key"))
        );
    }

    #[test]
    fn clone_keeps_value() {
        let a = Secret::new(String::from("k"));
        let b = a.clone();
        assert_eq!(b.expose_secret(), "k");
    }
}
