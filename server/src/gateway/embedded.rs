//! `ANET_GATEWAY=embedded`: the sandbox library runs inside the relay on a
//! loopback port, and the relay talks to it over real HTTP exactly as it would
//! to Authorize.Net, so the code path is the production one.

use std::time::Duration;

use authnet_sandbox::{Sandbox, SandboxConfig};
use checkout_domain::Secret;
use tokio::net::TcpListener;

/// Credentials the embedded sandbox accepts (and the relay uses) when none
/// are configured: the sandbox's documented test pair.
pub const DEFAULT_LOGIN: &str = authnet_sandbox::DEFAULT_LOGIN;
pub const DEFAULT_KEY: &str = authnet_sandbox::DEFAULT_TRANSACTION_KEY;

/// A running sandbox on a loopback port.
#[derive(Debug)]
pub struct EmbeddedGateway {
    pub base_url: String,
    pub aim_url: String,
    pub api_url: String,
    /// Direct handle (tests: settle, ledger, faults).
    pub sandbox: Sandbox,
    task: tokio::task::JoinHandle<()>,
}

impl EmbeddedGateway {
    /// Starts the sandbox on `127.0.0.1:0` with the given credentials.
    /// `test_hooks` enables the control endpoints (`/_sandbox/settle`,
    /// `/_sandbox/ledger`, `/_sandbox/faults`) and fault injection, and turns
    /// the settlement schedule off (tests settle explicitly); otherwise a
    /// batch settles every 5 minutes so refunds can be tried in the demo.
    pub async fn start(
        login: &str,
        key: &str,
        test_hooks: bool,
    ) -> std::io::Result<EmbeddedGateway> {
        let config = SandboxConfig {
            login: login.to_owned(),
            transaction_key: Secret::new(key.to_owned()),
            enable_control: test_hooks,
            enable_faults: test_hooks,
            settle_every: (!test_hooks).then(|| Duration::from_secs(300)),
            // Like a merchant's fraud filters in the Merchant Interface: decline
            // when the ZIP (AVS A) or neither address nor ZIP (N) match, and when the card code
            // does not match (N), so the demo and tests can show field-level
            // declines with the sandbox ZIPs 46201 / 46205 and card code 901.
            behaviour: authnet_sandbox::Behaviour {
                avs_reject: "AN".to_owned(),
                card_code_reject: "N".to_owned(),
                ..authnet_sandbox::Behaviour::default()
            },
        };
        EmbeddedGateway::start_with(Sandbox::new(config)).await
    }

    /// Serves an already built sandbox.
    pub async fn start_with(sandbox: Sandbox) -> std::io::Result<EmbeddedGateway> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let served = sandbox.clone();
        let task = tokio::spawn(async move {
            if let Err(e) = authnet_sandbox::serve(listener, served).await {
                tracing::error!(error = %e, "embedded sandbox stopped");
            }
        });
        let base_url = format!("http://{addr}");
        Ok(EmbeddedGateway {
            aim_url: format!("{base_url}/gateway/transact.dll"),
            api_url: format!("{base_url}/xml/v1/request.api"),
            base_url,
            sandbox,
            task,
        })
    }
}

impl Drop for EmbeddedGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}
