//! `aftale serve` end to end: the server started on a free loopback port over a fixture index,
//! driven over raw HTTP (so that traversal and oversized requests go out as written) and by
//! headless Chromium.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::util::{aftale, chromium, headless, repo, screenshot_colours, stdout_of};

/// A running `aftale serve`; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Start `aftale serve --index INDEX --bind 127.0.0.1:0 ARGS…` and wait for its URL.
    pub fn start(index: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_aftale"))
            .arg("serve")
            .arg("--index")
            .arg(index)
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .env_remove("AFTALE_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start aftale serve");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).is_ok_and(|n| n == 1) && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let url = String::from_utf8_lossy(&line).trim().to_string();
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|_| {
                let _ = child.kill();
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("no URL from aftale serve: {url:?} {err}")
            });
        Server { child, addr }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn get(&self, path: &str) -> Reply {
        request(self.addr, "GET", path, &[], b"")
    }

    /// A page that must answer 200: its body.
    pub fn page(&self, path: &str) -> String {
        let reply = self.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        reply.text()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on its own connection, the target sent exactly as given.
pub fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        let mut out = Vec::new();
        let mut rest: &[u8] = &body;
        while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(
                String::from_utf8_lossy(&rest[..eol])
                    .split(';')
                    .next()
                    .unwrap_or("0")
                    .trim(),
                16,
            )
            .unwrap_or(0);
            if size == 0 {
                break;
            }
            let start = eol + 2;
            out.extend_from_slice(&rest[start..(start + size).min(rest.len())]);
            rest = rest.get(start + size + 2..).unwrap_or(&[]);
        }
        body = out;
    }
    Reply {
        status,
        headers,
        body,
    }
}

/// The fixture index every read-only test serves: the shipped corpus, the fixture inputs, two
/// versions of one agreement, and an agreement full of markup. Built once per test run.
pub fn fixture_index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("serve-fixture-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("docs/itj")).expect("mkdir");
        let index = base.join("index");
        crate::util::copy_tree(&repo("corpus"), &base.join("docs/corpus"));
        crate::util::copy_tree(&repo("fixtures/inputs"), &base.join("docs/inputs"));
        std::fs::copy(
            repo("fixtures/web/hostile.txt"),
            base.join("docs/hostile.txt"),
        )
        .expect("copy");
        let itj = base.join("docs/itj/itj.pdf");
        std::fs::copy(repo("fixtures/diff/itj_v1.pdf"), &itj).expect("copy");
        let ingest = |path: &Path| {
            let _ = aftale()
                .arg("ingest")
                .arg(path)
                .arg("--index")
                .arg(&index)
                .args(["--ocr", "never"])
                .output()
                .expect("ingest");
        };
        ingest(&itj);
        std::fs::copy(repo("fixtures/diff/itj_v2.pdf"), &itj).expect("copy");
        ingest(&base.join("docs"));
        index
    })
}

fn server() -> Server {
    Server::start(fixture_index(), &[])
}

