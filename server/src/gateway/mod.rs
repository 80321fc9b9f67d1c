//! The gateway boundary: AIM (`transact.dll`) and the XML API (`request.api`)
//! over real HTTP with reqwest, whatever the target (the embedded sandbox, the
//! Authorize.Net hosts, or custom URLs). Encoding and parsing live in
//! `authnet-proto`; this module only moves bytes and classifies transport
//! failures by what they mean for money:
//! - [`GatewayError::NotSent`]: the request provably never reached the gateway;
//! - [`GatewayError::Uncertain`]: it may have been processed (timeout, lost
//!   connection, unreadable answer) — the caller must resolve before answering.

pub mod embedded;
pub mod reporting;

use std::time::{Duration, Instant};

use authnet_proto::aim::{AimRequest, AimResponse, Credentials};
use authnet_proto::api::{self, ApiRequest, ApiResponse, Format, MerchantAuthentication};
use checkout_domain::Secret;

use crate::metrics::Metrics;

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The request could not be built (a bug or bad merchant data); nothing sent.
    #[error("request not built: {0}")]
    Build(String),
    /// Connection refused / DNS: nothing reached the gateway.
    #[error("gateway unreachable: {0}")]
    NotSent(String),
    /// Sent, but no usable answer: the gateway may have processed it.
    #[error("gateway outcome unknown: {0}")]
    Uncertain(String),
}

impl GatewayError {
    pub fn is_uncertain(&self) -> bool {
        matches!(self, GatewayError::Uncertain(_))
    }
}

/// Talks to one gateway with one merchant's credentials.
#[derive(Clone)]
pub struct GatewayClient {
    http: reqwest::Client,
    aim_url: String,
    api_url: String,
    login: String,
    transaction_key: Secret<String>,
    md5_hash: Option<Secret<String>>,
    metrics: Metrics,
}

impl std::fmt::Debug for GatewayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayClient")
            .field("aim_url", &self.aim_url)
            .field("api_url", &self.api_url)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

impl GatewayClient {
    pub fn new(
        aim_url: String,
        api_url: String,
        login: String,
        transaction_key: Secret<String>,
        md5_hash: Option<Secret<String>>,
        timeout: Duration,
        metrics: Metrics,
    ) -> Result<GatewayClient, GatewayError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("anet-checkout-relay/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| GatewayError::Build(e.to_string()))?;
        Ok(GatewayClient {
            http,
            aim_url,
            api_url,
            login,
            transaction_key,
            md5_hash,
            metrics,
        })
    }

    pub fn aim_url(&self) -> &str {
        &self.aim_url
    }

    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    pub fn credentials(&self) -> Credentials {
        Credentials::new(self.login.clone(), self.transaction_key.clone())
    }

    pub fn merchant_authentication(&self) -> MerchantAuthentication {
        MerchantAuthentication {
            name: Some(self.login.clone()),
            transaction_key: Some(self.transaction_key.clone()),
        }
    }

    /// One AIM request. A decline is `Ok` (it is data); `Err` means we could
    /// not find out what happened.
    pub async fn aim(&self, req: &AimRequest) -> Result<AimResponse, GatewayError> {
        let body = req
            .encode()
            .map_err(|e| GatewayError::Build(e.to_string()))?;
        let started = Instant::now();
        let result = self
            .post(
                &self.aim_url,
                "application/x-www-form-urlencoded",
                body.into_bytes(),
            )
            .await;
        let bytes = match result {
            Ok(b) => b,
            Err(e) => {
                self.metrics
                    .gateway("aim", error_label(&e), started.elapsed());
                return Err(e);
            }
        };
        let parsed = AimResponse::parse(&bytes, req.delim_char, req.encap_char)
            .map_err(|e| GatewayError::Uncertain(format!("unreadable AIM response: {e}")));
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                self.metrics.gateway("aim", "unreadable", started.elapsed());
                return Err(e);
            }
        };
        if let Some(hash) = &self.md5_hash
            && !parsed.verify_md5(hash.expose_secret(), &self.login)
        {
            self.metrics
                .gateway("aim", "md5_mismatch", started.elapsed());
            return Err(GatewayError::Uncertain(
                "AIM response MD5 hash does not match; answer not trusted".into(),
            ));
        }
        self.metrics.gateway("aim", "ok", started.elapsed());
        Ok(parsed)
    }

    /// One XML API request (CIM). API-level errors (`resultCode` Error) are
    /// `Ok`; transport failures are `Err`.
    pub async fn api(&self, req: &ApiRequest) -> Result<ApiResponse, GatewayError> {
        let body = api::encode_request(req, Format::Xml);
        let started = Instant::now();
        let bytes = match self
            .post(&self.api_url, "text/xml; charset=utf-8", body)
            .await
        {
            Ok(b) => b,
            Err(e) => {
                self.metrics
                    .gateway("cim", error_label(&e), started.elapsed());
                return Err(e);
            }
        };
        match api::decode_response(&bytes, Format::Xml, req.function()) {
            Ok(r) => {
                self.metrics.gateway("cim", "ok", started.elapsed());
                Ok(r)
            }
            Err(e) => {
                self.metrics.gateway("cim", "unreadable", started.elapsed());
                Err(GatewayError::Uncertain(format!(
                    "unreadable XML API response ({})",
                    e.code()
                )))
            }
        }
    }

    async fn post(
        &self,
        url: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, GatewayError> {
        let resp = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .map_err(classify_reqwest)?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| {
            GatewayError::Uncertain(format!(
                "connection lost reading the answer: {}",
                kind_of(&e)
            ))
        })?;
        if !status.is_success() {
            // The gateway answers 200 for every processed request; anything
            // else means we cannot know whether it processed ours.
            return Err(GatewayError::Uncertain(format!(
                "gateway answered HTTP {status}"
            )));
        }
        Ok(bytes.to_vec())
    }
}

fn kind_of(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else if e.is_body() || e.is_decode() {
        "body"
    } else if e.is_request() {
        "request"
    } else {
        "other"
    }
}

fn classify_reqwest(e: reqwest::Error) -> GatewayError {
    // Only a failed connect is provably "not sent"; a timeout or a reset
    // after the connection was up may have reached the gateway.
    if e.is_connect() && !e.is_timeout() {
        GatewayError::NotSent(format!("cannot connect ({})", kind_of(&e)))
    } else {
        GatewayError::Uncertain(format!("no answer ({})", kind_of(&e)))
    }
}

fn error_label(e: &GatewayError) -> &'static str {
    match e {
        GatewayError::Build(_) => "build_error",
        GatewayError::NotSent(_) => "not_sent",
        GatewayError::Uncertain(_) => "uncertain",
    }
}
