//! What a failed Discord request means to crier: one reading of serenity's errors, shared by the
//! start-up check, the sink, the Events-tab sync and the command registration, so that each decides
//! from the same classes whether to try again later, report a missing permission, or give up.

use serenity::all::ChannelId;

use crate::app::sink::SinkError;

/// A failed request, as crier tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// No answer (a timeout, a connection error): Discord may be back soon.
    Unreachable,
    /// 429: rate limited; the same request may pass later.
    RateLimited,
    /// 5xx: Discord's own trouble; the same request may pass later.
    ServerError(u16),
    /// 401: the token is not accepted.
    Unauthorized,
    /// 403: the bot lacks a permission (or the invitation a scope).
    PermissionMissing,
    /// 404: no such channel, message or scheduled event, or the bot cannot see it.
    NotFound,
    /// Any other refusal (400 and the like): sending the same again changes nothing.
    Refused(u16),
}

impl Class {
    /// The class of a failed request.
    pub fn of(error: &serenity::Error) -> Class {
        Class::of_status(status_of(error))
    }

    /// The class of a failed request by the HTTP status Discord answered with (`None`: no answer).
    fn of_status(status: Option<u16>) -> Class {
        let Some(status) = status else {
            return Class::Unreachable;
        };
        match status {
            429 => Class::RateLimited,
            500.. => Class::ServerError(status),
            401 => Class::Unauthorized,
            403 => Class::PermissionMissing,
            404 => Class::NotFound,
            _ => Class::Refused(status),
        }
    }

    /// Whether the same request may succeed if sent again later.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            Class::Unreachable | Class::RateLimited | Class::ServerError(_)
        )
    }
}

/// The HTTP status of a failed request, if Discord answered.
fn status_of(error: &serenity::Error) -> Option<u16> {
    match error {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response)) => {
            Some(response.status_code.as_u16())
        }
        _ => None,
    }
}

/// Discord's JSON error code of a refused request (`30038`: a guild's limit reached, ...), if
/// Discord answered with one.
pub fn code(error: &serenity::Error) -> Option<isize> {
    match error {
        serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(response)) => {
            Some(response.error.code)
        }
        _ => None,
    }
}

/// A failed post to `channel`, for the announcer: retried later, or fatal with what to fix.
pub fn sink_error(error: serenity::Error, channel: ChannelId) -> SinkError {
    match Class::of(&error) {
        Class::RateLimited => SinkError::Retry(format!("rate limited by Discord: {error}")),
        Class::ServerError(status) => SinkError::Retry(format!("Discord error {status}: {error}")),
        Class::PermissionMissing => SinkError::Fatal(format!(
            "Discord refused the post (403): the bot lacks View Channel, Send Messages or Embed Links in channel {channel}: {error}"
        )),
        Class::NotFound => SinkError::Fatal(format!(
            "channel {channel} not found (404): check `discord.channel_id` and the routes' `channel_id`: {error}"
        )),
        Class::Unauthorized => SinkError::Fatal(format!("Discord refused the message (401): {error}")),
        Class::Refused(status) => SinkError::Fatal(format!("Discord refused the message ({status}): {error}")),
        // Timeouts and connection errors: Discord may be back soon.
        Class::Unreachable => SinkError::Retry(format!("cannot reach Discord: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_told_apart_by_status() {
        let cases = [
            (None, Class::Unreachable, true),
            (Some(429), Class::RateLimited, true),
            (Some(500), Class::ServerError(500), true),
            (Some(503), Class::ServerError(503), true),
            (Some(401), Class::Unauthorized, false),
            (Some(403), Class::PermissionMissing, false),
            (Some(404), Class::NotFound, false),
            (Some(400), Class::Refused(400), false),
            (Some(413), Class::Refused(413), false),
        ];
        for (status, class, retryable) in cases {
            assert_eq!(Class::of_status(status), class, "{status:?}");
            assert_eq!(class.is_retryable(), retryable, "{class:?}");
        }
    }

    #[test]
    fn a_request_that_got_no_answer_is_unreachable_and_has_no_code() {
        let error = serenity::Error::Other("connection reset");
        assert_eq!(Class::of(&error), Class::Unreachable);
        assert_eq!(code(&error), None);
        let SinkError::Retry(text) = sink_error(error, ChannelId::new(1)) else {
            panic!("retried");
        };
        assert_eq!(text, "cannot reach Discord: connection reset");
    }
}
