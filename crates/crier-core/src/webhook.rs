//! Push webhooks (`POST /hooks/git`): checks a delivery's signature and says what it asks for.
//!
//! Pure: headers, body and the secret's text in, a [`Delivery`] or a [`Refusal`] out; `http` does the I/O.
//! GitHub, Gitea and Forgejo sign the body with HMAC-SHA-256 (`X-Hub-Signature-256: sha256=<hex>`;
//! Gitea and Forgejo also send the bare hex as `X-Gitea-Signature` / `X-Forgejo-Signature`). GitLab
//! sends the secret itself as `X-Gitlab-Token`. Both comparisons take the same time whatever the
//! input: HMAC's `verify_slice` compares in constant time, and the GitLab token is compared as
//! SHA-256 digests with `subtle`, so neither its bytes nor its length leak through timing.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The largest body read; GitHub caps its payloads at 25 MB, but a push to a site is a few KB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What a verified delivery asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// A push to `reference` (`refs/heads/main`, `refs/tags/v1`).
    Push { reference: String },
    /// GitHub's `ping` when a hook is created (and a test delivery of any other event).
    Ping,
    /// Another event (issues, stars): nothing to do.
    Other { event: String },
}

/// Why a delivery is refused with 401.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("no signature: X-Hub-Signature-256 (GitHub, Gitea, Forgejo) or X-Gitlab-Token (GitLab) is missing")]
    Missing,
    #[error("the signature does not match the body signed with the configured secret")]
    Mismatch,
    #[error("the signature is not of the form `sha256=<64 hex digits>`")]
    Malformed,
}

/// Checks the delivery's signature with `secret`, then reads which event it is. `header` looks up a
/// request header by lower-case name.
pub fn verify<'a>(
    header: impl Fn(&str) -> Option<&'a str>,
    body: &[u8],
    secret: &str,
) -> Result<Delivery, Refusal> {
    if let Some(signature) = header("x-hub-signature-256") {
        let hex_digest = signature
            .trim()
            .strip_prefix("sha256=")
            .ok_or(Refusal::Malformed)?;
        check_hmac(hex_digest, body, secret)?;
    } else if let Some(signature) = header("x-gitea-signature").or(header("x-forgejo-signature")) {
        check_hmac(signature.trim(), body, secret)?;
    } else if let Some(token) = header("x-gitlab-token") {
        let given = Sha256::digest(token.as_bytes());
        let ours = Sha256::digest(secret.as_bytes());
        if !bool::from(given.ct_eq(&ours)) {
            return Err(Refusal::Mismatch);
        }
    } else {
        return Err(Refusal::Missing);
    }
    let event = [
        "x-github-event",
        "x-gitea-event",
        "x-forgejo-event",
        "x-gitlab-event",
    ]
    .into_iter()
    .find_map(&header)
    .unwrap_or("push")
    .trim();
    Ok(match event {
        "push" | "Push Hook" => match push_ref(header("content-type"), body) {
            Some(reference) => Delivery::Push { reference },
            None => Delivery::Other {
                event: format!("{event} without a `ref`"),
            },
        },
        "ping" => Delivery::Ping,
        other => Delivery::Other {
            event: other.to_string(),
        },
    })
}

fn check_hmac(hex_digest: &str, body: &[u8], secret: &str) -> Result<(), Refusal> {
    let expected = hex::decode(hex_digest).map_err(|_| Refusal::Malformed)?;
    if expected.len() != 32 {
        return Err(Refusal::Malformed);
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| Refusal::Mismatch)?;
    mac.update(body);
    mac.verify_slice(&expected).map_err(|_| Refusal::Mismatch)
}

/// The pushed `ref`, from a JSON body or GitHub's form encoding (`payload=<json>`).
fn push_ref(content_type: Option<&str>, body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Push {
        #[serde(rename = "ref")]
        reference: String,
    }
    let form = content_type.is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let json = if form {
        url::form_urlencoded::parse(body)
            .find(|(key, _)| key == "payload")
            .map(|(_, value)| value.into_owned().into_bytes())?
    } else {
        body.to_vec()
    };
    serde_json::from_slice::<Push>(&json)
        .ok()
        .map(|p| p.reference)
}

