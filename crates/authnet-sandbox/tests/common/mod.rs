//! Helpers shared by the sandbox's HTTP tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use authnet_proto::aim::AimResponse;
use authnet_sandbox::{Sandbox, SandboxConfig, router};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const VISA: &str = "4111111111111111";

pub struct App {
    pub sandbox: Sandbox,
    pub router: Router,
}

impl App {
    pub fn new() -> App {
        Self::with(SandboxConfig::for_tests())
    }

    pub fn with(config: SandboxConfig) -> App {
        let sandbox = Sandbox::new(config);
        App {
            router: router(sandbox.clone()),
            sandbox,
        }
    }

    /// Raw request → (status, body).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Vec<u8>) {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap();
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        (status, bytes)
    }

    /// Posts an AIM request (default credentials and `|` + `"` framing, then
    /// `fields`, which override) and parses the answer.
    pub async fn aim(&self, fields: &[(&str, &str)]) -> AimResponse {
        let body = aim_body(fields);
        let (status, bytes) = self
            .call(
                "POST",
                "/gateway/transact.dll",
                "application/x-www-form-urlencoded",
                body.into_bytes(),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        AimResponse::parse(&bytes, b'|', Some(b'"'))
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&bytes)))
    }

    pub async fn json(
        &self,
        method: &str,
        path: &str,
        body: &str,
    ) -> (StatusCode, serde_json::Value) {
        let (status, bytes) = self
            .call(method, path, "application/json", body.as_bytes().to_vec())
            .await;
        let v = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        (status, v)
    }

    pub async fn ledger(&self) -> Vec<serde_json::Value> {
        let (status, v) = self.json("GET", "/_sandbox/ledger", "").await;
        assert_eq!(status, StatusCode::OK);
        v.as_array().cloned().unwrap()
    }

    pub async fn settle(&self) -> u64 {
        let (status, v) = self.json("POST", "/_sandbox/settle", "").await;
        assert_eq!(status, StatusCode::OK);
        v["settled"].as_u64().unwrap()
    }
}

pub fn aim_body(fields: &[(&str, &str)]) -> String {
    let mut all: Vec<(&str, &str)> = vec![
        ("x_login", "anet-test"),
        ("x_tran_key", "SandboxKey123456"),
        ("x_version", "3.1"),
        ("x_delim_data", "TRUE"),
        ("x_delim_char", "|"),
        ("x_encap_char", "\""),
        ("x_relay_response", "FALSE"),
    ];
    all.extend_from_slice(fields);
    serde_urlencoded::to_string(&all).unwrap()
}

/// A card sale's usual fields.
pub fn sale<'a>(kind: &'a str, amount: &'a str, invoice: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("x_type", kind),
        ("x_amount", amount),
        ("x_card_num", VISA),
        ("x_exp_date", "12/2035"),
        ("x_invoice_num", invoice),
        ("x_zip", "97201"),
    ]
}
