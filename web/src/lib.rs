//! The checkout widget: a Leptos client-side app that runs inside the relay's
//! iframe (`/widget/?session=…`). The merchant page never sees a card field.
//!
//! - [`params`]: the iframe URL contract (session token, parent origin, locale, theme);
//! - [`api`]: the relay's widget API behind the [`api::CheckoutApi`] trait;
//! - [`json`]: its JSON through the browser's `JSON` (no `serde_json` in the bundle);
//! - [`model`]: form state and the domain rules applied to it;
//! - [`view`]: the form component ([`Checkout`]) and [`start_app`];
//! - [`parent`]: `postMessage` to the merchant page (resize and result events);
//! - [`i18n`]: English and Spanish texts.

pub mod api;
pub mod i18n;
pub mod json;
pub mod model;
pub mod params;
pub mod parent;
pub mod view;

use std::rc::Rc;

pub use api::{ApiError, CheckoutApi, HttpApi, LocalFuture};
pub use params::WidgetParams;
pub use parent::ParentLink;
pub use view::{Checkout, start_app};

/// Reads the iframe URL, applies the theme, loads the session and mounts the
/// form into `<body>`.
pub fn start() {
    let params = WidgetParams::from_location();
    params.apply_theme();
    let api: Rc<dyn CheckoutApi> = Rc::new(HttpApi::new(params.session.clone()));
    start_app(params, api);
}
