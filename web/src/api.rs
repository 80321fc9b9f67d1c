//! The widget's view of the relay: two calls behind a small trait, so the
//! components can be mounted with any implementation (the component tests
//! decide when a "request" resolves; the app uses [`HttpApi`]).

use std::future::Future;
use std::pin::Pin;

use checkout_api::{ErrorBody, PayRequest, PayResponse, WidgetSession};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::json;

/// A boxed, single-threaded future (everything in the browser is).
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Why a call to the relay did not give an answer the widget could use.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The relay answered with a non-2xx status and (usually) an [`ErrorBody`].
    Status {
        status: u16,
        body: Option<ErrorBody>,
    },
    /// No answer: offline, DNS, connection reset, CSP…
    Network,
    /// An answer that is not the expected JSON.
    Decode,
}

/// `GET /widget/v1/session` and `POST /widget/v1/session/pay`.
pub trait CheckoutApi {
    fn session(&self) -> LocalFuture<Result<WidgetSession, ApiError>>;
    fn pay(&self, request: PayRequest) -> LocalFuture<Result<PayResponse, ApiError>>;
}

/// The real thing: `fetch` against the relay that served the iframe.
pub struct HttpApi {
    /// e.g. `/widget/v1` (same origin as the iframe).
    pub base: String,
    pub token: String,
}

impl HttpApi {
    pub fn new(token: String) -> HttpApi {
        HttpApi {
            base: "/widget/v1".to_owned(),
            token,
        }
    }
}

impl CheckoutApi for HttpApi {
    fn session(&self) -> LocalFuture<Result<WidgetSession, ApiError>> {
        let url = format!("{}/session", self.base);
        let token = self.token.clone();
        Box::pin(async move { fetch_json(&url, &token, None, json::decode_session).await })
    }

    fn pay(&self, request: PayRequest) -> LocalFuture<Result<PayResponse, ApiError>> {
        let url = format!("{}/session/pay", self.base);
        let token = self.token.clone();
        // Serialize now: the card number is held in `request` only until here.
        let body = json::encode_pay_request(&request).ok_or(ApiError::Decode);
        Box::pin(
            async move { fetch_json(&url, &token, Some(body?), json::decode_pay_response).await },
        )
    }
}

async fn fetch_json<T>(
    url: &str,
    token: &str,
    body: Option<String>,
    decode: fn(&str) -> Result<T, json::DecodeError>,
) -> Result<T, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let headers = web_sys::Headers::new().map_err(|_| ApiError::Network)?;
    let _ = headers.set("Accept", "application/json");
    let _ = headers.set("Authorization", &format!("Bearer {token}"));
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_mode(web_sys::RequestMode::SameOrigin);
    init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
    match &body {
        Some(json) => {
            let _ = headers.set("Content-Type", "application/json");
            init.set_method("POST");
            init.set_body(&JsValue::from_str(json));
        }
        None => init.set_method("GET"),
    }
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| ApiError::Network)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiError::Network)?
        .dyn_into()
        .map_err(|_| ApiError::Network)?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(|_| ApiError::Network)?)
        .await
        .map_err(|_| ApiError::Network)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        decode(&text).map_err(|_| ApiError::Decode)
    } else {
        let body: Option<ErrorBody> = json::decode_error_body(&text).ok();
        Err(ApiError::Status { status, body })
    }
}
