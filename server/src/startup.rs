//! Builds the application (database, router, background watcher and mail sender) and serves it. `Application`
//! can bind port 0, so tests run the real server.

use crate::config::{LimitOptions, ServeOptions};
use crate::mail::Mailer;
pub use crate::state::AppState;
use crate::{api_audit, api_report, api_v1, audit_purge, health, live, mail, security, sf_status, watcher};
use anyhow::Context;
use app::state::{AppContext, Limits, Settings};
use app::store::{Db, users};
use app::{App, shell};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::process::ExitCode;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    ctx: AppContext,
    mailer: Option<Mailer>,
    stop: tokio::sync::watch::Sender<bool>,
}

/// Stops a running `Application` as SIGTERM or Ctrl-C does (for tests and embedders).
#[derive(Clone)]
pub struct Stopper(tokio::sync::watch::Sender<bool>);

impl Stopper {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl Application {
    /// The application with the limits of the environment (`LimitOptions::from_env`).
    pub async fn build(database_url: &str, opts: &ServeOptions) -> anyhow::Result<Application> {
        Self::build_with(database_url, opts, LimitOptions::from_env().limits()).await
    }

    pub async fn build_with(database_url: &str, opts: &ServeOptions, limits: Limits) -> anyhow::Result<Application> {
        let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
        if opts.production {
            let mut conn = db.read.acquire().await?;
            let demo = users::count_demo(&mut conn).await?;
            anyhow::ensure!(
                demo == 0,
                "databasen indeholder {demo} demo-brugere; en produktionsstart (ARBEJDSBORD_PRODUCTION) nægtes. Brug en database uden demo-data."
            );
        }
        let mailer = opts.smtp_url.as_deref().map(|url| Mailer::new(url, &opts.mail_from)).transpose()?;
        if mailer.is_none() {
            tracing::info!("ingen --smtp-url: e-mails bliver liggende i tabellen outbox");
        }
        let ctx =
            AppContext::new(db, Settings { secure_cookies: opts.secure_cookies, session_hours: opts.session_hours })
                .with_limits(limits);
        let listener =
            tokio::net::TcpListener::bind(opts.addr).await.with_context(|| format!("listen on {}", opts.addr))?;
        let leptos_options = LeptosOptions::builder()
            .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "arbejdsbord".into()))
            .site_root(opts.site_root.clone())
            .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
            .site_addr(listener.local_addr()?)
            .build();
        let policy = security::Policy {
            https: opts.secure_cookies,
            trust_proxy: opts.trust_proxy,
            dev_reload: std::env::var_os("LEPTOS_WATCH").is_some(),
        };
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let router = router(AppState { leptos_options, ctx: ctx.clone(), stopping }, policy);
        Ok(Application { listener, router, ctx, mailer, stop })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn context(&self) -> AppContext {
        self.ctx.clone()
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.stop.clone())
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        watcher::spawn(self.ctx.clone());
        audit_purge::spawn(self.ctx.clone());
        if let Some(mailer) = self.mailer {
            mail::spawn(self.ctx.clone(), mailer);
        }
        // A make-service builds the router's routes once; serving the `Router` itself would
        // rebuild them for every connection (~75 KB each, with thousands of live connections).
        // The connection's address is the client's for the login throttle (`security::client`).
        //
        // Graceful shutdown on SIGTERM or Ctrl-C: no new connections; live streams end at once
        // (`AppState::stopping`), so browsers reconnect to another instance; requests in flight
        // finish, writes included, and the writer commits before the database closes.
        let stop = self.stop;
        let mut stopping = stop.subscribe();
        let signalled = async move {
            tokio::select! {
                _ = terminate() => tracing::info!("stopper: afslutter igangværende forespørgsler"),
                _ = stopping.wait_for(|s| *s) => {}
            }
            stop.send_replace(true);
        };
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(signalled)
            .await
    }
}

/// SIGTERM (systemd, an orchestrator) or Ctrl-C.
async fn terminate() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// The app's routes, generated once per process. Generating them renders the app with
/// Leptos's `SuppressResourceLoad`, a process-wide flag: while it is set, every resource polled
/// anywhere in the process waits forever, so a page being served while a second
/// `Application` is built (tests run several in one process) would hang half-streamed.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

fn router(state: AppState, policy: security::Policy) -> Router {
    let routes = route_list();
    let provide = {
        let ctx = state.ctx.clone();
        let dev_reload = policy.dev_reload;
        move || {
            provide_context(ctx.clone());
            // Leptos has provided this response's nonce by now; the header must carry the same.
            security::provide_page_csp(dev_reload);
        }
    };
    let render = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    Router::new()
        .leptos_routes_with_context(&state, routes, provide.clone(), render)
        .merge(api_v1::routes())
        .merge(api_audit::routes())
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(provide, shell))
        .layer(axum::middleware::from_fn(sf_status::status_from_error))
        .layer(axum::middleware::from_fn_with_state(policy.clone(), security::refuse_cross_origin_writes))
        .layer(axum::middleware::from_fn_with_state(policy, security::remember_client_addr))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        // Live streams stay open for hours, thousands at once: without per-request tracing spans
        // and compression wrappers each costs a fraction of the memory.
        .merge(live::routes())
        .merge(health::routes())
        // Report downloads stream for many seconds and are not worth compressing (see the module).
        .merge(api_report::routes())
        // Security headers and Cache-Control on every answer, live streams included (the
        // middleware is done once the response head is out; it holds nothing while a stream runs).
        .layer(axum::middleware::from_fn(security::secure_responses))
        .with_state(state)
}

pub async fn serve(database_url: &str, opts: ServeOptions, limits: Limits) -> anyhow::Result<ExitCode> {
    let app = Application::build_with(database_url, &opts, limits).await?;
    tracing::info!("Arbejdsbord kører på http://{}", app.listener.local_addr()?);
    app.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}
