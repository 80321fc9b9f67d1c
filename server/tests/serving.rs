//! Serving, operations endpoints, the embedded gateway, a real socket, and
//! graceful shutdown.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use checkout_relay::{AppState, Config, StartOptions, app};
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn widget_bundle_missing_answers_503_with_instructions() {
    let h = Harness::with(Flavor::Sqlite, |c| {
        c.widget_dir = "/nonexistent/web/dist".into();
        c.loader_fallback = "/nonexistent/checkout.js".into();
    })
    .await;
    let (s, v, _) = h.call(Method::GET, "/widget/", None, None, &[]).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        v.as_str().unwrap().contains("widget bundle not built"),
        "{v}"
    );
    assert!(v.as_str().unwrap().contains("cargo xtask run"));
    let (s, _, _) = h
        .call(Method::GET, "/widget/app.wasm", None, None, &[])
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    let (s, v, _) = h.call(Method::GET, "/checkout.js", None, None, &[]).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert!(v.as_str().unwrap().contains("console.error"));
}

#[tokio::test]
async fn widget_document_has_a_strict_csp_and_files_are_served() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><html><head><script type=\"module\">import init from '/widget/w.js'; init();</script></head><body></body></html>",
    )
    .unwrap();
    std::fs::write(dist.path().join("w.js"), "export default function init(){}").unwrap();
    std::fs::write(dist.path().join("checkout.js"), "/* loader from dist */").unwrap();
    let dir = dist.path().to_path_buf();
    let h = Harness::with(Flavor::Sqlite, move |c| {
        c.widget_dir = dir;
        c.allowed_origins = vec!["https://shop.example.com".into()];
    })
    .await;
    let (s, _, hd) = h
        .call(Method::GET, "/widget/?session=ct_x", None, None, &[])
        .await;
    assert_eq!(s, StatusCode::OK);
    let csp = hd["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(
        !csp.contains("script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'"),
        "{csp}"
    );
    assert!(
        csp.contains("frame-ancestors 'self' https://shop.example.com"),
        "{csp}"
    );
    assert_eq!(hd["x-content-type-options"], "nosniff");
    assert!(hd.contains_key("x-request-id"));
    let (s, v, hd) = h.call(Method::GET, "/widget/w.js", None, None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.as_str().unwrap().contains("init"));
    assert!(hd["content-type"].to_str().unwrap().contains("javascript"));
    let (s, _, _) = h
        .call(Method::GET, "/widget/../Cargo.toml", None, None, &[])
        .await;
    assert!(s.is_client_error());
    let (s, _, _) = h
        .call(Method::GET, "/widget/missing.js", None, None, &[])
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v, hd) = h.call(Method::GET, "/checkout.js", None, None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v, Value::String("/* loader from dist */".into()));
    assert!(hd["content-type"].to_str().unwrap().contains("javascript"));
}

