//! Validation errors: which field, a stable machine code, and an English message.
//!
//! The code is the contract. The widget translates by code (see [`message`]),
//! the relay returns it in JSON, tests assert on it. Messages are static text
//! chosen by code, so a message can never echo what the shopper typed (and so
//! can never contain card digits).

use serde::{Deserialize, Serialize};

/// The form field a validation error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    CardNumber,
    Expiry,
    CardCode,
    FirstName,
    LastName,
    Company,
    Address,
    City,
    State,
    Zip,
    Country,
    Phone,
    Email,
    Amount,
    Tax,
    Freight,
    Duty,
}

impl Field {
    /// Every field, in form order (useful for tables and tests).
    pub const ALL: [Field; 17] = [
        Field::CardNumber,
        Field::Expiry,
        Field::CardCode,
        Field::FirstName,
        Field::LastName,
        Field::Company,
        Field::Address,
        Field::City,
        Field::State,
        Field::Zip,
        Field::Country,
        Field::Phone,
        Field::Email,
        Field::Amount,
        Field::Tax,
        Field::Freight,
        Field::Duty,
    ];

    /// The snake_case name, identical to the serde representation.
    pub fn as_str(&self) -> &'static str {
        match self {
            Field::CardNumber => "card_number",
            Field::Expiry => "expiry",
            Field::CardCode => "card_code",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Company => "company",
            Field::Address => "address",
            Field::City => "city",
            Field::State => "state",
            Field::Zip => "zip",
            Field::Country => "country",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Amount => "amount",
            Field::Tax => "tax",
            Field::Freight => "freight",
            Field::Duty => "duty",
        }
    }

    /// Inverse of [`Field::as_str`].
    pub fn from_str_opt(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl core::fmt::Display for Field {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One validation failure.
///
/// `code` is stable (`"card_number.luhn"`, `"expiry.past"`, `"zip.format"`, …;
/// the full list is [`all_codes`]); `message` is the English text for that code.
///
/// Serializes as `{"field": "...", "code": "...", "message": "..."}`; there is no
/// `Deserialize` (the code is `&'static str`): rebuild one read from JSON with
/// [`ValidationError::from_code`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    pub field: Field,
    pub code: &'static str,
    pub message: String,
}

impl ValidationError {
    /// Builds the error with the English message for `code`.
    pub fn new(field: Field, code: &'static str) -> Self {
        ValidationError {
            field,
            code,
            message: message_en(code).to_owned(),
        }
    }

    /// Rebuilds an error from a code received as text (e.g. the relay's JSON);
    /// `None` if the code is not one of ours.
    pub fn from_code(field: Field, code: &str) -> Option<Self> {
        known_code(code).map(|code| ValidationError::new(field, code))
    }

    /// The message for this error's code in `locale`.
    pub fn localized(&self, locale: Locale) -> &'static str {
        message(self.code, locale)
    }
}

/// Languages the widget can show messages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Es,
}

impl Locale {
    /// Picks a locale from a BCP 47 tag such as `navigator.language` (`"es-MX"` → `Es`);
    /// anything unknown falls back to English.
    pub fn from_tag(tag: &str) -> Locale {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("es") {
            Locale::Es
        } else {
            Locale::En
        }
    }
}

