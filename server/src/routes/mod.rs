//! The router: route table, layers (request ids, tracing, limits, timeouts,
//! security headers, metrics).

pub mod assets;
pub mod merchant;
pub mod ops;
pub mod widget;

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::idempotency;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    let merchant = Router::new()
        .route("/v1/sessions", post(merchant::create_session))
        .route("/v1/sessions/{id}", get(merchant::get_session))
        .route("/v1/sessions/{id}/capture", post(merchant::capture))
        .route("/v1/sessions/{id}/void", post(merchant::void))
        .route("/v1/sessions/{id}/refunds", post(merchant::refund))
        .route(
            "/v1/shoppers/{reference}/payment-methods",
            get(merchant::list_payment_methods),
        )
        .route(
            "/v1/shoppers/{reference}/payment-methods/{id}",
            delete(merchant::delete_payment_method),
        )
        .route(
            "/v1/shoppers/{reference}/addresses",
            get(merchant::list_addresses),
        )
        .route(
            "/v1/shoppers/{reference}/addresses/{id}",
            delete(merchant::delete_address),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
        .layer(middleware::from_fn(no_store));

    let widget_api = Router::new()
        .route("/widget/v1/session", get(widget::get_session))
        .route("/widget/v1/session/pay", post(widget::pay))
        .layer(middleware::from_fn(no_store));

    let mut app = Router::new()
        .merge(merchant)
        .merge(widget_api)
        .route("/widget", get(assets::widget_root_redirect))
        .route("/widget/", get(assets::widget_index))
        .route("/widget/{*path}", get(assets::widget_file))
        .route("/checkout.js", get(assets::loader))
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(ops::openapi));
    if state.config.demo {
        app = app
            .route("/", get(assets::demo_page))
            .route("/demo.js", get(assets::demo_js))
            .route("/demo.css", get(assets::demo_css))
            .route("/demo/sessions/{id}", get(assets::demo_session));
    }

    app.fallback(ops::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(DefaultBodyLimit::max(idempotency::MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(90),
        ))
        .layer(middleware::from_fn(security_headers))
        .layer(CatchPanicLayer::custom(ops::panic_response))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    // The path only: never the query string (it carries the
                    // widget's client token) and never a body.
                    tracing::info_span!(
                        "http",
                        method = %req.method(),
                        path = %req.uri().path(),
                        request_id = %id,
                    )
                })
                .on_request(())
                .on_body_chunk(())
                .on_eos(()),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Metrics by route template (never the concrete path: it holds ids).
async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().as_str().to_owned();
    let resp = next.run(req).await;
    state
        .metrics
        .http(&route, &method, resp.status().as_u16(), started.elapsed());
    resp
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    resp
}

async fn no_store(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}
