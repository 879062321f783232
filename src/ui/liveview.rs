//! The embedded default: the app served over a websocket on 127.0.0.1 (dioxus-liveview
//! with axum). Only this machine can reach it, and only pages it served itself may open
//! the websocket (the Origin is checked), so another site open in the same browser cannot
//! drive the app.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::serve::ListenerExt;
use dioxus::prelude::VirtualDom;
use dioxus_liveview::LiveViewPool;

use super::{App, Vault};

/// The page that hosts the app: a phone viewport and the liveview glue.
fn shell() -> String {
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
{}
</body>
</html>"#,
        dioxus_liveview::interpreter_glue("/ws")
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

/// The router: `/` the page, `/ws` the app.
pub fn router(vault: Arc<Vault>) -> Router {
    let pool = Arc::new(LiveViewPool::new());
    Router::new().route("/", get(|| async { Html(shell()) })).route(
        "/ws",
        get(move |headers: HeaderMap, ws: WebSocketUpgrade| {
            let pool = pool.clone();
            let vault = vault.clone();
            async move {
                if !same_origin(&headers) {
                    return (StatusCode::FORBIDDEN, "lanterna: websocket from another origin refused").into_response();
                }
                ws.on_upgrade(move |socket| async move {
                    let make = move || VirtualDom::new(App).with_root_context(vault);
                    let _ = pool.launch_virtualdom(dioxus_liveview::axum_socket(socket), make).await;
                })
                .into_response()
            }
        }),
    )
}

/// Serves the app on 127.0.0.1:`port` until the process ends. Port 0 picks a free one.
/// `ready` receives the address once listening.
pub async fn serve(vault: Arc<Vault>, port: u16, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    ready(listener.local_addr()?);
    // No Nagle: a tap's edits can go out as two websocket frames, and the second must not
    // wait ~40 ms for the browser's delayed ACK of the first.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            eprintln!("lanterna: cannot set TCP_NODELAY: {e}");
        }
    });
    axum::serve(listener, router(vault)).await
}
