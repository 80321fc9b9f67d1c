//! XML/JSON request.api handler (being written).
