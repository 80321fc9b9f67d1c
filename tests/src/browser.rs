//! ChromeDriver + headless Chromium, one per test, cleaned up on drop.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
}

fn chromedriver_path() -> PathBuf {
    std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"))
}

impl Browser {
    /// Starts ChromeDriver on a free loopback port and opens a headless session.
    pub async fn start() -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let driver = Command::new(chromedriver_path())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver (apt-get install chromium-driver)")?;
        let profile =
            std::env::temp_dir().join(format!("anet-chrome-{}-{port}", std::process::id()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1200,1600",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        caps.insert(
            "goog:loggingPrefs".into(),
            serde_json::json!({"browser": "ALL"}),
        );
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => bail!("chromedriver did not answer: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Ok(Browser {
            client,
            driver,
            profile,
        })
    }

    /// Saves a PNG of the page under the artifacts folder.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let dir = crate::artifacts_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        let png = self.client.screenshot().await?;
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Saves the page source and the browser console log (for failures).
    pub async fn dump(&self, name: &str) -> Result<()> {
        let dir = crate::artifacts_dir();
        std::fs::create_dir_all(&dir)?;
        let _ = crate::shopper::top(&self.client).await;
        let source = self.client.source().await.unwrap_or_default();
        std::fs::write(dir.join(format!("{name}.html")), source)?;
        let logs = self.console_log().await.unwrap_or_default();
        std::fs::write(
            dir.join(format!("{name}.console.json")),
            serde_json::to_string_pretty(&logs)?,
        )?;
        let _ = self.screenshot(name).await;
        Ok(())
    }

    pub async fn console_log(&self) -> Result<Vec<serde_json::Value>> {
        console_log(&self.client).await
    }

    pub async fn close(self) -> Result<()> {
        let Browser { client, .. } = &self;
        client.clone().close().await?;
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The browser console entries since the last call (Chromium's log type).
pub async fn console_log(client: &Client) -> Result<Vec<serde_json::Value>> {
    let v = client
        .issue_cmd(ChromeLog)
        .await
        .context("reading the browser console log")?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

/// Chromium's non-standard `POST /session/{id}/se/log` ({"type":"browser"}).
#[derive(Debug)]
struct ChromeLog;

impl fantoccini::wd::WebDriverCompatibleCommand for ChromeLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}
