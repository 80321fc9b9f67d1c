//! [`FieldState`]: the as-you-type state of a single form field.
//!
//! The widget shows an error only for `Invalid`; `Incomplete` means "could still
//! become valid by typing more", which is never an error while the shopper is
//! typing (on blur the widget asks for the final verdict with the field's
//! `parse`/`validate` function).

use crate::error::ValidationError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldState<T> {
    Empty,
    Incomplete,
    Invalid(ValidationError),
    Valid(T),
}

impl<T> FieldState<T> {
    pub fn is_valid(&self) -> bool {
        matches!(self, FieldState::Valid(_))
    }

    pub fn error(&self) -> Option<&ValidationError> {
        match self {
            FieldState::Invalid(e) => Some(e),
            _ => None,
        }
    }

    pub fn valid(&self) -> Option<&T> {
        match self {
            FieldState::Valid(v) => Some(v),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser, the same tests run under wasm-bindgen-test.
    use crate::error::Field;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn accessors() {
        let v: FieldState<u8> = FieldState::Valid(3);
        assert!(v.is_valid());
        assert_eq!(v.valid(), Some(&3));
        assert_eq!(v.error(), None);
        let e: FieldState<u8> =
            FieldState::Invalid(ValidationError::new(Field::Expiry, "expiry.past"));
        assert_eq!(e.error().map(|e| e.code), Some("expiry.past"));
        assert!(!FieldState::<u8>::Incomplete.is_valid());
        assert_eq!(FieldState::<u8>::Empty.valid(), None);
    }
}
