//! Talking to the merchant page (the iframe's parent) through `postMessage`.
//!
//! Every message is a plain object `{source: "anet-checkout", type, …}` sent to
//! the parent origin the loader put in the iframe URL, never to `"*"`; with no
//! valid origin nothing is sent. Types:
//! - `resize`: `{height}` (CSS pixels of the document's content);
//! - `ready`, `approved`, `declined`, `error`:
//!   `{session, transaction_id, brand, last4, code, message}` (`null` when unknown).
//!
//! The widget accepts no messages from the parent.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

pub const SOURCE: &str = "anet-checkout";

/// Details of a result event (all optional except the session).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultDetail {
    pub transaction_id: Option<String>,
    pub brand: Option<String>,
    pub last4: Option<String>,
    pub code: Option<String>,
    pub message: Option<String>,
}

/// Where events go: the parent window at a known origin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParentLink {
    pub origin: Option<String>,
    pub session: String,
}

fn set(obj: &Object, key: &str, value: Option<&str>) {
    let v = value.map_or(JsValue::NULL, JsValue::from_str);
    let _ = Reflect::set(obj, &JsValue::from_str(key), &v);
}

impl ParentLink {
    fn post(&self, message: &Object) {
        let Some(origin) = self.origin.as_deref() else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(Some(parent)) = window.parent() else {
            return;
        };
        if parent == window {
            return; // not framed
        }
        let _ = parent.post_message(message, origin);
    }

    /// `ready` / `approved` / `declined` / `error`.
    pub fn send_result(&self, kind: &str, detail: &ResultDetail) {
        let msg = Object::new();
        set(&msg, "source", Some(SOURCE));
        set(&msg, "type", Some(kind));
        set(&msg, "session", Some(&self.session));
        set(&msg, "transaction_id", detail.transaction_id.as_deref());
        set(&msg, "brand", detail.brand.as_deref());
        set(&msg, "last4", detail.last4.as_deref());
        set(&msg, "code", detail.code.as_deref());
        set(&msg, "message", detail.message.as_deref());
        self.post(&msg);
    }

    pub fn send_resize(&self, height: f64) {
        let msg = Object::new();
        set(&msg, "source", Some(SOURCE));
        set(&msg, "type", Some("resize"));
        let _ = Reflect::set(
            &msg,
            &JsValue::from_str("height"),
            &JsValue::from_f64(height.ceil()),
        );
        self.post(&msg);
    }

    /// Reports the document height now and whenever it changes.
    pub fn watch_height(&self) {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        let link = self.clone();
        let measure = root.clone();
        let mut last = -1.0_f64;
        let callback = Closure::<dyn FnMut()>::new(move || {
            let height = measure.get_bounding_client_rect().height().ceil();
            if height != last {
                last = height;
                link.send_resize(height);
            }
        });
        use wasm_bindgen::JsCast;
        if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            observer.observe(&root);
        }
        // Lives as long as the page.
        callback.forget();
    }
}