/// `X-Hub-Signature-256` for `body`, as GitHub computes it (the tests sign their deliveries with it).
pub fn sign(body: &[u8], secret: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"ref":"refs/heads/main","after":"0123"}"#;

    fn secret() -> &'static str {
        "It's a Secret to Everybody"
    }

    fn headers<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }

    #[test]
    fn github_signature_matches_githubs_documented_example() {
        // From GitHub's "Validating webhook deliveries": secret, payload and signature.
        let signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert_eq!(sign(b"Hello, World!", secret()), signature);
        let pairs = [
            ("x-hub-signature-256", signature),
            ("x-github-event", "ping"),
        ];
        assert_eq!(
            verify(headers(&pairs), b"Hello, World!", secret()),
            Ok(Delivery::Ping)
        );
    }

    #[test]
    fn a_signed_push_names_its_ref() {
        let signature = sign(BODY, secret());
        let pairs = [
            ("x-hub-signature-256", signature.as_str()),
            ("x-github-event", "push"),
        ];
        assert_eq!(
            verify(headers(&pairs), BODY, secret()),
            Ok(Delivery::Push {
                reference: "refs/heads/main".into()
            })
        );
    }

    #[test]
    fn bad_missing_and_malformed_signatures_are_refused() {
        let other = sign(BODY, "another secret");
        let cases: [(&[(&str, &str)], Refusal); 5] = [
            (
                &[("x-hub-signature-256", other.as_str())],
                Refusal::Mismatch,
            ),
            (&[], Refusal::Missing),
            (&[("x-hub-signature-256", "sha1=abcd")], Refusal::Malformed),
            (&[("x-hub-signature-256", "sha256=zz")], Refusal::Malformed),
            (&[("x-gitlab-token", "It's a Secret")], Refusal::Mismatch),
        ];
        for (pairs, refusal) in cases {
            assert_eq!(
                verify(headers(pairs), BODY, secret()),
                Err(refusal),
                "{pairs:?}"
            );
        }
        // The body is what is signed: the same signature on another body fails.
        let signature = sign(BODY, secret());
        let pairs = [("x-hub-signature-256", signature.as_str())];
        assert_eq!(
            verify(headers(&pairs), br#"{"ref":"refs/heads/evil"}"#, secret()),
            Err(Refusal::Mismatch)
        );
    }

    #[test]
    fn gitlab_gitea_and_forgejo_deliveries() {
        let gitlab = [
            ("x-gitlab-token", "It's a Secret to Everybody"),
            ("x-gitlab-event", "Push Hook"),
        ];
        assert!(matches!(
            verify(headers(&gitlab), BODY, secret()),
            Ok(Delivery::Push { .. })
        ));
        let hex_only = sign(BODY, secret()).replace("sha256=", "");
        for header in ["x-gitea-signature", "x-forgejo-signature"] {
            let pairs = [(header, hex_only.as_str()), ("x-gitea-event", "push")];
            assert!(
                matches!(
                    verify(headers(&pairs), BODY, secret()),
                    Ok(Delivery::Push { .. })
                ),
                "{header}"
            );
        }
    }

    #[test]
    fn other_events_and_form_encoded_pushes() {
        let signature = sign(b"{}", secret());
        let pairs = [
            ("x-hub-signature-256", signature.as_str()),
            ("x-github-event", "star"),
        ];
        assert_eq!(
            verify(headers(&pairs), b"{}", secret()),
            Ok(Delivery::Other {
                event: "star".into()
            })
        );
        let form = b"payload=%7B%22ref%22%3A%22refs%2Fheads%2Fgh-pages%22%7D";
        let signature = sign(form, secret());
        let pairs = [
            ("x-hub-signature-256", signature.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
        ];
        assert_eq!(
            verify(headers(&pairs), form, secret()),
            Ok(Delivery::Push {
                reference: "refs/heads/gh-pages".into()
            })
        );
    }
}
