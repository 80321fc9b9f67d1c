//! No byte string makes an XML API decoder panic; every sample survives
//! arbitrary truncation and byte flips without a panic. (Case counts are
//! modest here; `PROPTEST_CASES` raises them for a long run.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api_samples;

use authnet_proto::api::*;
use proptest::prelude::*;

fn decode_everything(bytes: &[u8]) {
    let _ = decode_request(bytes, Format::Xml);
    let _ = decode_request(bytes, Format::Json);
    for f in Function::ALL {
        let _ = decode_response(bytes, Format::Xml, *f);
        let _ = decode_response(bytes, Format::Json, *f);
    }
    let _ = Format::from_content_type(None, bytes);
}

/// 512 by default; `PROPTEST_CASES=100000` for a long run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

fn corpus() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for r in api_samples::requests() {
        v.push(encode_request(&r, Format::Xml));
        v.push(encode_request(&r, Format::Json));
    }
    for r in api_samples::responses() {
        v.push(encode_response(&r, Format::Xml));
        v.push(encode_response(&r, Format::Json));
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_everything(&bytes);
    }

    #[test]
    fn arbitrary_xmlish_text_never_panics(s in "[<>/a-zA-Z0-9=\"' &;#x!?\\[\\]{}:,-]{0,300}") {
        decode_everything(s.as_bytes());
    }

    #[test]
    fn mutated_valid_documents_never_panic(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
    ) {
        let corpus = corpus();
        let mut doc = pick.get(&corpus).clone();
        for (at, byte) in flips {
            let i = at.index(doc.len());
            doc[i] = byte;
        }
        let len = cut.index(doc.len() + 1);
        doc.truncate(len);
        decode_everything(&doc);
    }
}

/// The long run: `cargo test -p authnet-proto --test api_props -- --ignored`
/// (300 000 arbitrary byte strings, each through every decoder; ~10 s with
/// `--release`).
#[test]
#[ignore = "slow: high case count"]
fn slow_arbitrary_bytes_never_panic() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 300_000,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..2048), |bytes| {
            decode_everything(&bytes);
            Ok(())
        })
        .unwrap();
}
