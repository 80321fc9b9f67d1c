//! Harness for the end-to-end tests: a ChromeDriver process, a headless
//! Chromium session through WebDriver, and an artifacts folder for
//! screenshots, page sources and console logs.

pub mod browser;
pub mod leaks;
pub mod relay;
pub mod reliability;
pub mod shopper;
pub mod storefront;

pub use browser::Browser;
pub use relay::TestRelay;

use std::path::PathBuf;

/// Where screenshots and failure dumps go: `$ANET_E2E_ARTIFACTS`, else
/// `<target dir>/e2e-artifacts`.
pub fn artifacts_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("ANET_E2E_ARTIFACTS") {
        return PathBuf::from(d);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("e2e-artifacts")
}

/// The Trunk output the relay serves under `/widget/`.
pub fn widget_dir() -> PathBuf {
    std::env::var_os("ANET_WIDGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../web/dist"))
}
