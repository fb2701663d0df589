//! Logging: `RUST_LOG` decides; the server logs requests, commands only warnings.

use tracing_subscriber::EnvFilter;

pub fn init(serving: bool) {
    let default = if serving { "info,sqlx=warn,tower_http=info" } else { "warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Resident memory (KiB) of processes (`"self"` or a pid), summed, from `/proc/<pid>/status` —
/// what the benchmarks and the load generator report as a server's memory. Linux only.
pub fn rss_kib<P: std::fmt::Display>(pids: &[P]) -> anyhow::Result<u64> {
    let mut total = 0;
    for pid in pids {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        total += status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .ok_or_else(|| anyhow::anyhow!("no VmRSS for {pid}"))?;
    }
    Ok(total)
}
