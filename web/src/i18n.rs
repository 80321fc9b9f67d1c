//! The widget's own words (labels, buttons, result messages) in English and
//! Spanish. Field validation messages come from the domain crate by error code
//! ([`checkout_domain::message`]), so the widget and the relay say the same thing.

use checkout_api::PayResult;
use checkout_domain::Locale;

/// Labels and fixed texts of the form.
pub struct Ui {
    pub card_number: &'static str,
    pub expiry: &'static str,
    pub expiry_hint: &'static str,
    pub card_code: &'static str,
    pub name: &'static str,
    pub optional: &'static str,
    pub billing: &'static str,
    pub address: &'static str,
    pub city: &'static str,
    pub state: &'static str,
    pub zip: &'static str,
    pub country: &'static str,
    pub saved_cards: &'static str,
    pub new_card: &'static str,
    pub ends_in: &'static str,
    pub expires: &'static str,
    pub expired: &'static str,
    pub shipping: &'static str,
    pub no_shipping: &'static str,
    pub save_card: &'static str,
    pub pay: &'static str,
    pub processing: &'static str,
    pub load_failed: &'static str,
    pub fix_fields: &'static str,
    pub secure_note: &'static str,
    pub card_details: &'static str,
    pub unknown_brand: &'static str,
}

const EN: Ui = Ui {
    card_number: "Card number",
    expiry: "Expiration date",
    expiry_hint: "MM/YY",
    card_code: "Security code",
    name: "Name on card",
    optional: "optional",
    billing: "Billing address",
    address: "Street address",
    city: "City",
    state: "State",
    zip: "ZIP or postal code",
    country: "Country",
    saved_cards: "Pay with",
    new_card: "Use a new card",
    ends_in: "ending in",
    expires: "expires",
    expired: "Expired",
    shipping: "Ship to",
    no_shipping: "Don't use a saved address",
    save_card: "Save this card for next time",
    pay: "Pay",
    processing: "Processing…",
    load_failed: "This checkout could not be loaded. Please refresh the page or contact the store.",
    fix_fields: "Please correct the highlighted fields.",
    secure_note: "Card details are sent securely and never shared with the store.",
    card_details: "Card details",
    unknown_brand: "Card",
};

const ES: Ui = Ui {
    card_number: "Número de tarjeta",
    expiry: "Fecha de vencimiento",
    expiry_hint: "MM/AA",
    card_code: "Código de seguridad",
    name: "Nombre en la tarjeta",
    optional: "opcional",
    billing: "Dirección de facturación",
    address: "Dirección",
    city: "Ciudad",
    state: "Estado",
    zip: "Código postal",
    country: "País",
    saved_cards: "Pagar con",
    new_card: "Usar una tarjeta nueva",
    ends_in: "terminada en",
    expires: "vence",
    expired: "Vencida",
    shipping: "Enviar a",
    no_shipping: "No usar una dirección guardada",
    save_card: "Guardar esta tarjeta para la próxima vez",
    pay: "Pagar",
    processing: "Procesando…",
    load_failed: "No se pudo cargar el pago. Actualice la página o comuníquese con la tienda.",
    fix_fields: "Corrija los campos marcados.",
    secure_note: "Los datos de la tarjeta se envían de forma segura y nunca se comparten con la tienda.",
    card_details: "Datos de la tarjeta",
    unknown_brand: "Tarjeta",
};

/// The fixed texts for `locale`.
pub fn ui(locale: Locale) -> &'static Ui {
    match locale {
        Locale::En => &EN,
        Locale::Es => &ES,
    }
}

