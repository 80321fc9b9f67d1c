//! Supply chain and configuration:
//! - `deny.toml` at the workspace root: crates.io the only source, a licence
//!   allow-list that covers every crate in `Cargo.lock` (checked here
//!   offline from the registry sources; `cargo deny check licenses bans
//!   sources` runs too when `cargo-deny` is installed);
//! - the relay refuses to start in `production` without sane settings
//!   (credentials, merchant secret, HTTPS allowed origins), naming the
//!   variable, through `Config::from_source` and through the real binary.
//!
//! Run: `cargo test -p checkout-e2e --test supply_chain`.

// Test code: a failed expectation is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use checkout_e2e::reliability;
use checkout_relay::config::{Config, Source};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn deny_toml() -> toml::Table {
    let text = std::fs::read_to_string(workspace().join("deny.toml"))
        .expect("deny.toml at the workspace root");
    text.parse().expect("deny.toml is valid TOML")
}

fn lock_packages() -> Vec<toml::Table> {
    let text = std::fs::read_to_string(workspace().join("Cargo.lock")).expect("Cargo.lock");
    let lock: toml::Table = text.parse().expect("Cargo.lock is TOML");
    lock["package"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| p.as_table().cloned())
        .collect()
}

#[test]
fn deny_toml_allows_crates_io_only_and_every_lock_file_source_is_crates_io() {
    let deny = deny_toml();
    let sources = deny["sources"].as_table().expect("[sources]");
    assert_eq!(sources["unknown-registry"].as_str(), Some("deny"));
    assert_eq!(sources["unknown-git"].as_str(), Some("deny"));
    assert_eq!(
        sources["allow-git"].as_array().map(Vec::len),
        Some(0),
        "no git sources allowed"
    );
    let bans = deny["bans"].as_table().expect("[bans]");
    assert_eq!(bans["multiple-versions"].as_str(), Some("warn"));

    let mut foreign = Vec::new();
    for p in lock_packages() {
        if let Some(src) = p.get("source").and_then(|s| s.as_str())
            && src != "registry+https://github.com/rust-lang/crates.io-index"
        {
            foreign.push(format!("{} {}: {src}", p["name"], p["version"]));
        }
    }
    assert!(
        foreign.is_empty(),
        "crates from outside crates.io: {foreign:?}"
    );
}

/// The licence identifiers of an SPDX expression (`A OR (B AND C)`, the old
/// `A/B` form too).
fn license_ids(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let cleaned = expr.replace(['(', ')'], " ").replace('/', " OR ");
    let mut tokens = cleaned.split_whitespace().peekable();
    while let Some(t) = tokens.next() {
        if matches!(t, "OR" | "AND") {
            continue;
        }
        if tokens.peek() == Some(&"WITH") {
            tokens.next();
            let exception = tokens.next().unwrap_or("");
            out.push(format!("{t} WITH {exception}"));
        } else {
            out.push(t.to_owned());
        }
    }
    out
}

/// A licence expression is acceptable when it can be satisfied with the
/// allow-list: each OR branch is a set of ANDed ids; one branch must be
/// fully allowed. (Parenthesised mixes are flattened conservatively: every
/// id of an AND must be allowed.)
fn satisfiable(expr: &str, allow: &BTreeSet<String>) -> bool {
    let normal = expr.replace('/', " OR ");
    if normal.contains('(') {
        // e.g. "(MIT OR Apache-2.0) AND Unicode-3.0": every AND group must
        // have one allowed id.
        return normal
            .split(" AND ")
            .all(|group| license_ids(group).iter().any(|id| allow.contains(id)));
    }
    normal.split(" OR ").any(|branch| {
        branch
            .split(" AND ")
            .all(|id| license_ids(id).iter().all(|i| allow.contains(i)))
    })
}

fn registry_source(name: &str, version: &str) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let src = home.join("registry").join("src");
    std::fs::read_dir(src)
        .ok()?
        .flatten()
        .map(|d| d.path().join(format!("{name}-{version}")))
        .find(|p| p.join("Cargo.toml").exists())
}

fn manifest_license(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let t: toml::Table = text.parse().ok()?;
    t.get("package")?
        .get("license")?
        .as_str()
        .map(str::to_owned)
}

#[test]
fn every_crate_in_the_lock_file_has_a_licence_on_the_deny_toml_allow_list() {
    let deny = deny_toml();
    let allow: BTreeSet<String> = deny["licenses"]["allow"]
        .as_array()
        .expect("licenses.allow")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let mut checked = 0;
    let mut not_fetched = 0;
    let mut refused = BTreeMap::new();
    for p in lock_packages() {
        if p.get("source").is_none() {
            continue; // the workspace's own crates
        }
        let (name, version) = (
            p["name"].as_str().expect("name"),
            p["version"].as_str().expect("version"),
        );
        let Some(dir) = registry_source(name, version) else {
            // Only needed for another platform (e.g. windows-sys); never downloaded.
            not_fetched += 1;
            continue;
        };
        match manifest_license(&dir) {
            Some(l) if satisfiable(&l, &allow) => checked += 1,
            Some(l) => {
                refused.insert(format!("{name} {version}"), l);
            }
            None => {
                refused.insert(format!("{name} {version}"), "no licence field".into());
            }
        }
    }
    eprintln!("licences: {checked} crates checked, {not_fetched} not fetched on this platform");
    assert!(checked > 200, "the registry sources were found ({checked})");
    assert!(
        refused.is_empty(),
        "licences not on the allow-list: {refused:#?}"
    );
}

