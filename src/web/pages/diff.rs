//! `/diff/<old>/<new>`: what changed between two stored versions — the report of `aftale diff
//! --format html`, inside the app (`?ocr=ignore` compares the OCR-repaired wording). `/diff?old=
//! &new=` is where the version picker of an agreement page goes; it redirects to the stable URL.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{blocking, html, query, version_id, Chrome, PageError, Shared};
use crate::compare::{self, render, CompareOptions};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    /// `ignore`: OCR misreadings ignored.
    ocr: Option<String>,
    /// Read by `lang_of` from the URI; declared so that it is not refused as unknown.
    #[allow(dead_code)]
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "web/diff.html")]
struct DiffPage {
    c: Chrome,
    old_href: String,
    new_href: String,
    toggle_href: String,
    ignore_ocr: bool,
    /// The report's own markup: every document string in it escaped by the report renderer.
    report: String,
}

pub(crate) async fn page(
    State(app): State<Shared>,
    Path((old, new)): Path<(String, String)>,
    uri: Uri,
) -> Response {
    let lang = lang_or_return!(uri);
    let u = uri.clone();
    blocking(lang, uri, move || {
        let p: Params = query(&u)?;
        let ignore_ocr = match p.ocr.as_deref() {
            None | Some("") | Some("strict") => false,
            Some("ignore") => true,
            Some(other) => {
                return Err(PageError::BadRequest(format!(
                    "unknown ocr={other:?}: use ocr=ignore or leave it out"
                )))
            }
        };
        let mut sides = Vec::new();
        for id in [&old, &new] {
            let id = version_id(id)?;
            let (_, version, record) = app.store().find_record(&id).map_err(|_| {
                PageError::NotFound(format!("no agreement version with id {id} in the index"))
            })?;
            sides.push((version, record));
        }
        let (new_version, new_record) = sides
            .pop()
            .ok_or_else(|| PageError::Internal("no side".into()))?;
        let (old_version, old_record) = sides
            .pop()
            .ok_or_else(|| PageError::Internal("no side".into()))?;
        let mut comparison =
            compare::compare(&old_record, &new_record, CompareOptions { ignore_ocr });
        comparison.old.index_version = Some(old_version.version);
        comparison.new.index_version = Some(new_version.version);
        let c = Chrome::new(
            lang,
            &u,
            "",
            format!(
                "{} v{} → v{}",
                new_version
                    .vendor
                    .clone()
                    .unwrap_or_else(|| crate::index::file_name(&new_version.path)),
                old_version.version,
                new_version.version
            ),
        );
        let lq = c.lq;
        let la = c.la;
        let base = format!("/diff/{}/{}", old_record.id, new_record.id);
        let page = DiffPage {
            old_href: format!("/doc/{}{lq}", old_record.id),
            new_href: format!("/doc/{}{lq}", new_record.id),
            toggle_href: if ignore_ocr {
                format!("{base}{lq}")
            } else {
                format!("{base}?ocr=ignore{la}")
            },
            ignore_ocr,
            report: render::html_body(&comparison),
            c,
        };
        html(page)
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Pick {
    old: String,
    new: String,
    /// Read by `lang_of` from the URI; declared so that it is not refused as unknown.
    #[allow(dead_code)]
    lang: Option<String>,
}

/// The version picker's answer: a redirect to `/diff/<old>/<new>`.
pub(crate) async fn pick(uri: Uri) -> Response {
    let lang = lang_or_return!(uri);
    let picked: Result<Pick, PageError> = query(&uri);
    match picked.and_then(|p| Ok((version_id(&p.old)?, version_id(&p.new)?, p.lang))) {
        Ok((old, new, l)) => {
            let suffix = if l.as_deref() == Some("en") {
                "?lang=en"
            } else {
                ""
            };
            (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, format!("/diff/{old}/{new}{suffix}"))],
            )
                .into_response()
        }
        Err(e) => super::error_page(lang, &uri, e),
    }
}
