//! The token that guards an app bound beyond loopback: every request carries it, as the
//! session cookie the login page sets or as `Authorization: Bearer TOKEN`. The cookie holds a
//! key derived from the token, not the token; comparisons take the same time whatever matches.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Form, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::i18n::{Labels, Lang};
use super::App;

/// The environment variable `aftale serve` reads the token from when `--token` is not given.
pub const TOKEN_ENV: &str = "AFTALE_TOKEN";
const COOKIE: &str = "aftale_session";

/// The token, kept as the session key derived from it.
pub(crate) struct Token {
    session: blake3::Hash,
}

impl Token {
    pub(crate) fn new(token: &str) -> Token {
        Token {
            session: session_key(token),
        }
    }

    /// Whether the request carries the token (the session cookie, or a bearer header).
    pub(crate) fn admits(&self, headers: &HeaderMap) -> bool {
        let bearer = headers
            .get_all(header::AUTHORIZATION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.strip_prefix("Bearer "))
            .any(|t| session_key(t.trim()) == self.session);
        bearer
            || headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
                .filter_map(|value| blake3::Hash::from_hex(value.trim()).ok())
                // `blake3::Hash` compares in constant time.
                .any(|value| value == self.session)
    }
}

fn session_key(token: &str) -> blake3::Hash {
    blake3::Hash::from(blake3::derive_key(
        "aftale serve 2026 session cookie",
        token.as_bytes(),
    ))
}

#[derive(Template)]
#[template(path = "web/login.html")]
struct LoginPage {
    l: &'static Labels,
    lang: &'static str,
    next: String,
    failed: bool,
}

fn login_response(status: StatusCode, lang: Lang, next: String, failed: bool) -> Response {
    let page = LoginPage {
        l: lang.labels(),
        lang: lang.code(),
        next,
        failed,
    };
    match page.render() {
        Ok(html) => (status, super::typed("text/html; charset=utf-8", html)).into_response(),
        Err(_) => super::pages::plain(status, "token required"),
    }
}

/// The answer to a request without the token: the login page for a browser, a short text for
/// anything else; 401 either way.
pub(crate) fn refuse(request: &Request) -> Response {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let mut response = if wants_html {
        let next = request
            .uri()
            .path_and_query()
            .map_or("/".to_string(), |p| p.as_str().to_string());
        let lang = Lang::from_uri(request.uri());
        login_response(StatusCode::UNAUTHORIZED, lang, next, false)
    } else {
        super::pages::plain(
            StatusCode::UNAUTHORIZED,
            "this app requires its token: log in at /login or send Authorization: Bearer TOKEN",
        )
    };
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"aftale\""),
    );
    response
}

#[derive(Deserialize)]
pub(crate) struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

pub(crate) async fn login_page(Query(q): Query<LoginQuery>) -> Response {
    let lang = Lang::parse(q.lang.as_deref()).unwrap_or_default();
    login_response(StatusCode::OK, lang, local_target(q.next.as_deref()), false)
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    token: String,
    next: Option<String>,
    lang: Option<String>,
}

/// Check the token; on success set the session cookie and go where the user was going.
pub(crate) async fn login(State(app): State<Arc<App>>, Form(form): Form<LoginForm>) -> Response {
    let lang = Lang::parse(form.lang.as_deref()).unwrap_or_default();
    let next = local_target(form.next.as_deref());
    let Some(token) = &app.token else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
    };
    if session_key(form.token.trim()) != token.session {
        return login_response(StatusCode::UNAUTHORIZED, lang, next, true);
    }
    let cookie = format!(
        "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
        token.session.to_hex()
    );
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, next), (header::SET_COOKIE, cookie)],
    )
        .into_response()
}

/// A path on this app to go to after logging in; anything else (another host, `//host`) is `/`.
fn local_target(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains(['\\', '\r', '\n'])
                && !n.starts_with("/login") =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(local_target(Some("/doc/abc?lang=en")), "/doc/abc?lang=en");
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "x",
            "/login",
        ] {
            assert_eq!(local_target(Some(bad)), "/", "{bad}");
        }
        assert_eq!(local_target(None), "/");
    }

    #[test]
    fn the_token_admits_by_bearer_or_cookie_and_nothing_else() {
        let token = Token::new("s3cret");
        let mut headers = HeaderMap::new();
        assert!(!token.admits(&headers));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3cret"),
        );
        assert!(token.admits(&headers));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer wrong"),
        );
        assert!(!token.admits(&headers));
        let cookie = format!("a=b; {COOKIE}={}", session_key("s3cret").to_hex());
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&cookie).expect("cookie"),
        );
        assert!(token.admits(&headers));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("aftale_session=s3cret"),
        );
        assert!(!token.admits(&headers));
    }
}
