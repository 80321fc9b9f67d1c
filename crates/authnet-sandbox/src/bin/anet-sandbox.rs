//! `anet-sandbox`: the offline Authorize.Net gateway emulator.
//!
//! ```text
//! anet-sandbox --listen 127.0.0.1:8089 [--login L --key K] [--enable-control]
//!              [--enable-faults] [--settle-every SECS]
//! ```
//! Every flag has an environment variable (see `--help`).

use std::time::Duration;

use authnet_sandbox::{DEFAULT_LOGIN, DEFAULT_TRANSACTION_KEY, Sandbox, SandboxConfig};
use checkout_domain::Secret;
use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "anet-sandbox",
    about = "Offline Authorize.Net gateway emulator (AIM + XML API)"
)]
struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "ANET_SANDBOX_LISTEN", default_value = "127.0.0.1:8089")]
    listen: String,
    /// API Login ID the sandbox accepts.
    #[arg(long, env = "ANET_SANDBOX_LOGIN", default_value = DEFAULT_LOGIN)]
    login: String,
    /// Transaction Key the sandbox accepts.
    #[arg(long, env = "ANET_SANDBOX_KEY", default_value = DEFAULT_TRANSACTION_KEY, hide_default_value = false)]
    key: String,
    /// Serve the /_sandbox/* control endpoints (settle, ledger, faults, clock, reset).
    #[arg(long, env = "ANET_SANDBOX_ENABLE_CONTROL")]
    enable_control: bool,
    /// Allow fault injection (needs --enable-control to set faults over HTTP).
    #[arg(long, env = "ANET_SANDBOX_ENABLE_FAULTS")]
    enable_faults: bool,
    /// Run a settlement batch every SECS seconds.
    #[arg(long, env = "ANET_SANDBOX_SETTLE_EVERY")]
    settle_every: Option<u64>,
    /// MD5 hash value (merchant secret) used for response position 38.
    #[arg(long, env = "ANET_SANDBOX_MD5_HASH", default_value = "")]
    md5_hash: String,
    /// AVS letters that decline with reason 27 (e.g. "NAZ"). Default: none.
    #[arg(long, env = "ANET_SANDBOX_AVS_REJECT", default_value = "")]
    avs_reject: String,
    /// Card-code letters that decline with reason 65 (e.g. "N"). Default: none.
    #[arg(long, env = "ANET_SANDBOX_CARD_CODE_REJECT", default_value = "")]
    card_code_reject: String,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let mut config = SandboxConfig {
        login: args.login,
        transaction_key: Secret::new(args.key),
        enable_control: args.enable_control,
        enable_faults: args.enable_faults,
        settle_every: args
            .settle_every
            .filter(|s| *s > 0)
            .map(Duration::from_secs),
        ..SandboxConfig::default()
    };
    config.behaviour.md5_hash_value = args.md5_hash;
    config.behaviour.avs_reject = args.avs_reject.to_ascii_uppercase();
    config.behaviour.card_code_reject = args.card_code_reject.to_ascii_uppercase();
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("anet-sandbox: cannot listen on {}: {e}", args.listen);
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("anet-sandbox: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("anet-sandbox listening on http://{addr}");
    println!("  AIM:      http://{addr}/gateway/transact.dll");
    println!("  XML API:  http://{addr}/xml/v1/request.api");
    if config.enable_control {
        println!("  control:  http://{addr}/_sandbox/ (settle, ledger, faults, clock, reset)");
    }
    println!("  login:    {}", config.login);
    let sandbox = Sandbox::new(config);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match authnet_sandbox::serve::serve_with_shutdown(listener, sandbox, shutdown).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("anet-sandbox: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
