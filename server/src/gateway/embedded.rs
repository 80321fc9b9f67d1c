//! `ANET_GATEWAY=embedded`: the sandbox library runs inside the relay on a
//! loopback port, and the relay talks to it over real HTTP exactly as it would
//! to Authorize.Net, so the code path is the production one.

use tokio::net::TcpListener;

/// Credentials the embedded sandbox accepts (and the relay uses) when none
/// are configured.
pub const DEFAULT_LOGIN: &str = "anet-test";
pub const DEFAULT_KEY: &str = "SandboxKey123456";

/// A running embedded sandbox.
#[derive(Debug)]
pub struct EmbeddedGateway {
    pub base_url: String,
    pub aim_url: String,
    pub api_url: String,
    task: tokio::task::JoinHandle<()>,
}

impl EmbeddedGateway {
    /// Starts the sandbox on `127.0.0.1:0` with the given credentials.
    /// `test_hooks` enables the control endpoints (`/_sandbox/settle`,
    /// `/_sandbox/ledger`, `/_sandbox/faults`) — tests only.
    pub async fn start(login: &str, key: &str, test_hooks: bool) -> std::io::Result<EmbeddedGateway> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let router = sandbox_router(login, key, test_hooks);
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!(error = %e, "embedded sandbox stopped");
            }
        });
        let base_url = format!("http://{addr}");
        Ok(EmbeddedGateway {
            aim_url: format!("{base_url}/gateway/transact.dll"),
            api_url: format!("{base_url}/xml/v1/request.api"),
            base_url,
            task,
        })
    }
}

impl Drop for EmbeddedGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn sandbox_router(_login: &str, _key: &str, _test_hooks: bool) -> axum::Router {
    // Placeholder until the sandbox library lands.
    axum::Router::new()
}
