//! One error type for every handler; the mapping to status and body is here.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use checkout_api::{ErrorBody, ErrorDetail, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing or wrong credentials (merchant secret or client token).
    #[error("{message}")]
    Unauthorized {
        code: &'static str,
        message: &'static str,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request body is not what the route takes (malformed JSON, wrong types).
    #[error("{0}")]
    BadRequest(String),
    /// Field-level validation failed; nothing was changed.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The request conflicts with the resource's state.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// The session (or its client token) has expired.
    #[error("this checkout session has expired")]
    Expired,
    /// Card-testing defence: no gateway call was made.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    /// The gateway refused an operation or could not be reached.
    #[error("{message}")]
    Gateway { code: &'static str, message: String },
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an infrastructure failure; details are logged, not returned.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn field(field: &str, code: &str, message: &str) -> AppError {
        AppError::Validation(vec![FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.to_owned(),
        }])
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Expired => StatusCode::GONE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Gateway { .. } => StatusCode::BAD_GATEWAY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (code, message, fields): (&str, String, Vec<FieldError>) = match self {
            AppError::Unauthorized { code, message } => (code, (*message).to_owned(), vec![]),
            AppError::NotFound(what) => ("not_found", format!("{what} not found"), vec![]),
            AppError::BadRequest(m) => ("bad_request", m.clone(), vec![]),
            AppError::Validation(fields) => (
                "validation_failed",
                "Some fields are not valid; see `fields`.".to_owned(),
                fields.clone(),
            ),
            AppError::Conflict { code, message } => (code, message.clone(), vec![]),
            AppError::Expired => (
                "session_expired",
                "This checkout session has expired. Please start again.".to_owned(),
                vec![],
            ),
            AppError::RateLimited { message, .. } => ("rate_limited", message.clone(), vec![]),
            AppError::Gateway { code, message } => (code, message.clone(), vec![]),
            AppError::Unavailable(m) => ("unavailable", m.clone(), vec![]),
            AppError::Internal(_) => (
                "internal_error",
                "Something went wrong on our side. Please try again.".to_owned(),
                vec![],
            ),
        };
        ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message,
                fields,
            },
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(format!("database: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(error = %detail, "internal error");
        }
        let status = self.status();
        let mut resp = (status, axum::Json(self.body())).into_response();
        if let AppError::RateLimited {
            retry_after_secs, ..
        } = &self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

/// Replaces every run of 4 or more digits with `****`, so that an error text
/// derived from input (e.g. a JSON type error) can never echo card digits.
pub fn scrub_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut out, &mut run);
            out.push(c);
        }
    }
    flush(&mut out, &mut run);
    out
}

fn flush(out: &mut String, run: &mut String) {
    if run.len() >= 4 {
        out.push_str("****");
    } else {
        out.push_str(run);
    }
    run.clear();
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn scrub_masks_long_digit_runs() {
        assert_eq!(
            scrub_digits("invalid type: integer `4111111111111111` at line 1 column 20"),
            "invalid type: integer `****` at line 1 column 20"
        );
    }
}
