//! The checkout widget: a Leptos client-side app that runs inside the relay's
//! iframe (`/widget/?session=…`). The merchant page never sees a card field.
//!
//! - [`params`]: the iframe URL contract (session token, parent origin, locale, theme);
//! - [`api`]: the relay's widget API behind the [`api::CheckoutApi`] trait;
//! - [`model`]: form state and the domain rules applied to it;
//! - [`view`]: the components ([`App`], [`Checkout`]);
//! - [`parent`]: `postMessage` to the merchant page (resize and result events);
//! - [`i18n`]: English and Spanish texts.

pub mod api;
pub mod i18n;
pub mod model;
pub mod params;
pub mod parent;
pub mod view;

use std::rc::Rc;

pub use api::{ApiError, CheckoutApi, HttpApi, LocalFuture};
pub use params::WidgetParams;
pub use parent::ParentLink;
pub use view::{App, Checkout};

/// Reads the iframe URL, applies the theme and mounts the app into `<body>`.
pub fn start() {
    let params = WidgetParams::from_location();
    params.apply_theme();
    let api: Rc<dyn CheckoutApi> = Rc::new(HttpApi::new(params.session.clone()));
    leptos::mount::mount_to_body(move || leptos::view! { <App params=params api=api /> });
}
