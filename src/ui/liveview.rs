//! The embedded default: the app served over a websocket on 127.0.0.1 (dioxus-liveview
//! with axum).
//!
//! Who may drive it: only this machine can reach it; the page and the websocket both ask
//! for the per-launch secret the command printed (`http://127.0.0.1:PORT/?t=SECRET`, as
//! notebook servers do), so another local process or user cannot; and only pages the app
//! served itself may open the websocket (the Origin is checked), so another site open in the
//! same browser cannot either.
//!
//! When it locks: the server, not the tab, keeps the database's lock. When the last
//! websocket goes (the tab closed, the laptop asleep long enough for the socket to drop) the
//! vault is locked after a short grace that lets a reload keep the session; and after the
//! idle time with no input event from any tab, whatever the tab does (its keepalive pings
//! do not count).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ws::{Message, WebSocket};
use axum::extract::{RawQuery, State, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use dioxus::prelude::VirtualDom;
use dioxus_liveview::{LiveViewError, LiveViewPool, LiveViewSocket};
use futures_util::{SinkExt, StreamExt};

use super::{App, Vault};

/// The secret of one launch: 256 random bits as 64 hex digits (URL-safe). The printed link
/// carries it; it is never logged, and `Debug` does not show it.
#[derive(Clone)]
pub struct LaunchSecret(Arc<str>);

impl LaunchSecret {
    /// A fresh secret from the operating system's generator.
    pub fn generate() -> std::io::Result<LaunchSecret> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(format!("no randomness: {e}")))?;
        Ok(LaunchSecret(hex::encode(bytes).into()))
    }

    /// The secret as it goes in the link (`?t=`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is the secret, compared in constant time (its length is public).
    fn matches(&self, candidate: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), candidate.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Whether the query string (`t=...&...`) carries the secret.
    fn in_query(&self, query: Option<&str>) -> bool {
        query.into_iter().flat_map(|q| q.split('&')).filter_map(|kv| kv.strip_prefix("t=")).any(|t| self.matches(t))
    }
}

impl std::fmt::Debug for LaunchSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LaunchSecret(..)")
    }
}

/// How the server guards the app.
#[derive(Debug, Clone)]
pub struct Options {
    /// The secret the page and the websocket ask for.
    pub secret: LaunchSecret,
    /// The idle time after which the vault is locked; `None`: the unit's setting
    /// (`idle_lock_minutes`), read from the open database.
    pub idle: Option<Duration>,
    /// How long after the last websocket closed the vault is locked (a reload reconnects
    /// within it and keeps the session).
    pub grace: Duration,
}

impl Options {
    /// A fresh secret, the unit's idle setting, a grace of [`RELOAD_GRACE`].
    pub fn new() -> std::io::Result<Options> {
        Ok(Options { secret: LaunchSecret::generate()?, idle: None, grace: RELOAD_GRACE })
    }

    /// The link to print: `http://ADDR/?t=SECRET`.
    pub fn url(&self, addr: SocketAddr) -> String {
        format!("http://{addr}/?t={}", self.secret.as_str())
    }
}

/// The default grace between the last websocket closing and the lock.
pub const RELOAD_GRACE: Duration = Duration::from_secs(2);

/// The idle time when the database cannot say (locked): the settings' default.
const DEFAULT_IDLE: Duration = Duration::from_secs(5 * 60);

/// The longest the idle watchdog sleeps between two looks.
const IDLE_TICK: Duration = Duration::from_secs(1);

/// The router's shared state: the vault, the options, the live sockets and the last input.
struct Live {
    vault: Arc<Vault>,
    options: Options,
    pool: LiveViewPool,
    sockets: Mutex<Sockets>,
}

struct Sockets {
    /// Websockets open now.
    open: usize,
    /// Bumped at every connection: a pending lock after the last close is cancelled by a
    /// connection made since.
    generation: u64,
    /// The last input event any tab sent (or the last connection).
    last_input: Instant,
}

impl Live {
    fn sockets(&self) -> MutexGuard<'_, Sockets> {
        self.sockets.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn touch(&self) {
        self.sockets().last_input = Instant::now();
    }

    /// The idle time in force: the override, else the unit's setting.
    fn idle(&self) -> Duration {
        self.options.idle.unwrap_or_else(|| match self.vault.with(|app| app.settings()) {
            Some(Ok(s)) => Duration::from_secs(u64::from(s.idle_lock_minutes.max(1)) * 60),
            _ => DEFAULT_IDLE,
        })
    }

    /// Locks the vault once it has been idle too long; runs while a websocket is open.
    async fn watch_idle(self: Arc<Live>) {
        loop {
            let idle = self.idle();
            let since = self.sockets().last_input.elapsed();
            if since >= idle {
                if self.vault.is_unlocked() {
                    self.vault.lock();
                }
                tokio::time::sleep(IDLE_TICK.min(idle)).await;
            } else {
                tokio::time::sleep((idle - since).min(IDLE_TICK)).await;
            }
        }
    }

    /// A websocket opened: counted, and its connection counts as input.
    fn connected(&self) {
        let mut s = self.sockets();
        s.open += 1;
        s.generation += 1;
        s.last_input = Instant::now();
    }

