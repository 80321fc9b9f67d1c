//! Card-testing defence, in memory (per relay instance): pay requests per
//! session and per client address per minute. The total number of attempts
//! per session is enforced in the database (`sessions.attempts`), so it holds
//! across instances.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Limits;

pub struct RateLimits {
    per_session: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RateLimits")
    }
}

/// Which limit refused the request, and when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Session(Duration),
    Ip(Duration),
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN))
}

impl RateLimits {
    pub fn new(limits: &Limits) -> RateLimits {
        RateLimits {
            per_session: RateLimiter::keyed(quota(limits.session_per_minute)),
            per_ip: RateLimiter::keyed(quota(limits.ip_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one pay request from both budgets (address first).
    pub fn check_pay(&self, session_id: &str, ip: &str) -> Result<(), Refused> {
        if let Err(not_until) = self.per_ip.check_key(&ip.to_owned()) {
            return Err(Refused::Ip(not_until.wait_time_from(self.clock.now())));
        }
        if let Err(not_until) = self.per_session.check_key(&session_id.to_owned()) {
            return Err(Refused::Session(not_until.wait_time_from(self.clock.now())));
        }
        Ok(())
    }

    /// Drops idle keys (called periodically).
    pub fn sweep(&self) {
        self.per_ip.retain_recent();
        self.per_session.retain_recent();
    }
}