/// (relay `message_code`, English, Spanish): what happened and what to do next.
const RESULTS: &[(&str, &str, &str)] = &[
    (
        "approved",
        "Payment approved. Thank you!",
        "Pago aprobado. ¡Gracias!",
    ),
    (
        "declined",
        "Your card was declined. Please use another card or contact your bank.",
        "Su tarjeta fue rechazada. Use otra tarjeta o comuníquese con su banco.",
    ),
    (
        "declined.generic",
        "Your card was declined. Please use another card or contact your bank.",
        "Su tarjeta fue rechazada. Use otra tarjeta o comuníquese con su banco.",
    ),
    (
        "declined.avs",
        "The billing address does not match the card. Check the street address and ZIP code and try again.",
        "La dirección de facturación no coincide con la tarjeta. Revise la dirección y el código postal e inténtelo de nuevo.",
    ),
    (
        "declined.zip",
        "The ZIP code does not match the card. Check it and try again.",
        "El código postal no coincide con la tarjeta. Revíselo e inténtelo de nuevo.",
    ),
    (
        "declined.address",
        "The street address does not match the card. Check it and try again.",
        "La dirección no coincide con la tarjeta. Revísela e inténtelo de nuevo.",
    ),
    (
        "declined.card_code",
        "The security code does not match the card. Check it and try again.",
        "El código de seguridad no coincide con la tarjeta. Revíselo e inténtelo de nuevo.",
    ),
    (
        "declined.expired",
        "This card has expired. Please use another card.",
        "Esta tarjeta está vencida. Use otra tarjeta.",
    ),
    (
        "declined.card_number",
        "The card number was not accepted. Check it or use another card.",
        "No se aceptó el número de tarjeta. Revíselo o use otra tarjeta.",
    ),
    (
        "declined.insufficient_funds",
        "The card was declined for insufficient funds. Please use another card.",
        "La tarjeta fue rechazada por fondos insuficientes. Use otra tarjeta.",
    ),
    (
        "declined.final",
        "Your card was declined and this checkout accepts no more attempts. Please contact the store.",
        "Su tarjeta fue rechazada y este pago no admite más intentos. Comuníquese con la tienda.",
    ),
    (
        "error",
        "The payment could not be completed. No charge was made. Please try again.",
        "No se pudo completar el pago. No se realizó ningún cargo. Inténtelo de nuevo.",
    ),
    (
        "error.retry",
        "The payment could not be completed. No charge was made. Please try again.",
        "No se pudo completar el pago. No se realizó ningún cargo. Inténtelo de nuevo.",
    ),
    (
        "error.network",
        "We could not reach the payment service. Check your connection and try again.",
        "No pudimos conectar con el servicio de pago. Revise su conexión e inténtelo de nuevo.",
    ),
    (
        "error.unknown_outcome",
        "We could not confirm your payment. Please do not pay again; contact the store to check the order.",
        "No pudimos confirmar su pago. No vuelva a pagar; comuníquese con la tienda para verificar el pedido.",
    ),
    (
        "rate_limited",
        "Too many attempts. Please wait a few minutes and try again.",
        "Demasiados intentos. Espere unos minutos e inténtelo de nuevo.",
    ),
    (
        "session_closed",
        "This checkout is no longer open. Please return to the store.",
        "Este pago ya no está disponible. Vuelva a la tienda.",
    ),
    (
        "already_paid",
        "This order has already been paid.",
        "Este pedido ya fue pagado.",
    ),
];

/// The message for a pay result: the widget's own translation when it knows
/// the relay's `message_code`, else the relay's (English) message in English,
/// else a generic message for the result kind.
pub fn result_message(code: &str, server_message: &str, kind: PayResult, locale: Locale) -> String {
    if let Some((_, en, es)) = RESULTS.iter().find(|(c, _, _)| *c == code) {
        return match locale {
            Locale::En => (*en).to_owned(),
            Locale::Es => (*es).to_owned(),
        };
    }
    if locale == Locale::En && !server_message.is_empty() {
        return server_message.to_owned();
    }
    let generic = match kind {
        PayResult::Approved => "approved",
        PayResult::Declined => "declined",
        PayResult::Error => "error",
    };
    result_message(generic, "", kind, locale)
}

/// `$12.30` (USD) or `12.30 EUR`; the amount string comes from the session.
pub fn format_amount(amount: &str, currency: &str) -> String {
    if currency.eq_ignore_ascii_case("USD") || currency.is_empty() {
        format!("${amount}")
    } else {
        format!("{amount} {currency}")
    }
}
