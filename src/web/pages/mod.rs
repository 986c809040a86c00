//! The pages: each handler reads its parameters (unknown ones are refused, not ignored), asks
//! the library on a blocking thread, and renders one askama template. What every page shares
//! is here: the frame ([`Chrome`]), errors as pages, the assets, downloads.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Request};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::i18n::{Labels, Lang};
use super::App;
use crate::error::Error;

/// What the frame of every page needs: the words, the language, the title, which part of the
/// navigation is current, and how links keep the language.
pub(crate) struct Chrome {
    pub l: &'static Labels,
    pub lang: &'static str,
    pub title: String,
    pub nav: &'static str,
    /// `?lang=en` or nothing: appended to a link without a query.
    pub lq: &'static str,
    /// `&lang=en` or nothing: appended to a link with a query.
    pub la: &'static str,
    /// This page in the other language.
    pub switch_href: String,
}

impl Chrome {
    pub(crate) fn new(lang: Lang, uri: &Uri, nav: &'static str, title: String) -> Chrome {
        let (lq, la) = match lang {
            Lang::Da => ("", ""),
            Lang::En => ("?lang=en", "&lang=en"),
        };
        let mut kept: Vec<&str> = uri
            .query()
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        if lang == Lang::Da {
            kept.push("lang=en");
        }
        let switch_href = if kept.is_empty() {
            uri.path().to_string()
        } else {
            format!("{}?{}", uri.path(), kept.join("&"))
        };
        Chrome {
            l: lang.labels(),
            lang: lang.code(),
            title,
            nav,
            lq,
            la,
            switch_href,
        }
    }
}

/// Why a page cannot be shown.
#[derive(Debug)]
pub(crate) enum PageError {
    /// A parameter that is unknown or wrong (400).
    BadRequest(String),
    NotFound(String),
    Internal(String),
}

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        match e {
            Error::Usage(m) => PageError::BadRequest(m),
            other => PageError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        PageError::Internal(format!("rendering failed: {e}"))
    }
}

#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: String,
}

/// An error as a page in the app's frame (a plain text when even that fails).
pub(crate) fn error_page(lang: Lang, uri: &Uri, e: PageError) -> Response {
    let (status, message) = match e {
        PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
        PageError::NotFound(m) => (StatusCode::NOT_FOUND, m),
        PageError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, m),
    };
    let page = ErrorPage {
        c: Chrome::new(lang, uri, "", lang.labels().error.to_string()),
        status: status.as_u16(),
        message,
    };
    match page.render() {
        Ok(html) => (status, super::typed("text/html; charset=utf-8", html)).into_response(),
        Err(_) => plain(status, "error"),
    }
}

/// A short plain-text answer.
pub(crate) fn plain(status: StatusCode, message: &str) -> Response {
    (
        status,
        super::typed("text/plain; charset=utf-8", format!("{message}\n")),
    )
        .into_response()
}

/// Run a page's work on a blocking thread (the index is read synchronously) and turn its
/// result into a response; a panic is a 500 page, not a dead connection.
pub(crate) async fn blocking<F>(lang: Lang, uri: Uri, work: F) -> Response
where
    F: FnOnce() -> Result<Response, PageError> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => error_page(lang, &uri, e),
        Err(_) => error_page(
            lang,
            &uri,
            PageError::Internal("the page failed while it was being made".to_string()),
        ),
    }
}

/// A rendered template as an HTML response.
pub(crate) fn html(page: impl Template) -> Result<Response, PageError> {
    Ok(super::typed("text/html; charset=utf-8", page.render()?))
}

/// A download: its content type and the file name a browser saves it as.
pub(crate) fn download(content_type: &'static str, file: &str, body: Vec<u8>) -> Response {
    let mut response = super::typed(content_type, body);
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A JSON Lines download: one value per line, as the command line's `--json` prints them.
pub(crate) fn jsonl_download<T: serde::Serialize>(
    file: &str,
    values: impl IntoIterator<Item = T>,
) -> Result<Response, PageError> {
    let mut body = Vec::new();
    for value in values {
        serde_json::to_writer(&mut body, &value).map_err(|e| PageError::Internal(e.to_string()))?;
        body.push(b'\n');
    }
    Ok(download("application/x-ndjson; charset=utf-8", file, body))
}

/// A CSV download through the one CSV writer ([`crate::export::write_csv`]).
pub(crate) fn csv_download(
    file: &str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<Response, PageError> {
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let mut body = Vec::new();
    crate::export::write_csv(&mut body, b',', &header, rows)
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(download("text/csv; charset=utf-8", file, body))
}

/// A text parameter as given, trimmed; `None` when it is missing or blank.
pub(crate) fn given(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Parameters as a query struct takes them: unknown ones (and wrong values) are a 400 page that
/// says which, not ignored.
pub(crate) fn query<T: serde::de::DeserializeOwned>(uri: &Uri) -> Result<T, PageError> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|e| PageError::BadRequest(e.body_text()))
}

/// A version id as the URLs carry it: 6 to 64 hex digits.
pub(crate) fn version_id(id: &str) -> Result<String, PageError> {
    let id = id.to_ascii_lowercase();
    if (6..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(id)
    } else {
        Err(PageError::NotFound(format!("no agreement {id:?}")))
    }
}

/// The assets, compiled in: the stylesheets and the script. Nothing else is served from a
/// name in a request.
fn asset_body(name: &str) -> Option<(&'static str, &'static str)> {
    static DIFF_CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    match name {
        "app.css" => Some((
            "text/css; charset=utf-8",
            include_str!("../../../templates/web/app.css"),
        )),
        "app.js" => Some((
            "text/javascript; charset=utf-8",
            include_str!("../../../templates/web/app.js"),
        )),
        // The diff report's own stylesheet, scoped to the report inside the app's frame.
        "diff.css" => Some((
            "text/css; charset=utf-8",
            DIFF_CSS
                .get_or_init(|| crate::compare::render::STYLE.replacen("body {", ".report {", 1))
                .as_str(),
        )),
        _ => None,
    }
}

pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match asset_body(&name) {
        Some((content_type, body)) => {
            let mut response = super::typed(content_type, body);
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=3600"),
            );
            response
        }
        None => plain(StatusCode::NOT_FOUND, "no such asset"),
    }
}

pub(crate) async fn not_found(request: Request) -> Response {
    let uri = request.uri().clone();
    let lang = Lang::from_uri(&uri);
    error_page(
        lang,
        &uri,
        PageError::NotFound(format!("no page at {}", uri.path())),
    )
}

/// The language a request asks for; an unknown one is an error.
pub(crate) fn lang_of(uri: &Uri) -> Result<Lang, PageError> {
    let value: Option<String> = uri
        .query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|pair| pair.strip_prefix("lang="))
        .map(|v| v.to_string());
    Lang::parse(value.as_deref()).map_err(PageError::BadRequest)
}

/// The language of a page request, or (from the handler) its error page.
macro_rules! lang_or_return {
    ($uri:expr) => {
        match $crate::web::pages::lang_of(&$uri) {
            Ok(l) => l,
            Err(e) => return $crate::web::pages::error_page($crate::web::i18n::Lang::Da, &$uri, e),
        }
    };
}

pub(crate) mod agreement;
pub(crate) mod diff;
pub(crate) mod search;
pub(crate) mod tables;

/// The app, for handlers.
pub(crate) type Shared = Arc<App>;
