//! `aftale serve`: the index as a local web app for reviewers — search, agreement pages, the
//! sub-processor register, deadlines, the review matrix, version comparisons and the import
//! status, each at a stable URL that holds its query (bookmarkable).
//!
//! A thin layer over the library, as the command line is: a page is a pure function from the
//! index and the request's parameters to a page model ([`pages`]), rendered by an askama
//! template compiled into the binary (`templates/web/`, every document string escaped). The
//! downloads are the command line's own `--json` and `--csv` output ([`crate::export`]).
//!
//! What it assumes and guarantees:
//! - It opens the index as a reader and never writes: an `aftale ingest` can run beside it, and
//!   pages show new documents once that commits (tantivy reloads the reader).
//! - Loopback by default. Any other address needs a token ([`auth`]); with a token every
//!   request carries it (a cookie after the login page, or `Authorization: Bearer`). On
//!   loopback without a token, requests must name a loopback host (no DNS rebinding).
//! - Nothing is fetched from elsewhere: the stylesheet and the little script are in the binary,
//!   and a strict Content-Security-Policy allows only them. Pages work with scripts off.
//! - No part of a request reaches the file system: documents are looked up by id in the
//!   index, assets in a fixed table. Requests are size- and time-limited.

mod auth;
mod i18n;
mod pages;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::{Error, Result};
use crate::index::{Agreement, IndexStore};
use crate::record::Review;
use crate::register::Company;

pub use auth::TOKEN_ENV;

/// The version the pages show.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The address `aftale serve` binds unless told otherwise.
pub const DEFAULT_BIND: &str = "127.0.0.1:8940";
/// The largest request body taken (the login form is the only one).
const MAX_BODY: usize = 8 * 1024;
/// The longest request target (path and query) answered.
const MAX_URI: usize = 4 * 1024;
/// Decompressed store blocks (16 KiB each before compression) kept per segment by the app's
/// reader: some 16 MiB per segment at most.
const DOC_CACHE_BLOCKS: usize = 1000;
/// A request that takes longer is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Everything the server needs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub index: std::path::PathBuf,
    pub bind: SocketAddr,
    /// Required by every request when set; required to bind a non-loopback address.
    pub token: Option<String>,
    /// The review playbook (TOML); the built-in one when `None`.
    pub playbook: Option<std::path::PathBuf>,
}

/// How the server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Ctrl-C.
    Interrupted,
    /// SIGTERM.
    Terminated,
}

/// What the handlers share: the index (read only) and what was computed from its records,
/// kept until the reader sees a new commit.
pub(crate) struct App {
    store: IndexStore,
    token: Option<auth::Token>,
    /// The loopback host names requests must use when no token guards the app.
    hosts: Option<Vec<String>>,
    playbook: crate::review::Playbook,
    cache: Mutex<Option<Arc<Snapshot>>>,
    /// Held while a snapshot is computed, so that it is computed once.
    computing: Mutex<()>,
    /// The vendors of the live agreements (the search form's choices), per generation.
    vendors: Mutex<Option<(u64, Arc<Vec<String>>)>>,
}

/// The live agreements and what every table page derives from them, for one generation of the
/// index.
pub(crate) struct Snapshot {
    generation: u64,
    pub agreements: Vec<Agreement>,
    pub reviews: Vec<Review>,
    pub register: Vec<Company>,
    /// How each agreement (by record id) is named on a page: its vendor, else its file name,
    /// with the file name added where two agreements have one vendor.
    pub names: std::collections::HashMap<String, String>,
}

