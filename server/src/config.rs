//! Relay configuration: environment variables, optionally a TOML file
//! (`ANET_CONFIG=path`); the environment wins. Every problem names the
//! variable. Secrets are [`Secret`]s and are never printed.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::storage::SqliteSynchronous;
use checkout_domain::Secret;

/// Where the relay sends AIM and XML API requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayTarget {
    /// The sandbox library, started inside the relay on a loopback port.
    Embedded,
    /// Authorize.Net's test hosts.
    Sandbox,
    /// Authorize.Net production.
    Production,
    /// Explicit URLs (any gateway-compatible server).
    Custom { aim_url: String, api_url: String },
}

impl GatewayTarget {
    pub fn name(&self) -> &'static str {
        match self {
            GatewayTarget::Embedded => "embedded",
            GatewayTarget::Sandbox => "sandbox",
            GatewayTarget::Production => "production",
            GatewayTarget::Custom { .. } => "custom",
        }
    }
}

pub const SANDBOX_AIM_URL: &str = "https://test.authorize.net/gateway/transact.dll";
pub const SANDBOX_API_URL: &str = "https://apitest.authorize.net/xml/v1/request.api";
pub const PRODUCTION_AIM_URL: &str = "https://secure2.authorize.net/gateway/transact.dll";
pub const PRODUCTION_API_URL: &str = "https://api2.authorize.net/xml/v1/request.api";

/// Card-testing defence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Pay attempts sent to the gateway per session, in total (database-enforced,
    /// so it holds across relay instances). `ANET_LIMIT_SESSION_ATTEMPTS`.
    pub session_attempts: u32,
    /// Pay requests per session per minute (in memory). `ANET_LIMIT_SESSION_PER_MINUTE`.
    pub session_per_minute: u32,
    /// Pay requests per client address per minute (in memory). `ANET_LIMIT_IP_PER_MINUTE`.
    pub ip_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            session_attempts: 5,
            session_per_minute: 10,
            ip_per_minute: 20,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub gateway: GatewayTarget,
    pub api_login_id: String,
    pub transaction_key: Secret<String>,
    pub md5_hash: Option<Secret<String>>,
    pub database_url: String,
    /// SQLite commit durability: `full` (default) or `normal`. `ANET_SQLITE_SYNCHRONOUS`.
    pub sqlite_synchronous: SqliteSynchronous,
    pub merchant_secret: Secret<String>,
    /// True when the secret was generated at start-up (embedded mode only).
    pub merchant_secret_generated: bool,
    pub allowed_origins: Vec<String>,
    pub merchant_name: String,
    pub widget_dir: PathBuf,
    /// Where the loader lives when the widget dir has no `checkout.js`.
    pub loader_fallback: PathBuf,
    pub limits: Limits,
    /// Client token / session lifetime, seconds. `ANET_SESSION_TTL_SECS`.
    pub session_ttl_secs: u64,
    /// `x_duplicate_window` sent with every charge, seconds. `ANET_DUPLICATE_WINDOW_SECS`.
    /// `0` turns the gateway's duplicate check off, and with it the resending
    /// of uncertain requests (an unanswered charge then stays `uncertain`).
    pub duplicate_window_secs: u32,
    /// Gateway request timeout, seconds. `ANET_GATEWAY_TIMEOUT_SECS`.
    pub gateway_timeout_secs: u64,
    /// Use the first `X-Forwarded-For` address as the client address. `ANET_TRUST_PROXY`.
    pub trust_proxy: bool,
    /// Serve the demo storefront at `/` (default: on in embedded mode). `ANET_DEMO`.
    pub demo: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration error: {var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn err(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

/// Key/value source: the environment first, then the TOML file.
pub struct Source {
    env: BTreeMap<String, String>,
    file: BTreeMap<String, String>,
}

impl Source {
    /// The process environment plus `ANET_CONFIG` (a TOML file) when set.
    pub fn from_process() -> Result<Source, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        Source::new(env)
    }

    /// From an explicit environment map (tests).
    pub fn new(env: BTreeMap<String, String>) -> Result<Source, ConfigError> {
        let mut file = BTreeMap::new();
        if let Some(path) = env.get("ANET_CONFIG").filter(|p| !p.is_empty()) {
            let text = std::fs::read_to_string(path)
                .map_err(|e| err("ANET_CONFIG", format!("cannot read {path}: {e}")))?;
            let table: toml::Table = text
                .parse()
                .map_err(|e| err("ANET_CONFIG", format!("{path} is not valid TOML: {e}")))?;
            for (k, v) in table {
                // Keys are the variable names, any case, with or without `ANET_`.
                let upper = k.to_ascii_uppercase();
                let key = if upper.starts_with("ANET_") || upper == "DATABASE_URL" {
                    upper
                } else {
                    format!("ANET_{upper}")
                };
                let value = match v {
                    toml::Value::String(s) => s,
                    toml::Value::Array(items) => items
                        .iter()
                        .map(|i| match i {
                            toml::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(","),
                    other => other.to_string(),
                };
                file.insert(key, value);
            }
        }
        Ok(Source { env, file })
    }

    fn get(&self, var: &str) -> Option<String> {
        self.env
            .get(var)
            .or_else(|| self.file.get(var))
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }
}

fn parse_num<T>(src: &Source, var: &'static str, default: T, min: T) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    match src.get(var) {
        None => Ok(default),
        Some(v) => {
            let n: T = v
                .parse()
                .map_err(|_| err(var, format!("expected a number, got {v:?}")))?;
            if n < min {
                return Err(err(var, format!("must be at least {min}")));
            }
            Ok(n)
        }
    }
}

fn parse_bool(src: &Source, var: &'static str, default: bool) -> Result<bool, ConfigError> {
    match src.get(var).map(|s| s.to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) => match v.as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(err(var, format!("expected true or false, got {v:?}"))),
        },
    }
}