/// (code, English, Spanish). One row per code the crate can emit.
const MESSAGES: &[(&str, &str, &str)] = &[
    // card number
    (
        "card_number.required",
        "Enter the card number.",
        "Introduzca el número de la tarjeta.",
    ),
    (
        "card_number.bad_character",
        "The card number may only contain digits.",
        "El número de la tarjeta solo puede contener dígitos.",
    ),
    (
        "card_number.too_long",
        "The card number has too many digits.",
        "El número de la tarjeta tiene demasiados dígitos.",
    ),
    (
        "card_number.luhn",
        "The card number is not valid. Please check it.",
        "El número de la tarjeta no es válido. Revíselo.",
    ),
    (
        "card_number.length",
        "The card number has the wrong number of digits for this card type.",
        "El número de la tarjeta no tiene la cantidad de dígitos correcta para este tipo de tarjeta.",
    ),
    (
        "card_number.incomplete",
        "The card number is incomplete.",
        "El número de la tarjeta está incompleto.",
    ),
    (
        "card_number.unsupported",
        "This card type is not recognised.",
        "No se reconoce este tipo de tarjeta.",
    ),
    (
        "card_number.brand_not_accepted",
        "This card type is not accepted here.",
        "Este tipo de tarjeta no se acepta aquí.",
    ),
    (
        "card_number.unsupported_length",
        "Cards with this many digits cannot be processed. Please use another card.",
        "No se pueden procesar tarjetas con esta cantidad de dígitos. Use otra tarjeta.",
    ),
    // expiry
    (
        "expiry.required",
        "Enter the expiration date.",
        "Introduzca la fecha de vencimiento.",
    ),
    (
        "expiry.format",
        "Enter the expiration date as MM/YY.",
        "Introduzca la fecha de vencimiento como MM/AA.",
    ),
    (
        "expiry.month",
        "The expiration month must be between 01 and 12.",
        "El mes de vencimiento debe estar entre 01 y 12.",
    ),
    (
        "expiry.past",
        "This card has expired.",
        "Esta tarjeta está vencida.",
    ),
    (
        "expiry.too_far",
        "The expiration date is too far in the future.",
        "La fecha de vencimiento está demasiado lejos en el futuro.",
    ),
    // card code
    (
        "card_code.required",
        "Enter the security code.",
        "Introduzca el código de seguridad.",
    ),
    (
        "card_code.length",
        "The security code has the wrong number of digits (4 for American Express, 3 for other cards).",
        "El código de seguridad no tiene la cantidad de dígitos correcta (4 para American Express, 3 para las demás tarjetas).",
    ),
    (
        "card_code.format",
        "The security code may only contain digits.",
        "El código de seguridad solo puede contener dígitos.",
    ),
    // names and address
    (
        "first_name.required",
        "Enter the first name.",
        "Introduzca el nombre.",
    ),
    (
        "first_name.too_long",
        "The first name may be at most 50 characters.",
        "El nombre puede tener como máximo 50 caracteres.",
    ),
    (
        "first_name.characters",
        "The first name contains characters that are not allowed.",
        "El nombre contiene caracteres no permitidos.",
    ),
    (
        "last_name.required",
        "Enter the last name.",
        "Introduzca el apellido.",
    ),
    (
        "last_name.too_long",
        "The last name may be at most 50 characters.",
        "El apellido puede tener como máximo 50 caracteres.",
    ),
    (
        "last_name.characters",
        "The last name contains characters that are not allowed.",
        "El apellido contiene caracteres no permitidos.",
    ),
    (
        "company.too_long",
        "The company name may be at most 50 characters.",
        "El nombre de la empresa puede tener como máximo 50 caracteres.",
    ),
    (
        "company.characters",
        "The company name contains characters that are not allowed.",
        "El nombre de la empresa contiene caracteres no permitidos.",
    ),
    (
        "address.required",
        "Enter the street address.",
        "Introduzca la dirección.",
    ),
    (
        "address.too_long",
        "The address may be at most 60 characters.",
        "La dirección puede tener como máximo 60 caracteres.",
    ),
    (
        "address.characters",
        "The address contains characters that are not allowed.",
        "La dirección contiene caracteres no permitidos.",
    ),
    ("city.required", "Enter the city.", "Introduzca la ciudad."),
    (
        "city.too_long",
        "The city may be at most 40 characters.",
        "La ciudad puede tener como máximo 40 caracteres.",
    ),
    (
        "city.characters",
        "The city contains characters that are not allowed.",
        "La ciudad contiene caracteres no permitidos.",
    ),
    (
        "state.required",
        "Enter the state.",
        "Introduzca el estado.",
    ),
    (
        "state.too_long",
        "The state may be at most 40 characters.",
        "El estado puede tener como máximo 40 caracteres.",
    ),
    (
        "state.characters",
        "The state contains characters that are not allowed.",
        "El estado contiene caracteres no permitidos.",
    ),
    (
        "zip.required",
        "Enter the ZIP or postal code.",
        "Introduzca el código postal.",
    ),
    (
        "zip.too_long",
        "The postal code may be at most 20 characters.",
        "El código postal puede tener como máximo 20 caracteres.",
    ),
    (
        "zip.characters",
        "The postal code contains characters that are not allowed.",
        "El código postal contiene caracteres no permitidos.",
    ),
    (
        "zip.format",
        "Enter a 5-digit ZIP code (or ZIP+4, like 12345-6789).",
        "Introduzca un código postal de 5 dígitos (o ZIP+4, como 12345-6789).",
    ),
    (
        "country.required",
        "Enter the country.",
        "Introduzca el país.",
    ),
    (
        "country.too_long",
        "The country may be at most 60 characters.",
        "El país puede tener como máximo 60 caracteres.",
    ),
    (
        "country.characters",
        "The country contains characters that are not allowed.",
        "El país contiene caracteres no permitidos.",
    ),
    (
        "phone.required",
        "Enter the phone number.",
        "Introduzca el número de teléfono.",
    ),
    (
        "phone.too_long",
        "The phone number may be at most 25 characters.",
        "El número de teléfono puede tener como máximo 25 caracteres.",
    ),
    (
        "phone.characters",
        "The phone number may only contain digits, spaces and + ( ) - .",
        "El número de teléfono solo puede contener dígitos, espacios y + ( ) - .",
    ),
    (
        "phone.format",
        "Enter a phone number with at least 7 digits.",
        "Introduzca un número de teléfono de al menos 7 dígitos.",
    ),
    (
        "email.required",
        "Enter the email address.",
        "Introduzca el correo electrónico.",
    ),
    (
        "email.too_long",
        "The email address may be at most 255 characters.",
        "El correo electrónico puede tener como máximo 255 caracteres.",
    ),
    (
        "email.format",
        "Enter a valid email address, like name@example.com.",
        "Introduzca un correo electrónico válido, como nombre@ejemplo.com.",
    ),
    // money
    (
        "amount.required",
        "Enter an amount.",
        "Introduzca un importe.",
    ),
    (
        "amount.format",
        "Enter the amount as digits with an optional decimal point, like 12.30.",
        "Introduzca el importe con dígitos y un punto decimal opcional, como 12.30.",
    ),
    (
        "amount.precision",
        "The amount may have at most 2 decimal places.",
        "El importe puede tener como máximo 2 decimales.",
    ),
    (
        "amount.negative",
        "The amount cannot be negative.",
        "El importe no puede ser negativo.",
    ),
    (
        "amount.not_positive",
        "The amount must be greater than 0.00.",
        "El importe debe ser mayor que 0.00.",
    ),
    (
        "amount.too_large",
        "The amount may be at most 99999999.99.",
        "El importe puede ser como máximo 99999999.99.",
    ),
];

