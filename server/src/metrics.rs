//! Prometheus metrics, hand-rolled (a few counters and sums, text format).
//! Labels are fixed vocabularies (route templates, outcomes): never ids,
//! never card data.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

#[derive(Default)]
struct Inner {
    /// (metric name, rendered labels) → value.
    counters: BTreeMap<(&'static str, String), u64>,
    /// (metric name, rendered labels) → (sum seconds, count).
    timings: BTreeMap<(&'static str, String), (f64, u64)>,
}

fn labels(pairs: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let v = v.replace('\\', "\\\\").replace('"', "\\\"");
        let _ = write!(s, "{k}=\"{v}\"");
    }
    s
}

impl Metrics {
    fn inc(&self, name: &'static str, l: String) {
        if let Ok(mut m) = self.inner.lock() {
            *m.counters.entry((name, l)).or_default() += 1;
        }
    }

    fn time(&self, name: &'static str, l: String, d: Duration) {
        if let Ok(mut m) = self.inner.lock() {
            let e = m.timings.entry((name, l)).or_default();
            e.0 += d.as_secs_f64();
            e.1 += 1;
        }
    }

    pub fn http(&self, route: &str, method: &str, status: u16, d: Duration) {
        let st = status.to_string();
        self.inc(
            "anet_http_requests_total",
            labels(&[("route", route), ("method", method), ("status", &st)]),
        );
        self.time(
            "anet_http_request_duration_seconds",
            labels(&[("route", route), ("method", method)]),
            d,
        );
    }

    pub fn gateway(&self, api: &str, outcome: &str, d: Duration) {
        self.inc(
            "anet_gateway_requests_total",
            labels(&[("api", api), ("outcome", outcome)]),
        );
        self.time(
            "anet_gateway_request_duration_seconds",
            labels(&[("api", api)]),
            d,
        );
    }

    /// A pay attempt's result: approved / declined / error / uncertain / held.
    pub fn payment(&self, channel: &str, result: &str) {
        self.inc(
            "anet_payments_total",
            labels(&[("channel", channel), ("result", result)]),
        );
    }

    pub fn operation(&self, op: &str, result: &str) {
        self.inc(
            "anet_merchant_operations_total",
            labels(&[("operation", op), ("result", result)]),
        );
    }

    pub fn rate_limited(&self, scope: &str) {
        self.inc("anet_rate_limited_total", labels(&[("scope", scope)]));
    }

    pub fn saved(&self, what: &str, result: &str) {
        self.inc(
            "anet_wallet_operations_total",
            labels(&[("what", what), ("result", result)]),
        );
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let Ok(m) = self.inner.lock() else {
            return out;
        };
        let mut last = "";
        for ((name, l), v) in &m.counters {
            if *name != last {
                let _ = writeln!(out, "# TYPE {name} counter");
                last = name;
            }
            let _ = writeln!(out, "{name}{{{l}}} {v}");
        }
        last = "";
        for ((name, l), (sum, count)) in &m.timings {
            if *name != last {
                let _ = writeln!(out, "# TYPE {name} summary");
                last = name;
            }
            let _ = writeln!(out, "{name}_sum{{{l}}} {sum}");
            let _ = writeln!(out, "{name}_count{{{l}}} {count}");
        }
        out
    }
}
