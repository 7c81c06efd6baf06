//! `crier health`: exit 0 when the running bot is healthy (asks its `/healthz`), else 1 with the
//! reason; without a listener, checks the configuration and that the state folder is writable.

use std::process::ExitCode;

use crate::config::Config;

pub fn command(config: &Config) -> anyhow::Result<ExitCode> {
    let verdict = match config.http_listen {
        Some(addr) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(crate::adapters::http::probe(addr)),
        None => state_dir_writable(&config.state_dir),
    };
    match verdict {
        Ok(answer) => {
            println!("healthy: {answer}");
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            println!("unhealthy: {reason}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn state_dir_writable(dir: &std::path::Path) -> Result<String, String> {
    let probe = dir.join(format!(".health-{}", std::process::id()));
    std::fs::write(&probe, b"ok")
        .and_then(|()| std::fs::remove_file(&probe))
        .map(|()| {
            format!(
                "configuration valid, state folder {} writable",
                dir.display()
            )
        })
        .map_err(|e| format!("the state folder {} is not writable: {e}", dir.display()))
}