fn check_url(var: &'static str, url: &str) -> Result<(), ConfigError> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(())
    } else {
        Err(err(var, "must be an http:// or https:// URL"))
    }
}

/// A new random merchant secret (`sk_` + 40 hex chars).
pub fn generate_secret(prefix: &str) -> String {
    let bytes: [u8; 20] = rand::random();
    format!("{prefix}{}", hex::encode(bytes))
}

impl Config {
    /// Reads the process environment (and `ANET_CONFIG`).
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_source(&Source::from_process()?)
    }

    pub fn from_source(src: &Source) -> Result<Config, ConfigError> {
        let listen = match src.get("ANET_LISTEN") {
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
            Some(v) => v.parse().map_err(|_| {
                err(
                    "ANET_LISTEN",
                    format!("expected host:port such as 127.0.0.1:8080, got {v:?}"),
                )
            })?,
        };

        let gateway_name = src
            .get("ANET_GATEWAY")
            .unwrap_or_else(|| "embedded".into())
            .to_ascii_lowercase();
        let aim_url = src.get("ANET_AIM_URL");
        let api_url = src.get("ANET_API_URL");
        let gateway = match gateway_name.as_str() {
            "embedded" => GatewayTarget::Embedded,
            "sandbox" => GatewayTarget::Sandbox,
            "production" => GatewayTarget::Production,
            "custom" => {
                let aim = aim_url
                    .clone()
                    .ok_or_else(|| err("ANET_AIM_URL", "required when ANET_GATEWAY=custom"))?;
                let api = api_url
                    .clone()
                    .ok_or_else(|| err("ANET_API_URL", "required when ANET_GATEWAY=custom"))?;
                check_url("ANET_AIM_URL", &aim)?;
                check_url("ANET_API_URL", &api)?;
                GatewayTarget::Custom {
                    aim_url: aim,
                    api_url: api,
                }
            }
            other => {
                return Err(err(
                    "ANET_GATEWAY",
                    format!("expected embedded, sandbox, production or custom, got {other:?}"),
                ));
            }
        };
        if !matches!(gateway, GatewayTarget::Custom { .. }) {
            if aim_url.is_some() {
                return Err(err("ANET_AIM_URL", "only used with ANET_GATEWAY=custom"));
            }
            if api_url.is_some() {
                return Err(err("ANET_API_URL", "only used with ANET_GATEWAY=custom"));
            }
        }
        let embedded = gateway == GatewayTarget::Embedded;

        let (api_login_id, transaction_key) = match (
            src.get("ANET_API_LOGIN_ID"),
            src.get("ANET_TRANSACTION_KEY"),
        ) {
            (Some(l), Some(k)) => (l, Secret::new(k)),
            (None, None) if embedded => (
                crate::gateway::embedded::DEFAULT_LOGIN.to_owned(),
                Secret::new(crate::gateway::embedded::DEFAULT_KEY.to_owned()),
            ),
            (None, _) => {
                return Err(err(
                    "ANET_API_LOGIN_ID",
                    format!("required with ANET_GATEWAY={}", gateway.name()),
                ));
            }
            (Some(_), None) => {
                return Err(err(
                    "ANET_TRANSACTION_KEY",
                    "required when ANET_API_LOGIN_ID is set",
                ));
            }
        };
        if api_login_id.len() > 20 {
            return Err(err(
                "ANET_API_LOGIN_ID",
                "longer than 20 characters (the AIM limit)",
            ));
        }
        if transaction_key.expose_secret().len() > 16 {
            return Err(err(
                "ANET_TRANSACTION_KEY",
                "longer than 16 characters (the gateway limit)",
            ));
        }
        let md5_hash = src.get("ANET_MD5_HASH").map(Secret::new);

        let database_url = src
            .get("DATABASE_URL")
            .unwrap_or_else(|| "sqlite://data/anet-checkout.sqlite".into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(err(
                "DATABASE_URL",
                "expected sqlite://PATH or postgres://USER@HOST/DB",
            ));
        }

        let sqlite_synchronous = match src.get("ANET_SQLITE_SYNCHRONOUS").as_deref() {
            None => SqliteSynchronous::default(),
            Some(v) if v.eq_ignore_ascii_case("full") => SqliteSynchronous::Full,
            Some(v) if v.eq_ignore_ascii_case("normal") => SqliteSynchronous::Normal,
            Some(_) => {
                return Err(err(
                    "ANET_SQLITE_SYNCHRONOUS",
                    "expected `full` (fsync every commit) or `normal`",
                ));
            }
        };

        let (merchant_secret, merchant_secret_generated) = match src.get("ANET_MERCHANT_SECRET") {
            Some(s) if s.len() < 16 => {
                return Err(err(
                    "ANET_MERCHANT_SECRET",
                    "must be at least 16 characters",
                ));
            }
            Some(s) => (Secret::new(s), false),
            None if embedded => (Secret::new(generate_secret("sk_test_")), true),
            None => {
                return Err(err(
                    "ANET_MERCHANT_SECRET",
                    "required outside embedded mode (the merchant backend's bearer key)",
                ));
            }
        };

        let allowed_origins = match src.get("ANET_ALLOWED_ORIGINS") {
            None => Vec::new(),
            Some(v) => {
                let mut out = Vec::new();
                for o in v.split([',', ' ']).map(str::trim).filter(|o| !o.is_empty()) {
                    let ok = (o.starts_with("https://") || o.starts_with("http://"))
                        && !o
                            .trim_start_matches("https://")
                            .trim_start_matches("http://")
                            .contains('/')
                        && !o.contains(['\'', ';', '"']);
                    if !ok {
                        return Err(err(
                            "ANET_ALLOWED_ORIGINS",
                            format!("{o:?} is not an origin like https://shop.example.com"),
                        ));
                    }
                    out.push(o.to_owned());
                }
                out
            }
        };
        // Live money: the widget may only be framed by the merchant's own
        // HTTPS storefronts, never by anyone (empty) or over plain HTTP.
        if gateway == GatewayTarget::Production {
            if allowed_origins.is_empty() {
                return Err(err(
                    "ANET_ALLOWED_ORIGINS",
                    "required with ANET_GATEWAY=production: the https:// origins of the storefronts that embed the widget",
                ));
            }
            if let Some(o) = allowed_origins.iter().find(|o| !o.starts_with("https://")) {
                return Err(err(
                    "ANET_ALLOWED_ORIGINS",
                    format!("{o:?} is not https:// (required with ANET_GATEWAY=production)"),
                ));
            }
        }

        let merchant_name = src
            .get("ANET_MERCHANT_NAME")
            .unwrap_or_else(|| "Demo Store".into());
        if merchant_name.chars().count() > 100 {
            return Err(err("ANET_MERCHANT_NAME", "longer than 100 characters"));
        }

        let widget_dir = PathBuf::from(
            src.get("ANET_WIDGET_DIR")
                .unwrap_or_else(|| "web/dist".into()),
        );
        let loader_fallback = PathBuf::from(
            src.get("ANET_LOADER_PATH")
                .unwrap_or_else(|| "web/loader/checkout.js".into()),
        );

        let d = Limits::default();
        let limits = Limits {
            session_attempts: parse_num(src, "ANET_LIMIT_SESSION_ATTEMPTS", d.session_attempts, 1)?,
            session_per_minute: parse_num(
                src,
                "ANET_LIMIT_SESSION_PER_MINUTE",
                d.session_per_minute,
                1,
            )?,
            ip_per_minute: parse_num(src, "ANET_LIMIT_IP_PER_MINUTE", d.ip_per_minute, 1)?,
        };
        let session_ttl_secs = parse_num(src, "ANET_SESSION_TTL_SECS", 3600u64, 60)?;
        let duplicate_window_secs = parse_num(src, "ANET_DUPLICATE_WINDOW_SECS", 600u32, 0)?;
        if duplicate_window_secs > 28_800 {
            return Err(err(
                "ANET_DUPLICATE_WINDOW_SECS",
                "the gateway allows at most 28800 seconds",
            ));
        }
        let gateway_timeout_secs = parse_num(src, "ANET_GATEWAY_TIMEOUT_SECS", 20u64, 1)?;
        let trust_proxy = parse_bool(src, "ANET_TRUST_PROXY", false)?;
        let demo = parse_bool(src, "ANET_DEMO", embedded)?;

        Ok(Config {
            listen,
            gateway,
            api_login_id,
            transaction_key,
            md5_hash,
            database_url,
            sqlite_synchronous,
            merchant_secret,
            merchant_secret_generated,
            allowed_origins,
            merchant_name,
            widget_dir,
            loader_fallback,
            limits,
            session_ttl_secs,
            duplicate_window_secs,
            gateway_timeout_secs,
            trust_proxy,
            demo,
        })
    }

    /// A configuration for tests and embedding: embedded gateway, the given
    /// database, a fixed merchant secret.
    pub fn for_tests(database_url: &str, merchant_secret: &str) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            gateway: GatewayTarget::Embedded,
            api_login_id: crate::gateway::embedded::DEFAULT_LOGIN.to_owned(),
            transaction_key: Secret::new(crate::gateway::embedded::DEFAULT_KEY.to_owned()),
            md5_hash: None,
            database_url: database_url.to_owned(),
            sqlite_synchronous: SqliteSynchronous::Full,
            merchant_secret: Secret::new(merchant_secret.to_owned()),
            merchant_secret_generated: false,
            allowed_origins: vec!["http://shop.test".into()],
            merchant_name: "Test Store".into(),
            widget_dir: PathBuf::from("web/dist"),
            loader_fallback: PathBuf::from("web/loader/checkout.js"),
            limits: Limits::default(),
            session_ttl_secs: 3600,
            duplicate_window_secs: 600,
            gateway_timeout_secs: 5,
            trust_proxy: false,
            demo: true,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn src(pairs: &[(&str, &str)]) -> Source {
        let env = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Source::new(env).unwrap()
    }

    #[test]
    fn defaults_are_embedded_with_generated_secret() {
        let c = Config::from_source(&src(&[])).unwrap();
        assert_eq!(c.gateway, GatewayTarget::Embedded);
        assert!(c.merchant_secret_generated);
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://data/anet-checkout.sqlite");
        assert_eq!(c.sqlite_synchronous, SqliteSynchronous::Full);
        assert!(c.demo);
        let c = Config::from_source(&src(&[("ANET_SQLITE_SYNCHRONOUS", "Normal")])).unwrap();
        assert_eq!(c.sqlite_synchronous, SqliteSynchronous::Normal);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("ANET_LISTEN", "nope")], "ANET_LISTEN"),
            (&[("ANET_GATEWAY", "mars")], "ANET_GATEWAY"),
            (&[("ANET_GATEWAY", "custom")], "ANET_AIM_URL"),
            (
                &[("ANET_GATEWAY", "custom"), ("ANET_AIM_URL", "http://x/a")],
                "ANET_API_URL",
            ),
            (&[("ANET_GATEWAY", "sandbox")], "ANET_API_LOGIN_ID"),
            (
                &[
                    ("ANET_GATEWAY", "production"),
                    ("ANET_API_LOGIN_ID", "x"),
                    ("ANET_TRANSACTION_KEY", "y"),
                ],
                "ANET_MERCHANT_SECRET",
            ),
            (&[("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (&[("ANET_MERCHANT_SECRET", "short")], "ANET_MERCHANT_SECRET"),
            (
                &[("ANET_ALLOWED_ORIGINS", "shop.example.com")],
                "ANET_ALLOWED_ORIGINS",
            ),
            (
                &[("ANET_LIMIT_IP_PER_MINUTE", "many")],
                "ANET_LIMIT_IP_PER_MINUTE",
            ),
            (
                &[("ANET_LIMIT_SESSION_ATTEMPTS", "0")],
                "ANET_LIMIT_SESSION_ATTEMPTS",
            ),
            (
                &[("ANET_DUPLICATE_WINDOW_SECS", "99999")],
                "ANET_DUPLICATE_WINDOW_SECS",
            ),
            (&[("ANET_AIM_URL", "http://x")], "ANET_AIM_URL"),
            (
                &[("ANET_SQLITE_SYNCHRONOUS", "off")],
                "ANET_SQLITE_SYNCHRONOUS",
            ),
        ];
        for (pairs, var) in cases {
            let e = Config::from_source(&src(pairs)).unwrap_err();
            assert_eq!(e.var, *var, "{pairs:?}");
        }
    }

    #[test]
    fn secrets_are_not_printed() {
        let c = Config::from_source(&src(&[
            ("ANET_MERCHANT_SECRET", "sk_live_abcdefghijklmnop"),
            ("ANET_API_LOGIN_ID", "login"),
            ("ANET_TRANSACTION_KEY", "KEY1234567890ABC"),
        ]))
        .unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("abcdefghijklmnop"));
        assert!(!dbg.contains("KEY1234567890ABC"));
    }

    #[test]
    fn toml_file_adds_and_env_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9999\"\nmerchant_name = \"From File\"\nallowed_origins = [\"https://a.example\", \"https://b.example\"]\n",
        )
        .unwrap();
        let p = path.to_string_lossy().into_owned();
        let c = Config::from_source(&src(&[
            ("ANET_CONFIG", p.as_str()),
            ("ANET_MERCHANT_NAME", "From Env"),
        ]))
        .unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:9999");
        assert_eq!(c.merchant_name, "From Env");
        assert_eq!(c.allowed_origins.len(), 2);
    }
}
