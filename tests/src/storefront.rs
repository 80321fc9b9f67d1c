//! A merchant's page, on its own origin: one or more `<div>` targets and the
//! `checkout.js` script tags, plus a script that records the widget's DOM
//! events where the tests can read them (`window.anetEvents` and `#events`).
//!
//! `/?token=T` embeds one widget; `&token2=U` a second one; `&locale=es`
//! passes `data-locale`.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse};
use axum::routing::get;

const RECORDER: &str = r#"
// Runs just before the loader's script tag: the start of the widget's load.
window.anetT0 = performance.now();
window.anetEvents = [];
['anet:ready', 'anet:approved', 'anet:declined', 'anet:error'].forEach(function (name) {
  document.addEventListener(name, function (e) {
    var entry = { type: name, target: e.target.id, detail: e.detail, at: performance.now() };
    window.anetEvents.push(entry);
    var log = document.getElementById('events');
    log.textContent += JSON.stringify(entry) + '\n';
  });
});
"#;

fn escape(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .collect()
}

async fn page(
    State(relay): State<String>,
    Query(q): Query<HashMap<String, String>>,
) -> impl IntoResponse {
    let token = escape(q.get("token").map(String::as_str).unwrap_or_default());
    let locale = q
        .get("locale")
        .map(|l| format!(" data-locale=\"{}\"", escape(l)))
        .unwrap_or_default();
    let mut body = format!(
        "<!doctype html><html><head><meta charset=utf-8><title>Test shop</title>\
         </head><body>\
         <h1>Test shop</h1><div id=\"checkout\"></div><script src=\"/recorder.js\"></script>\
         <script src=\"{relay}/checkout.js\" data-session=\"{token}\" data-target=\"#checkout\"{locale}></script>"
    );
    if let Some(t2) = q.get("token2") {
        body.push_str(&format!(
            "<h2>Second</h2><div id=\"checkout2\"></div>\
             <script src=\"{relay}/checkout.js\" data-session=\"{}\" data-target=\"#checkout2\"></script>",
            escape(t2)
        ));
    }
    body.push_str("<pre id=\"events\"></pre></body></html>");
    Html(body)
}

async fn recorder() -> impl IntoResponse {
    ([("content-type", "text/javascript")], RECORDER)
}

pub async fn serve(listener: tokio::net::TcpListener, relay_url: String) {
    let app = Router::new()
        .route("/", get(page))
        .route("/recorder.js", get(recorder))
        .with_state(relay_url);
    let _ = axum::serve(listener, app).await;
}
