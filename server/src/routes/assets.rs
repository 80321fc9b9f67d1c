//! Static serving: the widget bundle (Trunk's output) under `/widget/`, the
//! loader at `/checkout.js`, and in demo mode the storefront at `/`.

use std::path::{Component, Path as FsPath, PathBuf};

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use checkout_api::{CreateSessionRequest, ExtraCharge, LineItem, PaymentMode};
use checkout_domain::Amount;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::AppState;
use crate::error::AppError;
use crate::payments::session;

const NOT_BUILT: &str =
    "widget bundle not built — run `cargo xtask run` (or `trunk build` in web/) and reload.\n";

fn not_built() -> Response {
    let mut r = (StatusCode::SERVICE_UNAVAILABLE, NOT_BUILT).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// The iframe document's Content-Security-Policy: only our own scripts (plus
/// the hashes of the bundle's own inline scripts, if Trunk left any), WebAssembly
/// compilation, our own API, and framing only by the allowed origins.
pub fn widget_csp(state: &AppState, script_hashes: &[String]) -> String {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    for h in script_hashes {
        scripts.push_str(&format!(" 'sha256-{h}'"));
    }
    let mut ancestors = String::from("'self'");
    for o in &state.config.allowed_origins {
        ancestors.push(' ');
        ancestors.push_str(o);
    }
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; \
         frame-ancestors {ancestors}"
    )
}