impl Snapshot {
    fn new(
        generation: u64,
        agreements: Vec<Agreement>,
        playbook: &crate::review::Playbook,
    ) -> Snapshot {
        use rayon::prelude::*;
        let reviews = agreements
            .par_iter()
            .map(|a| {
                let mut r = crate::review::review(&a.record, playbook);
                r.document.path = a.document.path.clone();
                r
            })
            .collect();
        let records: Vec<crate::Record> = agreements.iter().map(|a| a.record.clone()).collect();
        let register = crate::register::register(&records);
        let shown = crate::export::deadlines::shown_names(&agreements);
        let names = agreements
            .iter()
            .map(|a| {
                let name = shown
                    .get(a.document.path.as_str())
                    .cloned()
                    .unwrap_or_else(|| a.name());
                (a.record.id.clone(), name)
            })
            .collect();
        Snapshot {
            generation,
            agreements,
            reviews,
            register,
            names,
        }
    }

    /// The name a page shows for the agreement with this record id.
    pub(crate) fn name(&self, id: &str) -> Option<&str> {
        self.names.get(id).map(String::as_str)
    }
}

impl App {
    /// The agreements of what the reader sees now, computed once per commit: one request
    /// computes, the others wait for it and share the result.
    pub(crate) fn snapshot(&self) -> Result<Arc<Snapshot>> {
        let generation = self.store.generation()?;
        let cached = |cache: &Option<Arc<Snapshot>>| {
            cache
                .as_ref()
                .filter(|s| s.generation == generation)
                .map(Arc::clone)
        };
        if let Some(s) = self.cache.lock().ok().and_then(|c| cached(&c)) {
            return Ok(s);
        }
        let _computing = self.computing.lock();
        if let Some(s) = self.cache.lock().ok().and_then(|c| cached(&c)) {
            return Ok(s);
        }
        let snapshot = Arc::new(Snapshot::new(
            generation,
            self.store.agreements()?,
            &self.playbook,
        ));
        if let Ok(mut cache) = self.cache.lock() {
            *cache = Some(Arc::clone(&snapshot));
        }
        Ok(snapshot)
    }

    /// The vendors of the live agreements, sorted, once per commit (a search page lists them
    /// without reading every record).
    pub(crate) fn vendors(&self) -> Result<Arc<Vec<String>>> {
        let generation = self.store.generation()?;
        if let Some((g, v)) = self.vendors.lock().ok().and_then(|v| v.clone()) {
            if g == generation {
                return Ok(v);
            }
        }
        let mut vendors: Vec<String> = self
            .store
            .stored_documents()?
            .iter()
            .filter(|d| d.retired.is_none())
            .filter_map(|d| d.current().and_then(|v| v.vendor.clone()))
            .collect();
        vendors.sort();
        vendors.dedup();
        let vendors = Arc::new(vendors);
        if let Ok(mut cache) = self.vendors.lock() {
            *cache = Some((generation, Arc::clone(&vendors)));
        }
        Ok(vendors)
    }

    pub(crate) fn store(&self) -> &IndexStore {
        &self.store
    }

    pub(crate) fn playbook(&self) -> &crate::review::Playbook {
        &self.playbook
    }
}