#[tokio::test]
async fn health_metrics_and_openapi() {
    let h = Harness::new(Flavor::Sqlite).await;
    let (s, v, _) = h.call(Method::GET, "/healthz", None, None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    let (_, token) = h.create_session(order("5.00")).await;
    let (_, v) = h.pay(&token, new_card(VISA, "900", "98004")).await;
    assert_eq!(v["result"], "approved");
    let (s, v, _) = h.call(Method::GET, "/metrics", None, None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    let text = v.as_str().unwrap();
    assert!(
        text.contains("anet_payments_total{channel=\"aim\",result=\"approved\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("anet_http_requests_total{route=\"/widget/v1/session/pay\""),
        "{text}"
    );
    assert!(!text.contains("1111"), "no card data in metrics");
    let (s, v, _) = h.call(Method::GET, "/openapi.json", None, None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    for p in [
        "/v1/sessions",
        "/v1/sessions/{id}",
        "/v1/sessions/{id}/capture",
        "/v1/sessions/{id}/void",
        "/v1/sessions/{id}/refunds",
        "/v1/shoppers/{reference}/payment-methods",
        "/v1/shoppers/{reference}/payment-methods/{id}",
        "/v1/shoppers/{reference}/addresses",
        "/v1/shoppers/{reference}/addresses/{id}",
        "/widget/v1/session/pay",
    ] {
        assert!(v["paths"].get(p).is_some(), "missing {p}");
    }
    assert!(
        v["components"]["schemas"]
            .get("CreateSessionRequest")
            .is_some()
    );
    let (s, v, _) = h.call(Method::GET, "/nope", None, None, &[]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
}

#[tokio::test]
async fn demo_storefront_embeds_the_widget_with_a_script_tag() {
    let h = Harness::new(Flavor::Sqlite).await;
    let (s, v, hd) = h.call(Method::GET, "/", None, None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    let html = v.as_str().unwrap();
    assert!(
        html.contains("<script src=\"/checkout.js\" data-session=\"ct_"),
        "{html}"
    );
    assert!(html.contains("data-target=\"#checkout\""));
    assert!(html.contains("<script src=\"/demo.js\"></script>"));
    assert!(html.contains("href=\"/?shopper=alice\""));
    assert!(
        !html.contains(SECRET),
        "the secret never reaches the browser"
    );
    let csp = hd["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    // Alice's session offers saving.
    let (_, v, _) = h
        .call(Method::GET, "/?shopper=alice", None, None, &[])
        .await;
    let html = v.as_str().unwrap();
    let token = html
        .split("data-session=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (_, w, _) = h
        .call(Method::GET, "/widget/v1/session", Some(&token), None, &[])
        .await;
    assert_eq!(w["offer_save"], true);
    assert_eq!(w["shopper_known"], true);
    let (s, js, _) = h.call(Method::GET, "/demo.js", None, None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(js.as_str().unwrap().contains("'anet:' + kind"));
}

#[tokio::test]
async fn embedded_mode_runs_the_sandbox_inside_the_relay() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/embedded.sqlite", dir.path().display());
    let config = Config::for_tests(&url, SECRET);
    let state = AppState::start(
        config,
        StartOptions {
            sandbox_test_hooks: true,
        },
    )
    .await
    .unwrap();
    let base = state.embedded_gateway_url().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"));
    let router = app(state.clone());
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/v1/sessions")
        .header("authorization", format!("Bearer {SECRET}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"amount":"7.00"}"#))
        .unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    let v: Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let token = v["client_token"].as_str().unwrap();
    let (_, v) = pay_through(router, token, &new_card(VISA, "900", "98004")).await;
    assert_eq!(v["result"], "approved", "{v}");
    // The control endpoint is there because test hooks are on.
    let ledger: Value = reqwest::get(format!("{base}/_sandbox/ledger"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ledger.as_array().unwrap().len(), 1);
}

async fn serve(
    h: &Harness,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let router = h.app.clone();
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (addr, tx, task)
}

#[tokio::test]
async fn over_a_real_socket_a_payment_in_flight_finishes_during_shutdown() {
    let h = Harness::new(Flavor::Sqlite).await;
    let (addr, stop, server) = serve(&h).await;
    let client = reqwest::Client::new();
    let created: Value = client
        .post(format!("http://{addr}/v1/sessions"))
        .bearer_auth(SECRET)
        .json(&json!({"amount": "21.00", "invoice_number": "SOCK-1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = created["client_token"].as_str().unwrap().to_owned();
    // The gateway takes a while to answer this one.
    h.sandbox()
        .set_fault(authnet_sandbox::Fault {
            endpoint: authnet_sandbox::FaultTarget::Aim,
            kind: authnet_sandbox::FaultKind::Delay,
            delay_ms: 1200,
            count: Some(1),
        })
        .unwrap();
    let pay = {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .post(format!("http://{addr}/widget/v1/session/pay"))
                .bearer_auth(&token)
                .json(&new_card(VISA, "900", "98004"))
                .send()
                .await
                .unwrap()
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.state.inflight.current(), 1);
    stop.send(()).unwrap();
    let resp = pay.await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("x-request-id"));
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["result"], "approved", "{v}");
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(h.state.inflight.current(), 0);
    assert_eq!(h.charges_for("SOCK-1").len(), 1);
    // The client address reached the gateway as x_customer_ip (127.0.0.1).
    let attempts = h
        .state
        .db
        .attempts_for_session(created["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(attempts[0].client_ip.as_deref(), Some("127.0.0.1"));
}
