//! Card-data leak checks: every log line the relay and the sandbox write in
//! this process (captured at debug level), and the relay's database files, are
//! scanned for the full card numbers the tests typed.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Result, ensure};

static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs (once per test binary) a tracing subscriber that keeps every log
/// line of this process in memory, at debug level for our crates.
pub fn capture_logs() -> Arc<Mutex<Vec<u8>>> {
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = Sink(buf.clone());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "info,checkout_relay=debug,authnet_sandbox=debug,authnet_proto=debug,tower_http=debug",
            ))
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .try_init();
        buf
    })
    .clone()
}

/// Fails if any of `needles` occurs in the captured logs or in the database
/// files next to `db_path` (the file, its WAL and shared-memory files).
pub fn assert_no_card_data(db_path: &Path, needles: &[&str]) -> Result<()> {
    let logs = capture_logs();
    let text = logs.lock().map(|v| v.clone()).unwrap_or_default();
    let mut files = vec![("logs".to_string(), text)];
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let p = format!("{}{suffix}", db_path.display());
        if let Ok(bytes) = std::fs::read(&p) {
            files.push((p, bytes));
        }
    }
    for (name, bytes) in &files {
        for n in needles {
            let hit = bytes.windows(n.len()).any(|w| w == n.as_bytes());
            ensure!(
                !hit,
                "card data {}…{} found in {name}",
                &n[..4],
                &n[n.len() - 4..]
            );
        }
    }
    Ok(())
}
