//! The accept loop. Like `axum::serve`, plus one thing it cannot do: a
//! response carrying [`AbortConnection`] makes the connection drop without a
//! byte of response (the "close after commit" fault).

use std::future::Future;

use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::Sandbox;
use crate::faults::AbortConnection;

/// The error that tells hyper to abort a connection.
#[derive(Debug, thiserror::Error)]
#[error("connection aborted by fault injection")]
pub struct Aborted;

/// Serves [`crate::router`] on `listener` until the process ends; runs the
/// settlement schedule when configured.
pub async fn serve(listener: TcpListener, sandbox: Sandbox) -> std::io::Result<()> {
    serve_with_shutdown(listener, sandbox, std::future::pending()).await
}

/// As [`serve`], returning once `shutdown` completes (open connections finish
/// on their own tasks).
pub async fn serve_with_shutdown(
    listener: TcpListener,
    sandbox: Sandbox,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let settlement = sandbox.spawn_settlement();
    let app = crate::router(sandbox);
    tokio::pin!(shutdown);
    loop {
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let app = app.clone();
                async move {
                    let resp = match app.oneshot(req.map(Body::new)).await {
                        Ok(r) => r,
                        Err(never) => match never {},
                    };
                    if resp.extensions().get::<AbortConnection>().is_some() {
                        return Err(Aborted);
                    }
                    Ok::<_, Aborted>(resp)
                }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    if let Some(task) = settlement {
        task.abort();
    }
    Ok(())
}

/// Convenience: binds `addr`, returns the bound address and a task serving it.
pub async fn spawn(
    addr: &str,
    sandbox: Sandbox,
) -> std::io::Result<(
    std::net::SocketAddr,
    tokio::task::JoinHandle<std::io::Result<()>>,
)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((local, tokio::spawn(serve(listener, sandbox))))
}
