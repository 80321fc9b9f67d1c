//! The iframe URL contract: what the loader (`checkout.js`) puts in the query
//! string of `/widget/?…`, and how the widget reads it.
//!
//! | parameter | meaning |
//! |---|---|
//! | `session` | the client token (sent as `Authorization: Bearer …`) |
//! | `origin` | the merchant page's origin; the only `postMessage` target |
//! | `locale` | `en` / `es` (else `navigator.language`) |
//! | `theme` | `light`, `dark` or `auto` (default: follow `prefers-color-scheme`) |
//! | `color-primary`, `color-text`, `color-background`, `color-error`, `color-border`, `radius`, `font`, `font-size` | theme values, set as CSS custom properties |

use checkout_domain::Locale;
use wasm_bindgen::JsCast;

/// Loader theme parameters and the CSS custom property each one sets.
pub const THEME_PARAMS: &[(&str, &str)] = &[
    ("color-primary", "--anet-primary"),
    ("color-text", "--anet-text"),
    ("color-background", "--anet-bg"),
    ("color-error", "--anet-error"),
    ("color-border", "--anet-border"),
    ("radius", "--anet-radius"),
    ("font", "--anet-font"),
    ("font-size", "--anet-font-size"),
];

/// Everything the widget learns from its own URL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WidgetParams {
    pub session: String,
    /// `Some` only for a well-formed `http(s)://host[:port]` origin.
    pub parent_origin: Option<String>,
    pub locale: Locale,
    /// `light` / `dark`, or `None` for automatic.
    pub theme: Option<&'static str>,
    /// (CSS custom property, value) pairs that passed [`safe_css_value`].
    pub styles: Vec<(&'static str, String)>,
}

impl WidgetParams {
    /// Parses a query string (`?session=…&origin=…`).
    pub fn from_query(query: &str, browser_language: Option<String>) -> WidgetParams {
        let Ok(q) = web_sys::UrlSearchParams::new_with_str(query) else {
            return WidgetParams::default();
        };
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        let locale = get("locale")
            .or(browser_language)
            .map(|t| Locale::from_tag(&t))
            .unwrap_or_default();
        let theme = match get("theme").as_deref() {
            Some("light") => Some("light"),
            Some("dark") => Some("dark"),
            _ => None,
        };
        let styles = THEME_PARAMS
            .iter()
            .filter_map(|(param, prop)| {
                get(param).filter(|v| safe_css_value(v)).map(|v| (*prop, v))
            })
            .collect();
        WidgetParams {
            session: get("session").unwrap_or_default(),
            parent_origin: get("origin").and_then(|o| normalize_origin(&o)),
            locale,
            theme,
            styles,
        }
    }

    /// Reads the current page's URL and `navigator.language`.
    pub fn from_location() -> WidgetParams {
        let Some(window) = web_sys::window() else {
            return WidgetParams::default();
        };
        let query = window.location().search().unwrap_or_default();
        WidgetParams::from_query(&query, window.navigator().language())
    }

    /// Applies the theme to `<html>`: custom properties through CSSOM
    /// (allowed by the iframe's CSP, unlike inline `style` attributes) and
    /// `data-theme` for a forced light/dark scheme.
    pub fn apply_theme(&self) {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        if let Some(theme) = self.theme {
            let _ = root.set_attribute("data-theme", theme);
        }
        let lang = match self.locale {
            Locale::En => "en",
            Locale::Es => "es",
        };
        let _ = root.set_attribute("lang", lang);
        if let Ok(el) = root.dyn_into::<web_sys::HtmlElement>() {
            let style = el.style();
            for (prop, value) in &self.styles {
                let _ = style.set_property(prop, value);
            }
        }
    }
}

/// `https://shop.example` for a URL-ish origin string; `None` for anything
/// that is not exactly an http(s) origin (so `postMessage` never gets `"*"`,
/// `"null"` or a path).
pub fn normalize_origin(input: &str) -> Option<String> {
    let url = web_sys::Url::new(input).ok()?;
    let protocol = url.protocol();
    if protocol != "https:" && protocol != "http:" {
        return None;
    }
    let origin = url.origin();
    (origin.trim_end_matches('/') == input.trim_end_matches('/')).then_some(origin)
}

/// Theme values are merchant-controlled text: allow plain colours, lengths
/// and font names only. No `url(`, no `;`, no quotes-breaking or braces.
pub fn safe_css_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    value.len() <= 100
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    ' ' | '#' | '%' | '.' | ',' | '-' | '(' | ')' | '\'' | '"' | '/'
                )
        })
        && !lower.contains("url")
        && !lower.contains("image")
        && !lower.contains("expression")
        && !lower.contains("var(")
}
