//! Offline Authorize.Net gateway emulator (being written).
pub mod xml_api;
