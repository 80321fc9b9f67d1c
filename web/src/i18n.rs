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

/// (relay `message_code`, English, Spanish): what happened and what to do
/// next. Codes as `server/src/payments/messages.rs` and the relay's error
/// bodies spell them; unknown codes fall back to the relay's English text.
const RESULTS: &[(&str, &str, &str)] = &[
    (
        "approved",
        "Payment approved. Thank you!",
        "Pago aprobado. ¡Gracias!",
    ),
    (
        "approved.held_for_review",
        "Your order has been received and is being reviewed.",
        "Recibimos su pedido y lo estamos revisando.",
    ),
    (
        "declined",
        "Your card was declined. Please use a different card or contact your bank.",
        "Su tarjeta fue rechazada. Use otra tarjeta o comuníquese con su banco.",
    ),
    (
        "declined.card_number",
        "The card number was not accepted. Please check it or use a different card.",
        "No se aceptó el número de tarjeta. Revíselo o use otra tarjeta.",
    ),
    (
        "declined.card_not_accepted",
        "This type of card is not accepted. Please use a different card.",
        "No se acepta este tipo de tarjeta. Use otra tarjeta.",
    ),
    (
        "declined.expiry_invalid",
        "The expiration date was not accepted. Please check it.",
        "No se aceptó la fecha de vencimiento. Revísela.",
    ),
    (
        "declined.expired",
        "This card has expired. Please use a different card.",
        "Esta tarjeta está vencida. Use otra tarjeta.",
    ),
    (
        "declined.card_code",
        "The security code does not match the card. Please check it and try again.",
        "El código de seguridad no coincide con la tarjeta. Revíselo e inténtelo de nuevo.",
    ),
    (
        "declined.address",
        "The billing address does not match the card. Please check it and try again.",
        "La dirección de facturación no coincide con la tarjeta. Revísela e inténtelo de nuevo.",
    ),
    (
        "declined.zip",
        "The ZIP code does not match the card's billing address. Please check it and try again.",
        "El código postal no coincide con la dirección de facturación de la tarjeta. Revíselo e inténtelo de nuevo.",
    ),
    (
        "declined.partially_approved",
        "The card could not cover the full amount. Please use a different card.",
        "La tarjeta no pudo cubrir el importe total. Use otra tarjeta.",
    ),
    (
        "declined.saved_card_unavailable",
        "This saved card is no longer available. Please use a different card.",
        "Esta tarjeta guardada ya no está disponible. Use otra tarjeta.",
    ),
    (
        "error",
        "The payment could not be completed. Please try again.",
        "No se pudo completar el pago. Inténtelo de nuevo.",
    ),
    (
        "error.try_again",
        "The payment could not be processed right now. Please try again.",
        "No se pudo procesar el pago en este momento. Inténtelo de nuevo.",
    ),
    (
        "error.merchant_configuration",
        "The store cannot take card payments right now. Please contact the store.",
        "La tienda no puede aceptar pagos con tarjeta en este momento. Comuníquese con la tienda.",
    ),
    (
        "error.amount",
        "The order amount could not be processed. Please contact the store.",
        "No se pudo procesar el importe del pedido. Comuníquese con la tienda.",
    ),
    (
        "error.duplicate",
        "This payment looks like a repeat of one just made. Please check your order before trying again.",
        "Este pago parece repetir uno recién hecho. Revise su pedido antes de volver a intentarlo.",
    ),
    (
        "error.uncertain",
        "We could not confirm your payment. Please do not pay again; the store will confirm your order.",
        "No pudimos confirmar su pago. No vuelva a pagar; la tienda confirmará su pedido.",
    ),
    (
        "error.network",
        "We could not reach the payment service. Check your connection and try again.",
        "No pudimos conectar con el servicio de pago. Revise su conexión e inténtelo de nuevo.",
    ),
    (
        "rate_limited",
        "Too many attempts. Please wait a few minutes and try again.",
        "Demasiados intentos. Espere unos minutos e inténtelo de nuevo.",
    ),
    (
        "session_expired",
        "This checkout session has expired. Please return to the store and start again.",
        "Esta sesión de pago venció. Vuelva a la tienda y empiece de nuevo.",
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
    (
        "unauthorized",
        "This checkout link is not valid. Please return to the store and start again.",
        "Este enlace de pago no es válido. Vuelva a la tienda y empiece de nuevo.",
    ),
    (
        "payment_method.not_found",
        "This saved card is no longer available. Please use a different card.",
        "Esta tarjeta guardada ya no está disponible. Use otra tarjeta.",
    ),
    (
        "payment_method.expired",
        "This saved card has expired. Please use a different card.",
        "Esta tarjeta guardada está vencida. Use otra tarjeta.",
    ),
    (
        "address.not_found",
        "This saved address is no longer available. Please choose another.",
        "Esta dirección guardada ya no está disponible. Elija otra.",
    ),
];

/// Field messages the relay adds for gateway declines (codes outside the
/// domain crate's table).
const FIELD_MESSAGES: &[(&str, &str, &str)] = &[
    (
        "card_number.declined",
        "Check the card number.",
        "Revise el número de la tarjeta.",
    ),
    (
        "expiry.declined",
        "Check the expiration date.",
        "Revise la fecha de vencimiento.",
    ),
    (
        "card_code.mismatch",
        "The security code does not match the card.",
        "El código de seguridad no coincide con la tarjeta.",
    ),
    (
        "address.mismatch",
        "The address does not match the card's billing address.",
        "La dirección no coincide con la dirección de facturación de la tarjeta.",
    ),
    (
        "zip.mismatch",
        "The ZIP code does not match the card's billing address.",
        "El código postal no coincide con la dirección de facturación de la tarjeta.",
    ),
];

fn pick(
    table: &[(&str, &'static str, &'static str)],
    code: &str,
    locale: Locale,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, en, es)| match locale {
            Locale::En => *en,
            Locale::Es => *es,
        })
}

/// A relay field error's message: the domain crate's text for its codes, our
/// table for the relay's decline codes, else the relay's English message.
pub fn field_message(code: &str, server_message: &str, locale: Locale) -> String {
    if checkout_domain::known_code(code).is_some() {
        return checkout_domain::message(code, locale).to_owned();
    }
    if let Some(m) = pick(FIELD_MESSAGES, code, locale) {
        return m.to_owned();
    }
    if locale == Locale::En && !server_message.is_empty() {
        return server_message.to_owned();
    }
    checkout_domain::message(code, locale).to_owned()
}

/// The message for a pay result: the widget's own translation when it knows
/// the relay's `message_code`, else the relay's (English) message in English,
/// else a generic message for the result kind.
pub fn result_message(code: &str, server_message: &str, kind: PayResult, locale: Locale) -> String {
    if let Some(m) = pick(RESULTS, code, locale) {
        return m.to_owned();
    }
    if locale == Locale::En && !server_message.is_empty() {
        return server_message.to_owned();
    }
    let generic = match kind {
        PayResult::Approved => "approved",
        PayResult::Declined => "declined",
        PayResult::Error => "error",
    };
    pick(RESULTS, generic, locale)
        .unwrap_or_default()
        .to_owned()
}

/// `$12.30` (USD) or `12.30 EUR`; the amount string comes from the session.
pub fn format_amount(amount: &str, currency: &str) -> String {
    if currency.eq_ignore_ascii_case("USD") || currency.is_empty() {
        format!("${amount}")
    } else {
        format!("{amount} {currency}")
    }
}
