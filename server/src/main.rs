//! `anet-relay`: reads the configuration, binds, serves with graceful
//! shutdown (in-flight payments finish before the process exits).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use checkout_relay::{AppState, Config, StartOptions, app};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .init();

    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("anet-relay: {e}");
            return ExitCode::from(2);
        }
    };
    if config.merchant_secret_generated {
        // Printed once, on purpose: embedded mode with no secret configured.
        println!(
            "anet-relay: generated merchant secret key (embedded mode; set ANET_MERCHANT_SECRET to fix it):\n  {}",
            config.merchant_secret.expose_secret()
        );
    }
    if config.duplicate_window_secs == 0 {
        tracing::warn!(
            "ANET_DUPLICATE_WINDOW_SECS=0: the gateway's duplicate check is off, so a charge whose answer is lost cannot be resolved by resending"
        );
    }
    let listen = config.listen;
    let gateway = config.gateway.name();
    let demo = config.demo;
    let state = match AppState::start(config, StartOptions::default()).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("anet-relay: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("anet-relay: cannot listen on {listen} (ANET_LISTEN): {e}");
            return ExitCode::from(1);
        }
    };
    let addr = listener.local_addr().unwrap_or(listen);
    tracing::info!(%addr, gateway, "anet-relay listening");
    if demo {
        println!("anet-relay: demo storefront at http://{addr}/");
    }
    println!("anet-relay: merchant API at http://{addr}/v1, OpenAPI at http://{addr}/openapi.json");

    let housekeeping = state.spawn_housekeeping();
    let router = app(state.clone());
    let served = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    housekeeping.abort();
    if !state.inflight.wait_idle(Duration::from_secs(60)).await {
        tracing::error!(
            in_flight = state.inflight.current(),
            "shutting down with payments still in flight; they will be resolved at the next start"
        );
    }
    state.db.close().await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("anet-relay: server error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
