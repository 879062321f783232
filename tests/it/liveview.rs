//! The liveview server guards the open database: only the link with this launch's secret
//! reaches the page and the websocket (a local process forging the Origin cannot), and the
//! server locks the vault when the last tab goes and after the idle time, whatever the tab
//! does.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use lanterna::ui::Vault;
use lanterna::ui::liveview::{self, LaunchSecret, Options};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::common::{KEY, temp_db};

/// The app served on a free port: its address, options and vault.
async fn serve(options: Options) -> (tempfile::TempDir, SocketAddr, Arc<Vault>) {
    let (dir, db) = temp_db();
    let vault = Vault::new(db);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("its address");
    let router = liveview::router(vault.clone(), options);
    tokio::spawn(async move { axum::serve(listener, router).await });
    (dir, addr, vault)
}

fn options(idle: Option<Duration>) -> Options {
    Options { secret: LaunchSecret::generate().expect("randomness"), idle, grace: Duration::from_millis(100) }
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens `/ws` with `query` and `origin`, as any local process can (it sets any Origin it
/// likes): the socket once the first render arrived, or the HTTP status it was refused with.
async fn open_ws(addr: SocketAddr, query: &str, origin: &str) -> Result<Ws, u16> {
    let mut request = format!("ws://{addr}/ws{query}").into_client_request().expect("a request");
    request.headers_mut().insert("origin", origin.parse().expect("a header"));
    match tokio_tungstenite::connect_async(request).await {
        Ok((mut ws, _)) => {
            let first = tokio::time::timeout(Duration::from_secs(20), ws.next()).await;
            assert!(matches!(first, Ok(Some(Ok(_)))), "the first render arrives: {first:?}");
            Ok(ws)
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("unexpected websocket error: {e}"),
    }
}

/// Waits up to `bound` for the vault to lock: how long it took.
async fn locked_within(vault: &Vault, bound: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < bound {
        if !vault.is_unlocked() {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

async fn unlock(vault: &Arc<Vault>) {
    let v = vault.clone();
    tokio::task::spawn_blocking(move || v.unlock(KEY)).await.expect("joined").expect("unlocks");
    assert!(vault.is_unlocked());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_the_socket_need_the_launch_secret() {
    let options = options(None);
    let secret = options.secret.as_str().to_owned();
    let (_dir, addr, _vault) = serve(options).await;
    let origin = format!("http://{addr}");

    let get = |path: String| async move {
        let response = reqwest::get(format!("http://{addr}{path}")).await.expect("the server answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    };
    let (status, body) = get("/".into()).await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains("WS_ADDR"), "no glue without the secret: {body}");
    let wrong: String = secret.chars().rev().collect();
    assert_eq!(get(format!("/?t={wrong}")).await.0, 403);
    let (status, body) = get(format!("/?t={secret}")).await;
    assert_eq!(status, 200);
    assert!(body.contains(&format!("/ws?t={secret}")), "the page's websocket carries the secret: {body}");
    assert!(body.contains(r#"addEventListener("submit""#), "the browser never submits a form itself: {body}");

    // A local process sets the Origin the check expects: without the secret it is refused.
    assert_eq!(open_ws(addr, "", &origin).await.err(), Some(403));
    assert_eq!(open_ws(addr, &format!("?t={wrong}"), &origin).await.err(), Some(403));
    // Another site in the browser (another Origin) is refused even with the secret.
    assert_eq!(open_ws(addr, &format!("?t={secret}"), "http://evil.example").await.err(), Some(403));
    // The page's own socket is served.
    let ws = open_ws(addr, &format!("?t={secret}"), &origin).await;
    assert!(ws.is_ok(), "the page's socket is accepted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_last_tab_locks_the_vault() {
    let options = options(None);
    let query = format!("?t={}", options.secret.as_str());
    let (_dir, addr, vault) = serve(options).await;
    let origin = format!("http://{addr}");

    let mut first = open_ws(addr, &query, &origin).await.expect("accepted");
    let mut second = open_ws(addr, &query, &origin).await.expect("accepted");
    unlock(&vault).await;
    // One tab of two closed: the other still works on the open database.
    first.close(None).await.expect("closed");
    assert_eq!(locked_within(&vault, Duration::from_millis(600)).await, None, "another tab is still open");
    second.close(None).await.expect("closed");
    let took = locked_within(&vault, Duration::from_secs(5)).await;
    assert!(took.is_some(), "the last tab closed: the vault must lock");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_tab_that_only_pings_is_locked_after_the_idle_time() {
    let idle = Duration::from_secs(1);
    let options = options(Some(idle));
    let query = format!("?t={}", options.secret.as_str());
    let (_dir, addr, vault) = serve(options).await;
    // The idle time runs from the unlock, the last input: measured from just before it.
    let start = Instant::now();
    unlock(&vault).await;
    let mut ws = open_ws(addr, &query, &format!("http://{addr}")).await.expect("accepted");
    // The tab stays open and keeps its connection alive; nobody touches it.
    let pinger = tokio::spawn(async move {
        loop {
            if ws.send(Message::text("__ping__")).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    assert!(vault.is_unlocked(), "not locked at once");
    let took = locked_within(&vault, Duration::from_secs(6)).await;
    pinger.abort();
    let took = took.expect("idle past the setting with the tab open: the vault must lock");
    assert!(start.elapsed() >= idle, "not before the idle time ({took:?})");
}
