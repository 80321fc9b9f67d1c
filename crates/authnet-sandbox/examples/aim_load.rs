//! A small AIM load generator: keep-alive HTTP/1.1 connections posting
//! AUTH_ONLY requests as fast as the sandbox answers.
//!
//! ```text
//! cargo run --release -p authnet-sandbox --example aim_load -- [ADDR] [CONNECTIONS] [SECONDS]
//! ```
//! Without ADDR (or with `-`) it starts an in-process sandbox on a free port
//! (client and server then share the machine's cores).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use authnet_sandbox::{Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let addr = match args.first().map(String::as_str) {
        None | Some("-") => {
            let sandbox = Sandbox::new(SandboxConfig::default());
            let (addr, _task) = authnet_sandbox::serve::spawn("127.0.0.1:0", sandbox)
                .await
                .unwrap();
            addr.to_string()
        }
        Some(a) => a
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned(),
    };
    let conns: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(32);
    let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);

    let body = "x_login=anet-test&x_tran_key=SandboxKey123456&x_version=3.1&x_type=AUTH_ONLY\
&x_amount=19.99&x_card_num=4111111111111111&x_exp_date=1235&x_zip=97201&x_delim_data=TRUE\
&x_delim_char=%7C&x_relay_response=FALSE&x_duplicate_window=0";
    let request = format!(
        "POST /gateway/transact.dll HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let request = Arc::new(request.into_bytes());
    let done = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (addr, request, done, ok, failed) = (
            addr.clone(),
            request.clone(),
            done.clone(),
            ok.clone(),
            failed.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(&addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let mut buf = vec![0u8; 8192];
            while !done.load(Ordering::Relaxed) {
                if stream.write_all(&request).await.is_err() {
                    failed.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                // Read one response: headers, then Content-Length bytes.
                let mut filled = 0;
                let complete = loop {
                    let n = match stream.read(&mut buf[filled..]).await {
                        Ok(0) | Err(_) => break false,
                        Ok(n) => n,
                    };
                    filled += n;
                    let head = &buf[..filled];
                    if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        let headers = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                        let len: usize = headers
                            .lines()
                            .find_map(|l| {
                                l.strip_prefix("content-length:")
                                    .map(|v| v.trim().parse().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if filled >= end + 4 + len {
                            let approved = head.get(end + 4) == Some(&b'1');
                            break approved;
                        }
                    }
                };
                if complete {
                    ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(secs)).await;
    done.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let n = ok.load(Ordering::Relaxed);
    println!(
        "{n} approved AUTH_ONLY in {elapsed:.2} s over {conns} connections: {:.0} auths/s ({} failed)",
        n as f64 / elapsed,
        failed.load(Ordering::Relaxed)
    );
}