/// Whether `addr` is a loopback address (127.0.0.0/8, ::1).
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Open the index, bind, call `ready` with the URL, serve until Ctrl-C or SIGTERM.
pub fn serve(options: ServeOptions, ready: impl FnOnce(&str)) -> Result<Stopped> {
    let token = options.token.as_deref().map(str::trim).unwrap_or("");
    if !is_loopback(&options.bind) && token.is_empty() {
        return Err(Error::Usage(format!(
            "{} is not a loopback address: anyone who can reach it could read the agreements; \
             give --token (or set {TOKEN_ENV}) to require a token, or bind 127.0.0.1",
            options.bind
        )));
    }
    let playbook = match &options.playbook {
        Some(path) => crate::review::Playbook::load(path)?,
        None => crate::review::Playbook::default_playbook(),
    };
    // Pages read the same clause texts and records again and again: keep more of them.
    let store = IndexStore::open(&options.index)?.with_doc_cache(DOC_CACHE_BLOCKS);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("aftale-serve")
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", options.bind)))?;
        let local = listener.local_addr()?;
        let hosts = (token.is_empty()).then(|| loopback_hosts(&local));
        let app = Arc::new(App {
            store,
            token: (!token.is_empty()).then(|| auth::Token::new(token)),
            hosts,
            playbook,
            cache: Mutex::new(None),
            computing: Mutex::new(()),
            vendors: Mutex::new(None),
        });
        let url = match local {
            SocketAddr::V6(a) => format!("http://[{}]:{}/", a.ip(), a.port()),
            SocketAddr::V4(a) => format!("http://{}:{}/", a.ip(), a.port()),
        };
        ready(&url);
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<Stopped>();
        let stopped = Arc::new(Mutex::new(None));
        let seen = Arc::clone(&stopped);
        tokio::spawn(async move {
            let how = shutdown_signal().await;
            if let Ok(mut s) = seen.lock() {
                *s = Some(how);
            }
            let _ = stop_tx.send(how);
        });
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async move {
                let _ = stop_rx.await;
            })
            .await?;
        let how = stopped.lock().ok().and_then(|s| *s);
        Ok(how.unwrap_or(Stopped::Interrupted))
    })
}

/// The Host values a loopback-bound app answers: its address and `localhost`, with the port.
fn loopback_hosts(local: &SocketAddr) -> Vec<String> {
    let port = local.port();
    let mut hosts = vec![
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ];
    match local {
        SocketAddr::V4(a) => hosts.push(format!("{}:{port}", a.ip())),
        SocketAddr::V6(a) => hosts.push(format!("[{}]:{port}", a.ip())),
    }
    hosts
}

async fn shutdown_signal() -> Stopped {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return Stopped::Interrupted;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => Stopped::Interrupted,
            _ = term.recv() => Stopped::Terminated,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        Stopped::Interrupted
    }
}

/// Every route, behind the guards: size and time limits, the host or token check, the security
/// headers.
pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::search::page))
        .route("/search.json", get(pages::search::json))
        .route("/search.csv", get(pages::search::csv))
        .route("/doc/{id}", get(pages::agreement::page))
        .route("/diff", get(pages::diff::pick))
        .route("/diff/{old}/{new}", get(pages::diff::page))
        .route("/subprocessors", get(pages::tables::subprocessors))
        .route(
            "/subprocessors.json",
            get(pages::tables::subprocessors_json),
        )
        .route("/subprocessors.csv", get(pages::tables::subprocessors_csv))
        .route("/deadlines", get(pages::tables::deadlines))
        .route("/deadlines.json", get(pages::tables::deadlines_json))
        .route("/deadlines.csv", get(pages::tables::deadlines_csv))
        .route("/review", get(pages::tables::review))
        .route("/review.json", get(pages::tables::review_json))
        .route("/review.csv", get(pages::tables::review_csv))
        .route("/imports", get(pages::tables::imports))
        .route("/imports.json", get(pages::tables::imports_json))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/assets/{name}", get(pages::asset))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(Arc::clone(&app), guard))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(app)
}

/// The checks every request passes before its handler, and the headers every answer gets.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let mut response = match check(&app, &request) {
        Some(refused) => refused,
        None => next.run(request).await,
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// `Some(answer)` when the request is refused before its handler.
fn check(app: &App, request: &Request) -> Option<Response> {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if target > MAX_URI {
        return Some(pages::plain(
            StatusCode::URI_TOO_LONG,
            "request target too long",
        ));
    }
    if let Some(hosts) = &app.hosts {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Some(pages::plain(
                StatusCode::MISDIRECTED_REQUEST,
                "this app answers only requests to its loopback address",
            ));
        }
    }
    if let Some(token) = &app.token {
        let path = request.uri().path();
        if path != "/login" && !path.starts_with("/assets/") && !token.admits(request.headers()) {
            return Some(auth::refuse(request));
        }
    }
    None
}

/// A response body from a string, with its content type.
pub(crate) fn typed(content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
