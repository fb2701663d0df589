//! Logging: `RUST_LOG` decides; the server logs requests, commands only warnings.

use tracing_subscriber::EnvFilter;

pub fn init(serving: bool) {
    let default = if serving { "info,sqlx=warn,tower_http=info" } else { "warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
