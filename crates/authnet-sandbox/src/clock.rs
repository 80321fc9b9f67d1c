//! The sandbox clock: system time plus an offset that `POST /_sandbox/clock`
//! can move forward (so tests can walk the 30-day authorisation lifetime and
//! the 120-day refund window without waiting).

use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::Sandbox;

impl Sandbox {
    /// Unix seconds on the sandbox clock.
    pub fn now(&self) -> i64 {
        let sys = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        sys + self.0.clock_offset.load(Ordering::Relaxed)
    }

    /// Moves the sandbox clock forward (or back) by `secs`.
    pub fn advance_clock(&self, secs: i64) {
        self.0.clock_offset.fetch_add(secs, Ordering::Relaxed);
    }
}

/// (year, month) of a Unix time, UTC.
pub fn year_month(unix_secs: i64) -> (i32, u32) {
    let days = unix_secs.div_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (y as i32, m as u32)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(year_month(0), (1970, 1));
        // 2026-11-28T00:00:00Z
        assert_eq!(year_month(1_795_824_000), (2026, 11));
        // 2024-02-29T12:00:00Z
        assert_eq!(year_month(1_709_208_000), (2024, 2));
    }
}
