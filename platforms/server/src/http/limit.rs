//! Rate limits by client address, for what any stranger can send: enrolment attempts,
//! requests with a token that is not (or no longer) valid, and console sign-ins. The
//! address is the peer's; behind a reverse proxy named in `trusted_proxy`, the one that
//! proxy puts in `X-Forwarded-For`. Memory is bounded: at most [`MAX_ADDRESSES`] buckets,
//! the fullest (those that would be full again by now) dropped first.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::http::request::Parts;

use super::AppState;

/// Buckets kept per kind of limit, at most.
pub const MAX_ADDRESSES: usize = 50_000;

/// What a bucket counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `POST /api/v1/enroll`.
    Enroll,
    /// Requests whose token was unknown, revoked or expired.
    FailedToken,
}

/// Token buckets per (kind, address).
#[derive(Debug, Default)]
pub struct AddressLimiter {
    buckets: Mutex<HashMap<(Kind, IpAddr), (f64, Instant)>>,
}

/// A bucket's rate: `burst` at once, refilled at `per_minute`.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    /// Requests refilled per minute.
    pub per_minute: u32,
    /// Requests at once.
    pub burst: u32,
}

impl Rate {
    fn per_sec(self) -> f64 {
        f64::from(self.per_minute) / 60.0
    }
}

impl AddressLimiter {
    /// Takes one request from the bucket of `(kind, ip)`: `Ok` when there was one,
    /// `Err(wait)` with how long until there is one again.
    pub fn take(&self, kind: Kind, ip: IpAddr, rate: Rate) -> Result<(), Duration> {
        self.apply(kind, ip, rate, true)
    }

    /// Whether the bucket of `(kind, ip)` holds a request, without taking it: `Err(wait)`
    /// when empty.
    pub fn peek(&self, kind: Kind, ip: IpAddr, rate: Rate) -> Result<(), Duration> {
        self.apply(kind, ip, rate, false)
    }

    fn apply(&self, kind: Kind, ip: IpAddr, rate: Rate, take: bool) -> Result<(), Duration> {
        let now = Instant::now();
        let burst = f64::from(rate.burst);
        let mut m = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if m.len() >= MAX_ADDRESSES && !m.contains_key(&(kind, ip)) {
            evict(&mut m, now, rate);
        }
        let (tokens, last) = m.entry((kind, ip)).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate.per_sec()).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            if take {
                *tokens -= 1.0;
            }
            Ok(())
        } else {
            Err(Duration::from_secs_f64(((1.0 - *tokens) / rate.per_sec()).max(1.0)))
        }
    }

    /// How many buckets are kept.
    pub fn len(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no bucket is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Drops the buckets that are full again by now (they hold nothing a fresh bucket would
/// not); when none is, the older half.
fn evict(m: &mut HashMap<(Kind, IpAddr), (f64, Instant)>, now: Instant, rate: Rate) {
    let burst = f64::from(rate.burst);
    m.retain(|_, (tokens, last)| *tokens + now.duration_since(*last).as_secs_f64() * rate.per_sec() < burst);
    if m.len() >= MAX_ADDRESSES {
        let mut times: Vec<Instant> = m.values().map(|(_, t)| *t).collect();
        times.sort_unstable();
        let cut = times[times.len() / 2];
        m.retain(|_, (_, last)| *last > cut);
    }
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the last
/// address in `X-Forwarded-For` that is not itself a trusted proxy. None when the
/// server was not served with connection info (some tests).
pub fn client_ip(state: &AppState, parts: &Parts) -> Option<IpAddr> {
    client_ip_of(&state.trusted, &parts.extensions, &parts.headers)
}

/// [`client_ip`] from a request's extensions and headers.
pub fn client_ip_of(trusted: &[IpAddr], ext: &axum::http::Extensions, headers: &HeaderMap) -> Option<IpAddr> {
    let peer = ext.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return Some(ip),
            // A hop we cannot read: the proxy's own view ends here.
            Err(_) => break,
        }
    }
    Some(peer)
}