/// When `cargo-deny` is installed, its own verdict on the offline checks.
#[test]
fn cargo_deny_accepts_licences_bans_and_sources_when_installed() {
    let Some(bin) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("cargo-deny"))
            .find(|p| p.exists())
    }) else {
        eprintln!("SKIPPED: cargo-deny is not installed (cargo install cargo-deny --locked)");
        return;
    };
    let out = std::process::Command::new(bin)
        .args(["deny", "--offline", "check", "licenses", "bans", "sources"])
        .current_dir(workspace())
        .output()
        .expect("cargo-deny runs");
    assert!(
        out.status.success(),
        "cargo deny check failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------
// Production configuration.

fn production(pairs: &[(&str, &str)], drop: &[&str]) -> BTreeMap<String, String> {
    let mut env: BTreeMap<String, String> = [
        ("ANET_GATEWAY", "production"),
        ("ANET_API_LOGIN_ID", "live-login"),
        ("ANET_TRANSACTION_KEY", "LiveKey123456789"),
        ("ANET_MERCHANT_SECRET", "sk_live_0123456789abcdef0123"),
        ("ANET_ALLOWED_ORIGINS", "https://shop.example.com"),
        ("DATABASE_URL", "sqlite://data/relay.sqlite"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for d in drop {
        env.remove(*d);
    }
    for (k, v) in pairs {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    env
}

#[test]
fn a_sane_production_configuration_is_accepted() {
    let c =
        Config::from_source(&Source::new(production(&[], &[])).expect("source")).expect("valid");
    assert_eq!(c.gateway.name(), "production");
    assert!(!c.demo, "no demo storefront in production");
    assert!(!c.merchant_secret_generated);
}

#[test]
fn production_without_sane_settings_is_refused_naming_the_variable() {
    let cases: Vec<(&str, BTreeMap<String, String>, &str)> = vec![
        (
            "no API Login ID",
            production(&[], &["ANET_API_LOGIN_ID"]),
            "ANET_API_LOGIN_ID",
        ),
        (
            "no Transaction Key",
            production(&[], &["ANET_TRANSACTION_KEY"]),
            "ANET_TRANSACTION_KEY",
        ),
        (
            "no credentials",
            production(&[], &["ANET_API_LOGIN_ID", "ANET_TRANSACTION_KEY"]),
            "ANET_API_LOGIN_ID",
        ),
        (
            "no merchant secret",
            production(&[], &["ANET_MERCHANT_SECRET"]),
            "ANET_MERCHANT_SECRET",
        ),
        (
            "a short merchant secret",
            production(&[("ANET_MERCHANT_SECRET", "short")], &[]),
            "ANET_MERCHANT_SECRET",
        ),
        (
            "no allowed origins",
            production(&[], &["ANET_ALLOWED_ORIGINS"]),
            "ANET_ALLOWED_ORIGINS",
        ),
        (
            "an http:// allowed origin",
            production(&[("ANET_ALLOWED_ORIGINS", "http://shop.example.com")], &[]),
            "ANET_ALLOWED_ORIGINS",
        ),
        (
            "a wildcard allowed origin",
            production(&[("ANET_ALLOWED_ORIGINS", "*")], &[]),
            "ANET_ALLOWED_ORIGINS",
        ),
        (
            "custom gateway over http",
            {
                let mut e = production(&[("ANET_GATEWAY", "custom")], &[]);
                e.insert(
                    "ANET_AIM_URL".into(),
                    "ftp://gateway.example/transact.dll".into(),
                );
                e.insert(
                    "ANET_API_URL".into(),
                    "https://gateway.example/xml/v1/request.api".into(),
                );
                e
            },
            "ANET_AIM_URL",
        ),
    ];
    let mut problems = Vec::new();
    for (name, env, var) in cases {
        match Config::from_source(&Source::new(env).expect("source")) {
            Ok(_) => problems.push(format!("{name}: accepted (expected {var} to be refused)")),
            Err(e) if e.var != var => {
                problems.push(format!("{name}: refused naming {} instead of {var}", e.var))
            }
            Err(e) => {
                let text = e.to_string();
                assert!(text.contains(var), "{text}");
                assert!(
                    !text.contains("LiveKey123456789") && !text.contains("0123456789abcdef"),
                    "a secret in: {text}"
                );
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_relay_binary_exits_with_a_message_naming_the_variable() {
    let dir = reliability::temp_dir("prod-config").expect("dir");
    let db = format!("sqlite://{}/relay.sqlite", dir.0.display());
    let base = [
        ("ANET_GATEWAY", "production"),
        ("ANET_LISTEN", "127.0.0.1:0"),
        ("ANET_API_LOGIN_ID", "live-login"),
        ("ANET_TRANSACTION_KEY", "LiveKey123456789"),
        ("ANET_ALLOWED_ORIGINS", "https://shop.example.com"),
        ("DATABASE_URL", db.as_str()),
    ];
    // No merchant secret.
    let (code, out) =
        reliability::run_relay_expecting_exit(&base, Duration::from_secs(20)).expect("exits");
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("ANET_MERCHANT_SECRET"), "{out}");
    assert!(
        !out.contains("LiveKey123456789"),
        "the key was printed: {out}"
    );

    // No allowed origins: must not start either.
    let mut env: Vec<(&str, &str)> = base
        .iter()
        .copied()
        .filter(|(k, _)| *k != "ANET_ALLOWED_ORIGINS")
        .collect();
    env.push(("ANET_MERCHANT_SECRET", "sk_live_0123456789abcdef0123"));
    match reliability::run_relay_expecting_exit(&env, Duration::from_secs(10)) {
        Ok((code, out)) => {
            assert_ne!(code, Some(0), "{out}");
            assert!(out.contains("ANET_ALLOWED_ORIGINS"), "{out}");
        }
        Err(e) => panic!("the relay started in production with no allowed origins: {e:#}"),
    }
}
