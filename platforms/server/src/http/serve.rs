//! Listening and stopping: a listener with a deep accept queue, and serving until a
//! shutdown signal, after which no connection is accepted and the requests in flight
//! get their whole answers before serving returns.

use std::future::Future;
use std::io;
use std::sync::Arc;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;

use super::{AppState, router};

/// A listener on `listen` (`HOST:PORT`) with a deep accept queue: a network's phones
/// coming back online together must not have their connections dropped (and retried a
/// second later) by a full backlog.
pub async fn bind(listen: &str) -> io::Result<TcpListener> {
    let addr = tokio::net::lookup_host(listen)
        .await?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::AddrNotAvailable, format!("--listen {listen}: no address")))?;
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// Serves on `listener` until `shutdown` completes; then stops accepting, lets every
/// request in flight finish, and returns. The state is dropped on return: when it held
/// the last handle on the store, the store closes.
pub async fn serve_with_shutdown(
    state: Arc<AppState>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // Answers go out at once, not after the client's delayed ACK.
    let listener = listener.tap_io(|s| {
        let _ = s.set_nodelay(true);
    });
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// As [`serve_with_shutdown`], over TLS with `config` (see [`super::tls_config`]).
pub async fn serve_with_shutdown_tls(
    state: Arc<AppState>,
    listener: TcpListener,
    config: Arc<rustls::ServerConfig>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // Tapped (with nothing to do) so that the peer address reaches the handlers.
    let listener = super::tls::TlsListener::new(listener, config)?.tap_io(|_| {});
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT). The handlers are installed when this is
/// called, not when the future is first polled: a signal that comes right after is not
/// lost. Call it inside a Tokio runtime.
pub fn shutdown_signal() -> io::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (mut term, mut interrupt) = (signal(SignalKind::terminate())?, signal(SignalKind::interrupt())?);
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = interrupt.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// Serves on the configured address until SIGTERM or Ctrl-C, over TLS when `tls_cert`
/// and `tls_key` are set; `ready` gets the bound address and whether it is TLS once the
/// port listens and the signal handlers are in place. Bad certificate or key files fail
/// before the port is bound, naming the file.
pub async fn serve(state: Arc<AppState>, ready: impl FnOnce(std::net::SocketAddr, bool)) -> anyhow::Result<()> {
    let tls = match (state.config.tls_cert.trim(), state.config.tls_key.trim()) {
        ("", "") => None,
        (cert, key) => Some(super::tls_config(std::path::Path::new(cert), std::path::Path::new(key))?),
    };
    let listener = bind(&state.config.listen).await?;
    let shutdown = shutdown_signal()?;
    ready(listener.local_addr()?, tls.is_some());
    match tls {
        Some(config) => serve_with_shutdown_tls(state, listener, config, shutdown).await?,
        None => serve_with_shutdown(state, listener, shutdown).await?,
    }
    Ok(())
}