    /// A websocket closed: the last one locks the vault after the grace, unless another
    /// connected in the meantime.
    fn disconnected(self: &Arc<Live>) {
        let generation = {
            let mut s = self.sockets();
            s.open = s.open.saturating_sub(1);
            if s.open > 0 {
                return;
            }
            s.generation
        };
        let live = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(live.options.grace).await;
            let s = live.sockets();
            if s.open == 0 && s.generation == generation {
                drop(s);
                live.vault.lock();
            }
        });
    }
}

/// Whether a message from the tab is a person's input (not a keepalive ping, an answer to a
/// query of the server, or an event the page fires by itself such as `mounted`).
fn is_input(text: &str) -> bool {
    const INPUT: &[&str] = &[
        "click",
        "input",
        "change",
        "submit",
        "keydown",
        "keyup",
        "keypress",
        "pointerdown",
        "pointerup",
        "mousedown",
        "mouseup",
        "touchstart",
        "touchend",
        "wheel",
        "scroll",
        "focus",
    ];
    if text == "__ping__" {
        return false;
    }
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else { return false };
    v["method"] == "user_event" && v["params"]["name"].as_str().is_some_and(|n| INPUT.contains(&n))
}

/// The axum websocket as dioxus-liveview wants it, noting each input event it carries.
fn watched_socket(ws: WebSocket, live: Arc<Live>) -> impl LiveViewSocket {
    ws.map(move |message| {
        let text =
            message.map_err(|_| LiveViewError::SendingFailed)?.into_text().map_err(|_| LiveViewError::SendingFailed)?;
        if is_input(text.as_str()) {
            live.touch();
        }
        Ok(text.as_str().as_bytes().to_vec())
    })
    .with(|edits: Vec<u8>| async move { Ok::<_, axum::Error>(Message::Binary(edits.into())) })
    .sink_map_err(|_| LiveViewError::SendingFailed)
}

/// The page that hosts the app: a phone viewport and the liveview glue, whose websocket
/// carries the secret.
fn shell(secret: &LaunchSecret) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="dark light">
<meta name="referrer" content="no-referrer">
<title>Lanterna</title>
<style>html,body{{margin:0;background:#0b0d10}}</style>
</head>
<body><div id="main"></div>
<script>
// Every submit is a liveview event: the browser never submits a form itself (a GET to this
// page would drop the secret from the address and reload the app).
document.addEventListener("submit", (e) => e.preventDefault(), true);
</script>
{}
</body>
</html>"#,
        dioxus_liveview::interpreter_glue(&format!("/ws?t={}", secret.as_str()))
    )
}

fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
    match (host, origin) {
        (Some(host), Some(origin)) => {
            let local = host.starts_with("127.0.0.1:") || host.starts_with("localhost:") || host.starts_with("[::1]:");
            local && origin.strip_prefix("http://") == Some(host)
        }
        _ => false,
    }
}

/// What `/` and `/ws` answer without the secret.
const WITHOUT_SECRET: &str =
    "lanterna: open the link the lanterna command printed when it started (it carries this launch's key)\n";

async fn page(State(live): State<Arc<Live>>, RawQuery(query): RawQuery) -> Response {
    if !live.options.secret.in_query(query.as_deref()) {
        return (StatusCode::FORBIDDEN, WITHOUT_SECRET).into_response();
    }
    let mut response = Html(shell(&live.options.secret)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

async fn socket(
    State(live): State<Arc<Live>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !live.options.secret.in_query(query.as_deref()) {
        return (StatusCode::FORBIDDEN, WITHOUT_SECRET).into_response();
    }
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "lanterna: websocket from another origin refused").into_response();
    }
    ws.on_upgrade(move |socket| async move {
        live.connected();
        let vault = live.vault.clone();
        let make = move || VirtualDom::new(App).with_root_context(vault);
        tokio::select! {
            _ = live.pool.launch_virtualdom(watched_socket(socket, live.clone()), make) => {}
            () = live.clone().watch_idle() => {}
        }
        live.disconnected();
    })
    .into_response()
}

/// The router: `/?t=SECRET` the page, `/ws?t=SECRET` the app. It locks `vault` when the
/// last websocket closes and after the idle time (see the module's documentation).
pub fn router(vault: Arc<Vault>, options: Options) -> Router {
    let live = Arc::new(Live {
        vault,
        options,
        pool: LiveViewPool::new(),
        sockets: Mutex::new(Sockets { open: 0, generation: 0, last_input: Instant::now() }),
    });
    Router::new().route("/", get(page)).route("/ws", get(socket)).with_state(live)
}

/// Serves the app on 127.0.0.1:`port` until the process ends. Port 0 picks a free one.
/// `ready` receives the address once listening.
pub async fn serve(
    vault: Arc<Vault>,
    options: Options,
    port: u16,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    ready(listener.local_addr()?);
    // No Nagle: a tap's edits can go out as two websocket frames, and the second must not
    // wait ~40 ms for the browser's delayed ACK of the first.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            eprintln!("lanterna: cannot set TCP_NODELAY: {e}");
        }
    });
    axum::serve(listener, router(vault, options)).await
}