/// The documents of the fixture index as `aftale docs --json` lists them: (id, path).
fn current_ids(index: &Path) -> Vec<(String, String)> {
    let out = stdout_of(
        aftale()
            .args([
                "search",
                "topic:breach_notification",
                "--json",
                "--limit",
                "100",
                "--per-doc",
                "1",
                "--index",
            ])
            .arg(index),
    );
    crate::util::json_lines::<serde_json::Value>(&out)
        .into_iter()
        .map(|h| {
            (
                h["doc"].as_str().unwrap_or_default().to_string(),
                h["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Pairs of (data-doc, data-clause) of a search page's hits, in order.
fn page_hits(html: &str) -> Vec<(String, String)> {
    html.split("<li class=\"hit\" data-doc=\"")
        .skip(1)
        .map(|rest| {
            let doc = rest.split('"').next().unwrap_or_default().to_string();
            let clause = rest
                .split("data-clause=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_default()
                .to_string();
            (doc, clause)
        })
        .collect()
}

#[test]
fn every_page_answers_with_its_content() {
    let s = server();
    let home = s.page("/");
    assert!(home.contains("id=\"agreements\""), "{home}");
    assert!(home.contains("ITJ Consult"));
    let hits = s.page("/?q=underretning+brud+24+timer");
    assert!(hits.contains("<mark>"), "highlights");
    assert!(!page_hits(&hits).is_empty());
    let (doc, _) = current_ids(fixture_index())
        .into_iter()
        .find(|(_, p)| p.ends_with("itj.pdf"))
        .expect("itj");
    let agreement = s.page(&format!("/doc/{doc}"));
    for expected in [
        "id=\"parties\"",
        "id=\"review\"",
        "id=\"terms\"",
        "id=\"deadlines\"",
        "id=\"subprocessors\"",
        "id=\"versions\"",
        "id=\"clauses\"",
        "<details class=\"clause",
        "href=\"/diff/",
    ] {
        assert!(
            agreement.contains(expected),
            "{expected} missing on /doc/{doc}"
        );
    }
    let diff = agreement
        .split("href=\"/diff/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("diff link");
    let report = s.page(&format!("/diff/{diff}"));
    assert!(report.contains("id=\"summary\""), "{report}");
    assert!(s.page(&format!("/diff/{diff}?ocr=ignore")).contains("OCR"));
    let register = s.page("/subprocessors");
    assert!(register.contains("id=\"register\""));
    let third = s.page("/subprocessors?third=1");
    assert!(third.matches("<tr>").count() < register.matches("<tr>").count());
    // The register pages: every company once across the pages, in the list's order.
    let names = |html: &str| -> Vec<String> {
        html.split("<td><b>")
            .skip(1)
            .filter_map(|r| r.split("</b>").next())
            .map(str::to_string)
            .collect()
    };
    let all = names(&register);
    assert!(all.len() > 20, "{} companies", all.len());
    let mut paged = Vec::new();
    for page in 1.. {
        let html = s.page(&format!("/subprocessors?limit=10&page={page}"));
        let found = names(&html);
        assert!(found.len() <= 10);
        paged.extend(found);
        if !html.contains("rel=\"next\"") {
            break;
        }
    }
    assert_eq!(paged, all);
    assert_eq!(s.get("/subprocessors.csv?page=2").status, 400);
    let deadlines = s.page("/deadlines?sort=breach");
    assert!(deadlines.contains("class=\"num shortest\""), "{deadlines}");
    assert!(s.page("/review").contains("id=\"matrix\""));
    let imports = s.page("/imports");
    assert!(imports.contains("id=\"problems\"") && imports.contains("encrypted"));
    // English labels on request, Danish by default.
    assert!(s.page("/review?lang=en").contains("Missing"));
    assert!(s.page("/review").contains("Mangler"));
    // The picker of two versions redirects to the stable URL.
    let parts: Vec<&str> = diff.split('/').collect();
    let picked = s.get(&format!("/diff?old={}&new={}", parts[0], parts[1]));
    assert_eq!(picked.status, 303);
    assert_eq!(
        picked.header("location"),
        Some(format!("/diff/{diff}").as_str())
    );
}

#[test]
fn search_results_equal_the_command_line() {
    let s = server();
    let index = fixture_index();
    for (query, params) in [
        ("underretning om brud", ""),
        ("overforsel tredjelande", ""),
        ("\"uden unødig forsinkelse\"", ""),
        ("revision -inspektion", ""),
        ("sletning", "&topic=deletion_return"),
        ("72 timer", "&vendor=ITJ"),
        ("gaeldende", "&all=1"),
    ] {
        let mut cli = aftale();
        cli.arg("search")
            .arg(query)
            .arg("--json")
            .arg("--index")
            .arg(index);
        if let Some(topic) = params.strip_prefix("&topic=") {
            cli.args(["--topic", topic]);
        }
        if let Some(vendor) = params.strip_prefix("&vendor=") {
            cli.args(["--vendor", vendor]);
        }
        if params == "&all=1" {
            cli.arg("--all-versions");
        }
        let expected = stdout_of(&mut cli);
        let q: String = query
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let json = s.get(&format!("/search.json?q={q}{params}"));
        assert_eq!(json.status, 200, "{query}: {}", json.text());
        assert_eq!(json.text(), String::from_utf8_lossy(&expected), "{query}");
        let from_cli: Vec<(String, String)> =
            crate::util::json_lines::<serde_json::Value>(&expected)
                .iter()
                .map(|h| {
                    (
                        h["doc"].as_str().unwrap_or_default().to_string(),
                        h["clause"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
        assert_eq!(
            page_hits(&s.page(&format!("/?q={q}{params}"))),
            from_cli,
            "{query}"
        );
    }
    // Paging: page 2 of 5 hits each is hits 6 to 10 of one search of 10.
    let ten = page_hits(&s.page("/?q=databehandleren&limit=10"));
    let second = page_hits(&s.page("/?q=databehandleren&limit=5&page=2"));
    assert_eq!(second, ten[5..].to_vec());
    // An empty answer says what was asked.
    let empty = s.page("/?q=zzyzxqq");
    assert!(
        empty.contains("id=\"empty\"") && empty.contains("zzyzxqq"),
        "{empty}"
    );
}

#[test]
fn downloads_equal_the_command_line() {
    let s = server();
    let index = fixture_index();
    for (path, args) in [
        ("/subprocessors.csv", vec!["subprocessors", "--csv"]),
        ("/subprocessors.json", vec!["subprocessors", "--json"]),
        (
            "/subprocessors.json?third=1",
            vec!["subprocessors", "--json", "--third-country"],
        ),
        (
            "/subprocessors.csv?name=microsoft",
            vec!["subprocessors", "--csv", "--name", "microsoft"],
        ),
        ("/deadlines.csv", vec!["deadlines", "--csv"]),
        (
            "/deadlines.json?topic=breach_notification",
            vec!["deadlines", "--json", "--topic", "breach_notification"],
        ),
        ("/review.csv", vec!["review", "--csv"]),
        ("/review.json", vec!["review", "--json"]),
    ] {
        let expected = stdout_of(aftale().args(&args).arg("--index").arg(index));
        let reply = s.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply
            .header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment")));
        assert!(
            reply.body == expected,
            "{path} differs from aftale {}",
            args.join(" ")
        );
    }
}

#[test]
fn unknown_documents_bad_parameters_and_traversal_are_refused() {
    let s = server();
    for (target, status) in [
        ("/doc/ffffffffffff", 404),
        ("/doc/not-an-id", 404),
        ("/doc/../../etc/passwd", 404),
        ("/doc/..%2F..%2F..%2Fetc%2Fpasswd", 404),
        ("/assets/../Cargo.toml", 404),
        ("/assets/..%2F..%2FCargo.toml", 404),
        ("/assets/%2e%2e/%2e%2e/src/main.rs", 404),
        ("//etc/passwd", 404),
        ("/diff/ffffffff/eeeeeeee", 404),
        ("/nothing-here", 404),
        ("/?q=x&unknown=1", 400),
        ("/?lang=de", 400),
        ("/deadlines?sort=colour", 400),
        ("/subprocessors?colour=red", 400),
        ("/search.json", 400),
    ] {
        let reply = s.get(target);
        assert_eq!(reply.status, status, "{target}: {}", reply.text());
        let body = reply.text();
        assert!(
            !body.contains("[package]") && !body.contains("root:"),
            "{target}"
        );
    }
    let long = format!("/?q={}", "a".repeat(10_000));
    assert_eq!(s.get(&long).status, 414);
    let big = vec![b'x'; 64 * 1024];
    let reply = request(
        s.addr,
        "POST",
        "/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &big,
    );
    assert_eq!(reply.status, 413);
    // A page asked for under another host name (DNS rebinding) is refused.
    let mut stream = TcpStream::connect(s.addr).expect("connect");
    let _ =
        stream.write_all(b"GET / HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    assert_eq!(parse_reply(&raw).status, 421);
    // Every answer carries the security headers.
    let reply = s.get("/");
    let csp = reply.header("content-security-policy").expect("CSP");
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn hostile_document_text_is_rendered_inert() {
    let s = server();
    let doc = current_ids(fixture_index())
        .into_iter()
        .find(|(_, p)| p.ends_with("hostile.txt"))
        .map(|(id, _)| id)
        .expect("hostile document indexed");
    for path in [
        format!("/doc/{doc}"),
        "/subprocessors".to_string(),
        "/?q=alert".to_string(),
        "/?q=underdatabehandlere".to_string(),
        "/".to_string(),
        "/review".to_string(),
        "/deadlines".to_string(),
        "/imports".to_string(),
    ] {
        let html = s.page(&path);
        assert_eq!(
            html.matches("<script").count(),
            1,
            "{path}: one script, ours"
        );
        assert!(html.contains("<script src=\"/assets/app.js\" defer></script>"));
        for tag in [
            "<img",
            "<svg",
            "<textarea",
            "<b onmouseover",
            "href=\"javascript",
        ] {
            assert!(!html.contains(tag), "{path}: {tag} got through");
        }
    }
    let page = s.page(&format!("/doc/{doc}"));
    assert!(
        page.contains("&#60;script&#62;alert(6)&#60;/script&#62; Hosting ApS"),
        "escaped, shown"
    );
}

#[test]
fn a_token_guards_every_request() {
    let s = Server::start(fixture_index(), &["--token", "s3cret-token"]);
    let reply = s.get("/");
    assert_eq!(reply.status, 401);
    let browser = request(s.addr, "GET", "/review", &[("Accept", "text/html")], b"");
    assert_eq!(browser.status, 401);
    assert!(browser.text().contains("name=\"token\""), "the login page");
    assert_eq!(s.get("/subprocessors.csv").status, 401);
    let bearer = request(
        s.addr,
        "GET",
        "/",
        &[("Authorization", "Bearer s3cret-token")],
        b"",
    );
    assert_eq!(bearer.status, 200);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let wrong = request(
        s.addr,
        "POST",
        "/login",
        &form,
        b"token=nope&next=%2Freview",
    );
    assert_eq!(wrong.status, 401);
    let right = request(
        s.addr,
        "POST",
        "/login",
        &form,
        b"token=s3cret-token&next=%2Freview",
    );
    assert_eq!(right.status, 303);
    assert_eq!(right.header("location"), Some("/review"));
    let cookie = right
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("cookie")
        .to_string();
    assert!(!cookie.contains("s3cret"), "the cookie is not the token");
    let with_cookie = request(s.addr, "GET", "/review", &[("Cookie", &cookie)], b"");
    assert_eq!(with_cookie.status, 200);
    // Beyond loopback, no token is no server.
    let out = aftale()
        .args(["serve", "--bind", "0.0.0.0:0", "--index"])
        .arg(fixture_index())
        .env_remove("AFTALE_TOKEN")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token"));
    // No index, no server: one line that says so.
    let dir = tempfile::tempdir().expect("tmp");
    let out = aftale()
        .args(["serve", "--bind", "127.0.0.1:0", "--index"])
        .arg(dir.path().join("none"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("index"));
}

#[test]
fn documents_ingested_beside_the_server_appear_after_the_commit() {
    let dir = tempfile::tempdir().expect("tmp");
    let index = dir.path().join("index");
    std::fs::create_dir_all(dir.path().join("a")).expect("mkdir");
    std::fs::copy(
        repo("corpus/000_5dc22579b8fec684.txt"),
        dir.path().join("a/one.txt"),
    )
    .expect("copy");
    crate::util::ingest(&dir.path().join("a"), &index);
    let s = Server::start(&index, &[]);
    assert!(!s.page("/").contains("two.txt"));
    std::fs::copy(
        repo("fixtures/web/hostile.txt"),
        dir.path().join("a/two.txt"),
    )
    .expect("copy");
    crate::util::ingest(&dir.path().join("a"), &index);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !s.page("/imports").contains("two.txt") {
        assert!(Instant::now() < deadline, "the new document never showed");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(s.page("/subprocessors").contains("Hosting ApS"));
}

/// Load a page in headless Chromium: its DOM after scripts ran, and what the console said.
fn browse(browser: &Path, profile: &Path, url: &str) -> (String, String) {
    let out = headless(browser, profile)
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom", url])
        .output()
        .expect("run chromium");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Console errors in Chromium's log: uncaught script errors and refused resources (CSP).
fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Content Security Policy"))
        .filter(|l| {
            l.contains("Uncaught")
                || l.contains("Refused")
                || l.contains("Error")
                || l.contains("Failed to load")
        })
        .collect()
}

#[test]
fn pages_render_in_a_browser_without_errors() {
    let Some(browser) = chromium() else { return };
    let s = server();
    let profile = tempfile::tempdir().expect("profile");
    let shots = std::env::var_os("AFTALE_SCREENSHOTS").map(PathBuf::from);
    let doc = current_ids(fixture_index())
        .into_iter()
        .find(|(_, p)| p.ends_with("itj.pdf"))
        .map(|(id, _)| id)
        .expect("itj");
    let white = [255u8, 255, 255];
    let background = [251u8, 251, 249];
    let mark = [255u8, 224, 102];
    let missing = [248u8, 215, 215];
    for (name, path, colour, expected) in [
        (
            "search",
            "/?q=underretning+om+brud+24+timer".to_string(),
            mark,
            "<mark>",
        ),
        ("agreement", format!("/doc/{doc}"), white, "id=\"c-1\""),
        (
            "subprocessors",
            "/subprocessors".to_string(),
            white,
            "id=\"register\"",
        ),
        (
            "deadlines",
            "/deadlines".to_string(),
            white,
            "class=\"num shortest\"",
        ),
        (
            "review",
            "/review".to_string(),
            missing,
            "data-item=\"breach_notification\"",
        ),
        ("hostile", "/?q=ondsindet+alert".to_string(), mark, "<mark>"),
    ] {
        let url = s.url(&path);
        let (dom, log) = browse(&browser, profile.path(), &url);
        assert!(dom.contains(expected), "{name}: {expected} not in the DOM");
        assert!(
            !dom.contains("<img") && !dom.contains("<svg"),
            "{name}: injected markup"
        );
        let errors = console_errors(&log);
        assert!(errors.is_empty(), "{name}: console errors {errors:#?}");
        // The README's screenshots are of the main pages, not of the hostile fixture.
        let dir = shots
            .clone()
            .filter(|_| name != "hostile")
            .unwrap_or_else(|| profile.path().to_path_buf());
        std::fs::create_dir_all(&dir).expect("mkdir");
        let shot = dir.join(format!("{name}.png"));
        let counts = screenshot_colours(
            &browser,
            profile.path(),
            &url,
            &shot,
            "1280,860",
            &[colour, background],
        );
        assert!(
            counts[1] > 10_000,
            "{name}: the page background is missing (blank page?)"
        );
        assert!(
            counts[0] > 50,
            "{name}: colour {colour:?} not on screen: {counts:?}"
        );
    }
}

/// A bounded load test on loopback: CLIENTS threads × REQUESTS searches each over an index of
/// generated agreements; no request may fail. The latencies are printed, not asserted (they
/// depend on the machine): `AFTALE_LOAD_DOCS=1000 AFTALE_LOAD_REQUESTS=200 cargo test --release
/// serve_load -- --nocapture` gives the README's figures.
#[test]
fn serve_load() {
    let docs: usize = env_number("AFTALE_LOAD_DOCS", 120);
    let requests: usize = env_number("AFTALE_LOAD_REQUESTS", 25);
    let clients = 8;
    let dir = tempfile::tempdir().expect("tmp");
    let spec = aftale_bench::Spec {
        docs,
        pdfs: 0,
        seed: 7,
    };
    aftale_bench::write(&spec, &dir.path().join("corpus")).expect("generate the corpus");
    let index = dir.path().join("index");
    stdout_of(
        aftale()
            .arg("ingest")
            .arg(dir.path().join("corpus"))
            .arg("--index")
            .arg(&index),
    );
    let s = Server::start(&index, &[]);
    const QUERIES: [&str; 10] = [
        "underretning+om+brud",
        "72+timer",
        "underdatabehandler+varsel",
        "sletning+tilbagelevering",
        "revision",
        "tredjeland+overforsel",
        "gaeldende",
        "fortrolighed",
        "%22uden+un%C3%B8dig+forsinkelse%22",
        "microsoft",
    ];
    // Warm up: the first page builds the agreement snapshot.
    s.page("/");
    let search = move |client: usize, r: usize| {
        let q = QUERIES[(client * 7 + r) % QUERIES.len()];
        format!("/?q={q}&page={}", 1 + (r % 3))
    };
    let (searches, search_wall) = hammer(s.addr, clients, requests, search);
    // The floor: as many requests for the stylesheet, through the same HTTP stack and guards,
    // with no index work.
    let (floor, floor_wall) = hammer(s.addr, clients, requests, |_, _| {
        "/assets/app.css".to_string()
    });
    let at = |times: &[Duration], p: f64| {
        times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0
    };
    eprintln!(
        "serve_load: {docs} agreements, {clients} clients × {requests} searches = {} requests in \
         {:.2} s ({:.0}/s); p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; the stylesheet (floor): \
         {:.0}/s, p50 {:.2} ms, p99 {:.2} ms",
        searches.len(),
        search_wall.as_secs_f64(),
        searches.len() as f64 / search_wall.as_secs_f64(),
        at(&searches, 0.50),
        at(&searches, 0.99),
        at(&searches, 1.0),
        floor.len() as f64 / floor_wall.as_secs_f64(),
        at(&floor, 0.50),
        at(&floor, 0.99),
    );
}

/// `clients` threads each sending `requests` requests (`target(client, n)`) one after the
/// other; every answer must be 200. The latencies, sorted, and the wall time.
fn hammer(
    addr: SocketAddr,
    clients: usize,
    requests: usize,
    target: impl Fn(usize, usize) -> String + Send + Copy + 'static,
) -> (Vec<Duration>, Duration) {
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            std::thread::spawn(move || {
                let mut times = Vec::with_capacity(requests);
                for r in 0..requests {
                    let path = target(c, r);
                    let t = Instant::now();
                    let reply = request(addr, "GET", &path, &[], b"");
                    times.push(t.elapsed());
                    assert_eq!(reply.status, 200, "{path}: {}", reply.text());
                    assert!(!reply.body.is_empty());
                }
                times
            })
        })
        .collect();
    let mut times: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("client"))
        .collect();
    let wall = started.elapsed();
    times.sort();
    (times, wall)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
