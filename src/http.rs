//! The optional HTTP listener (`http.listen`): `GET /healthz` and `GET /metrics`.
//!
//! Off by default: a bot needs no open port. Containers and Prometheus turn it on.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::Full;
use hyper1::body::{Bytes, Incoming};
use hyper1::server::conn::http1;
use hyper1::service::service_fn;
use hyper1::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::telemetry::Telemetry;

/// Binds `addr`; the returned future serves until dropped.
pub async fn serve(
    addr: SocketAddr,
    telemetry: Arc<Telemetry>,
) -> anyhow::Result<impl std::future::Future<Output = ()>> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (`http.listen`): {e}"))?;
    info!(address = %listener.local_addr().unwrap_or(addr), "HTTP listener for /healthz and /metrics");
    Ok(async move {
        loop {
            let (stream, _) = match listener.accept().await {
                Ok(conn) => conn,
                Err(e) => {
                    warn!(error = %e, "HTTP accept failed");
                    continue;
                }
            };
            let telemetry = telemetry.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let telemetry = telemetry.clone();
                    async move { Ok::<_, Infallible>(route(&req, &telemetry)) }
                });
                if let Err(e) = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                {
                    warn!(error = %e, "HTTP connection failed");
                }
            });
        }
    })
}

fn route(req: &Request<Incoming>, telemetry: &Telemetry) -> Response<Full<Bytes>> {
    let text = |status: StatusCode, content_type: &str, body: String| {
        let mut response = Response::new(Full::new(Bytes::from(body)));
        *response.status_mut() = status;
        if let Ok(value) = content_type.parse() {
            response.headers_mut().insert("content-type", value);
        }
        response
    };
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/healthz") => match telemetry.health() {
            Ok(()) => text(StatusCode::OK, "text/plain", "ok\n".into()),
            Err(reason) => text(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain",
                format!("unhealthy: {reason}\n"),
            ),
        },
        (&Method::GET, "/metrics") => text(
            StatusCode::OK,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            telemetry.encode(),
        ),
        _ => text(StatusCode::NOT_FOUND, "text/plain", "not found\n".into()),
    }
}

/// `crier health`: asks the listener at `addr` for `/healthz`; `Ok` with its answer when it says 200.
pub async fn probe(addr: SocketAddr) -> Result<String, String> {
    // 0.0.0.0 is where it listens, not where to connect.
    let target = if addr.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], addr.port()))
    } else {
        addr
    };
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(3))
        .build()
        .map_err(|e| e.to_string())?;
    let response = client
        .get(format!("http://{target}/healthz"))
        .send()
        .await
        .map_err(|e| format!("no answer from http://{target}/healthz: {e}"))?;
    let ok = response.status().is_success();
    let body = response.text().await.unwrap_or_default().trim().to_string();
    if ok {
        Ok(body)
    } else {
        Err(body)
    }
}
