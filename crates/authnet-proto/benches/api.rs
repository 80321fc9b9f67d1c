//! CIM XML (and JSON) parse/encode throughput: `cargo bench -p authnet-proto --bench api`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/api_samples/mod.rs"]
mod api_samples;

use authnet_proto::api::{
    ApiRequest, ApiResponse, Format, Function, decode_request, decode_response, encode_request,
    encode_response,
};
use criterion::{Criterion, black_box, criterion_group, criterion_main};

fn pick_request(f: Function) -> ApiRequest {
    api_samples::requests()
        .into_iter()
        .find(|r| r.function() == f)
        .unwrap()
}

fn pick_response(f: Function) -> ApiResponse {
    api_samples::responses()
        .into_iter()
        .find(|r| r.function() == Some(f))
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let create = pick_request(Function::CreateCustomerProfile);
    let profile_txn = pick_request(Function::CreateCustomerProfileTransaction);
    let get = pick_response(Function::GetCustomerProfile);
    for (name, request) in [
        ("createCustomerProfileRequest", &create),
        ("createCustomerProfileTransactionRequest", &profile_txn),
    ] {
        for format in [Format::Xml, Format::Json] {
            let bytes = encode_request(request, format);
            c.bench_function(
                &format!("decode {name} {format:?} ({} B)", bytes.len()),
                |b| b.iter(|| decode_request(black_box(&bytes), format).unwrap()),
            );
            c.bench_function(&format!("encode {name} {format:?}"), |b| {
                b.iter(|| encode_request(black_box(request), format))
            });
        }
    }
    for format in [Format::Xml, Format::Json] {
        let bytes = encode_response(&get, format);
        c.bench_function(
            &format!(
                "decode getCustomerProfileResponse {format:?} ({} B)",
                bytes.len()
            ),
            |b| {
                b.iter(|| {
                    decode_response(black_box(&bytes), format, Function::GetCustomerProfile)
                        .unwrap()
                })
            },
        );
        c.bench_function(
            &format!("encode getCustomerProfileResponse {format:?}"),
            |b| b.iter(|| encode_response(black_box(&get), format)),
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