const FALLBACK_EN: &str = "This field is not valid.";
const FALLBACK_ES: &str = "Este campo no es válido.";

/// Every error code the crate can produce, in table order.
pub fn all_codes() -> impl Iterator<Item = &'static str> {
    MESSAGES.iter().map(|(code, _, _)| *code)
}

/// `code` as a `&'static str` if it is one of ours (e.g. to rebuild an error read from JSON).
pub fn known_code(code: &str) -> Option<&'static str> {
    MESSAGES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(c, _, _)| *c)
}

/// English message for `code`; a generic message for unknown codes.
pub fn message_en(code: &str) -> &'static str {
    message(code, Locale::En)
}

/// Message for `code` in `locale`; a generic message for unknown codes.
pub fn message(code: &str, locale: Locale) -> &'static str {
    match MESSAGES.iter().find(|(c, _, _)| *c == code) {
        Some((_, en, es)) => match locale {
            Locale::En => en,
            Locale::Es => es,
        },
        None => match locale {
            Locale::En => FALLBACK_EN,
            Locale::Es => FALLBACK_ES,
        },
    }
}

/// Number of codes (kept as a function so tests can check the table has no duplicates).
pub fn code_count() -> usize {
    MESSAGES.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    // In the browser, the same tests run under wasm-bindgen-test.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn field_names_match_serde() {
        for f in Field::ALL {
            let json = serde_json_like(f);
            assert_eq!(json, f.as_str());
            assert_eq!(Field::from_str_opt(f.as_str()), Some(f));
        }
    }

    // serde_json is not a dependency of this crate; the serde name is checked via
    // a tiny serializer-free route: Deserialize from the str and compare.
    fn serde_json_like(f: Field) -> &'static str {
        use serde::de::IntoDeserializer;
        let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            f.as_str().into_deserializer();
        match Field::deserialize(de) {
            Ok(back) if back == f => f.as_str(),
            _ => "mismatch",
        }
    }

    #[test]
    fn every_code_has_both_languages_and_no_duplicates() {
        let mut seen = std::collections::HashSet::new();
        for (code, en, es) in MESSAGES {
            assert!(seen.insert(*code), "duplicate code {code}");
            assert!(!en.is_empty() && !es.is_empty(), "{code}");
            assert_ne!(en, es, "{code} is not translated");
            let field = code.split('.').next().unwrap_or_default();
            assert!(Field::from_str_opt(field).is_some(), "{code} prefix");
            assert!(code.contains('.'), "{code}");
        }
        assert_eq!(seen.len(), code_count());
    }

    #[test]
    fn unknown_code_falls_back() {
        assert_eq!(message("nope.nope", Locale::En), FALLBACK_EN);
        assert_eq!(message("nope.nope", Locale::Es), FALLBACK_ES);
        assert_eq!(known_code("nope"), None);
        assert_eq!(known_code("expiry.past"), Some("expiry.past"));
    }

    #[test]
    fn error_display_is_the_message() {
        let e = ValidationError::new(Field::Expiry, "expiry.past");
        assert_eq!(e.to_string(), "This card has expired.");
        assert_eq!(e.localized(Locale::Es), "Esta tarjeta está vencida.");
    }

    #[test]
    fn rebuild_from_code() {
        let e = ValidationError::from_code(Field::Zip, "zip.format");
        assert_eq!(e, Some(ValidationError::new(Field::Zip, "zip.format")));
        assert_eq!(ValidationError::from_code(Field::Zip, "zip.bogus"), None);
    }

    #[test]
    fn locale_from_tag() {
        assert_eq!(Locale::from_tag("es-MX"), Locale::Es);
        assert_eq!(Locale::from_tag("ES"), Locale::Es);
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(Locale::from_tag(""), Locale::En);
        assert_eq!(Locale::from_tag("fr"), Locale::En);
    }
}