/// SHA-256 (base64) of every inline `<script>` in a document.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(start) = lower.get(from..).and_then(|s| s.find("<script")) {
        let open = from + start;
        let Some(tag_end) = lower.get(open..).and_then(|s| s.find('>')) else {
            break;
        };
        let tag = lower.get(open..open + tag_end).unwrap_or("");
        let body_start = open + tag_end + 1;
        let Some(close) = lower.get(body_start..).and_then(|s| s.find("</script")) else {
            break;
        };
        let body = html.get(body_start..body_start + close).unwrap_or("");
        if !tag.contains(" src=") && !body.trim().is_empty() {
            out.push(base64(&Sha256::digest(body.as_bytes())));
        }
        from = body_start + close;
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let idx = ((n >> (18 - 6 * i)) & 63) as usize;
                s.push(char::from(T.get(idx).copied().unwrap_or(b'A')));
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn with_csp(mut resp: Response, csp: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(csp) {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}

pub async fn widget_root_redirect(req: Request) -> Redirect {
    let q = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    Redirect::permanent(&format!("/widget/{q}"))
}

/// `/widget/`: index.html with its CSP.
pub async fn widget_index(State(state): State<AppState>) -> Response {
    let dir = &state.config.widget_dir;
    let Ok(html) = tokio::fs::read_to_string(dir.join("index.html")).await else {
        return not_built();
    };
    let csp = widget_csp(&state, &inline_script_hashes(&html));
    let mut resp = Html(html).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    with_csp(resp, &csp)
}

struct Html(String);

impl IntoResponse for Html {
    fn into_response(self) -> Response {
        let mut r = self.0.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        r
    }
}

/// A path inside `root`, refusing `..`, absolute parts and hidden files.
fn safe_join(root: &FsPath, rel: &str) -> Option<PathBuf> {
    let mut out = root.to_path_buf();
    for c in FsPath::new(rel).components() {
        match c {
            Component::Normal(p) if !p.to_string_lossy().starts_with('.') => out.push(p),
            _ => return None,
        }
    }
    Some(out)
}

/// `/widget/{path}`: the bundle's files (wasm, js, css).
pub async fn widget_file(
    State(state): State<AppState>,
    Path(path): Path<String>,
    req: Request,
) -> Response {
    let dir = &state.config.widget_dir;
    if !dir.is_dir() {
        return not_built();
    }
    if path.is_empty() || path == "index.html" {
        return widget_index(State(state)).await;
    }
    let Some(file) = safe_join(dir, &path) else {
        return AppError::NotFound("file").into_response();
    };
    if !file.is_file() {
        return AppError::NotFound("file").into_response();
    }
    let csp = widget_csp(&state, &[]);
    match ServeFile::new(file).oneshot(req).await {
        Ok(r) => with_csp(r.map(Body::new), &csp),
        Err(e) => AppError::Internal(format!("serve file: {e}")).into_response(),
    }
}

/// `/checkout.js`: from the bundle if Trunk copied it there, else from
/// `web/loader/`.
pub async fn loader(State(state): State<AppState>) -> Response {
    let candidates = [
        state.config.widget_dir.join("checkout.js"),
        state.config.loader_fallback.clone(),
    ];
    for c in candidates {
        if let Ok(js) = tokio::fs::read(&c).await {
            let mut r = js.into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            // Storefronts on other origins load it with a plain script tag.
            h.insert(
                "cross-origin-resource-policy",
                HeaderValue::from_static("cross-origin"),
            );
            return r;
        }
    }
    let mut r = (
        StatusCode::SERVICE_UNAVAILABLE,
        "console.error(\"anet-checkout: the loader (checkout.js) is not built; run cargo xtask run\");\n",
    )
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r
}

#[derive(Debug, serde::Deserialize)]
pub struct DemoQuery {
    shopper: Option<String>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn demo_order(shopper: Option<String>) -> Result<CreateSessionRequest, AppError> {
    let a = |s: &str| {
        s.parse::<Amount>()
            .map_err(|_| AppError::Internal("demo amount".into()))
    };
    let returning = shopper.is_some();
    Ok(CreateSessionRequest {
        amount: a("27.50")?,
        mode: PaymentMode::AuthCapture,
        tax: Some(ExtraCharge {
            amount: a("2.50")?,
            name: Some("Sales tax".into()),
            description: None,
        }),
        freight: None,
        duty: None,
        tax_exempt: false,
        line_items: vec![LineItem {
            item_id: "MUG-1".into(),
            name: "Rust mug".into(),
            description: Some("Ceramic, 350 ml".into()),
            quantity: "2".into(),
            unit_price: a("12.50")?,
            taxable: true,
        }],
        invoice_number: None,
        po_number: None,
        description: Some("Demo Store order: 2 × Rust mug".into()),
        shopper_reference: shopper,
        shopper_email: returning.then(|| "alice@example.com".to_owned()),
        require_avs: true,
        require_card_code: true,
        offer_save: returning,
        return_url: None,
    })
}

/// The demo storefront: creates a session server-side (as a merchant
/// backend would) and embeds the widget with the script tag.
pub async fn demo_page(
    State(state): State<AppState>,
    Query(q): Query<DemoQuery>,
) -> Result<Response, AppError> {
    let shopper = match q.shopper.as_deref() {
        Some("alice") => Some("alice".to_owned()),
        Some(_) => return Err(AppError::NotFound("demo shopper")),
        None => None,
    };
    let who = if shopper.is_some() {
        "Returning shopper <strong>alice</strong>: tick “save this card” once, then come back and pay with the saved card."
    } else {
        "A new shopper."
    };
    let created = session::create(&state, demo_order(shopper)?).await?;
    let name = escape(&state.config.merchant_name);
    let html = format!(
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name} — anet-checkout demo</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header><h1>{name}</h1><p class="tag">anet-checkout demo storefront (embedded sandbox — no real money)</p></header>
<main>
<section class="order">
<h2>Your order</h2>
<table>
<tr><td>2 × Rust mug</td><td>$25.00</td></tr>
<tr><td>Sales tax</td><td>$2.50</td></tr>
<tr class="total"><td>Total</td><td>$27.50</td></tr>
</table>
<p>{who}</p>
<nav><a href="/">New shopper</a> · <a href="/?shopper=alice">Returning shopper alice</a></nav>
</section>
<section class="pay">
<h2>Payment</h2>
<div id="checkout"></div>
<div id="result" role="status" aria-live="polite"></div>
<dl id="merchant-view" data-session-id="{session_id}"></dl>
</section>
<aside>
<h3>Sandbox test values</h3>
<ul>
<li>Cards: 4111 1111 1111 1111 (Visa), 5424 0000 0000 0015 (Mastercard), 3700 000000 00002 (Amex, 4-digit code)</li>
<li>Any future expiry; card code 901 = mismatch (declined, blames the code)</li>
<li>ZIP 46282 = declined; 46201 = ZIP mismatch; 46205 = address mismatch</li>
</ul>
</aside>
</main>
<script src="/checkout.js" data-session="{token}" data-target="#checkout"></script>
<script src="/demo.js"></script>
</body>
</html>
"##,
        session_id = escape(&created.id),
        token = escape(&created.client_token),
    );
    let resp = Html(html).into_response();
    let resp = with_csp(
        resp,
        "default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'self'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'",
    );
    let mut resp = resp;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

const DEMO_JS: &str = r#"// Demo storefront: shows the merchant side of a payment.
(function () {
  var target = document.querySelector('#checkout');
  var result = document.querySelector('#result');
  var view = document.querySelector('#merchant-view');
  function show(kind, detail) {
    result.className = 'result ' + kind;
    var text = kind.toUpperCase();
    if (detail) {
      if (detail.transaction_id) text += ' — transaction ' + detail.transaction_id;
      if (detail.last4) text += ' — card ending ' + detail.last4;
      if (detail.message) text += ' — ' + detail.message;
    }
    result.textContent = text;
    refresh();
  }
  function refresh() {
    var id = view.getAttribute('data-session-id');
    fetch('/demo/sessions/' + encodeURIComponent(id))
      .then(function (r) { return r.json(); })
      .then(function (s) {
        view.textContent = '';
        [['Merchant sees status', s.status], ['Transaction', s.transaction_id],
         ['Card', (s.brand || '') + ' ' + (s.last4 || '')], ['AVS', s.avs_result],
         ['Card code', s.card_code_result], ['Captured', s.amount_captured]]
          .forEach(function (p) {
            if (!p[1]) return;
            var dt = document.createElement('dt'); dt.textContent = p[0];
            var dd = document.createElement('dd'); dd.textContent = p[1];
            view.appendChild(dt); view.appendChild(dd);
          });
      })
      .catch(function () {});
  }
  if (target) {
    ['approved', 'declined', 'error'].forEach(function (kind) {
      target.addEventListener('anet:' + kind, function (e) { show(kind, e.detail); });
    });
  }
})();
"#;

const DEMO_CSS: &str = r#"body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1d2330;color:#fff;padding:1rem 2rem}header h1{margin:0}.tag{margin:.25rem 0 0;opacity:.8}
main{display:grid;grid-template-columns:minmax(260px,1fr) minmax(320px,460px) minmax(200px,1fr);gap:2rem;padding:2rem}
section,aside{background:#fff;border-radius:8px;padding:1rem 1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
table{width:100%;border-collapse:collapse}td{padding:.25rem 0}td:last-child{text-align:right}.total td{font-weight:700;border-top:1px solid #ddd}
#checkout iframe{width:100%;border:0}.result{margin-top:1rem;padding:.75rem;border-radius:6px}
.result.approved{background:#e6f6ea}.result.declined,.result.error{background:#fdecea}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}
@media (max-width:900px){main{grid-template-columns:1fr}}
"#;

pub async fn demo_js() -> Response {
    let mut r = DEMO_JS.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r
}

pub async fn demo_css() -> Response {
    let mut r = DEMO_CSS.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r
}

/// Demo only: the merchant's view of a session, for the storefront page.
pub async fn demo_session(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<checkout_api::SessionView>, AppError> {
    let s = state
        .db
        .get_session(&id)
        .await?
        .ok_or(AppError::NotFound("session"))?;
    Ok(Json(session::merchant_view(&s)?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<script src=\"/a.js\"></script><script type=\"module\">init()</script>";
        let h = inline_script_hashes(html);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0], base64(&Sha256::digest(b"init()")));
    }

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
    }

    #[test]
    fn refuses_traversal() {
        let root = FsPath::new("/srv/w");
        assert!(safe_join(root, "../etc/passwd").is_none());
        assert!(safe_join(root, ".env").is_none());
        assert_eq!(
            safe_join(root, "a/b.js"),
            Some(PathBuf::from("/srv/w/a/b.js"))
        );
    }
}
