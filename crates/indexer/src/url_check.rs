//! Which article urls may become links.

/// Why a url was refused, phrased for the build report.
pub fn check_url(url: &str) -> Result<(), String> {
    if is_allowed(url) {
        Ok(())
    } else {
        Err(format!("url {url:?}: only site-relative paths (\"/...\") and http(s) URLs are allowed"))
    }
}

/// Site-relative paths (`/…` but not protocol-relative `//host`) and
/// absolute http(s) URLs with a host; no white space or control characters,
/// which browsers strip and so could smuggle a scheme past this check.
fn is_allowed(url: &str) -> bool {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    if let Some(path) = url.strip_prefix('/') {
        return !path.starts_with(['/', '\\']);
    }
    let lower = url.to_ascii_lowercase();
    ["http://", "https://"].iter().any(|scheme| {
        lower
            .strip_prefix(scheme)
            .is_some_and(|rest| rest.split(['/', '?', '#']).next().is_some_and(|host| !host.is_empty()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_and_http_urls_pass() {
        for ok in ["/ru/news/2023/04/18/slug", "/", "https://www.gazeta.uz/ru/2023/", "HTTP://mfa.uz"] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn script_schemes_and_protocol_relative_urls_fail() {
        for bad in [
            "javascript:alert(document.cookie)",
            "JavaScript:alert(1)",
            "data:text/html,<script>",
            "vbscript:msgbox",
            "//evil.example/x",
            "/\\evil.example",
            "https://",
            "java\tscript:alert(1)",
            "news/relative",
        ] {
            let err = check_url(bad).unwrap_err();
            assert!(err.contains("only site-relative paths"), "{bad}: {err}");
        }
    }
}
