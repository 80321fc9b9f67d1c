//! AIM response parse / encode and request encode, ns per operation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use authnet_proto::aim::{AimResponse, classify};
use criterion::{Criterion, criterion_group, criterion_main};

const APPROVED: &str = "1|1|1|This transaction has been approved.|Q7T2ZK|Y|2170001234|INV-1001|Widgets|19.99|CC|auth_capture|C-55|Ann|Lee||1 Main St|Portland|OR|97201|US|||||||||||||||FALSE||8AF8B519A22207FA9A503B4067341712||2|||||||||||XXXX1111|Visa|||||||||||||||||A-17";

fn bench(c: &mut Criterion) {
    let plain = APPROVED.as_bytes();
    let parsed = AimResponse::parse(plain, b'|', None).unwrap();
    let encapsulated = parsed.encode(b',', Some(b'"'));
    c.bench_function("aim_response_parse_pipe", |b| {
        b.iter(|| AimResponse::parse(black_box(plain), b'|', None))
    });
    c.bench_function("aim_response_parse_encapsulated", |b| {
        b.iter(|| AimResponse::parse(black_box(encapsulated.as_bytes()), b',', Some(b'"')))
    });
    c.bench_function("aim_response_encode", |b| {
        b.iter(|| black_box(&parsed).encode(b'|', Some(b'"')))
    });
    c.bench_function("aim_classify", |b| b.iter(|| classify(black_box(&parsed))));
    let form = b"x_login=anet-test&x_tran_key=SandboxKey123456&x_version=3.1&x_type=AUTH_CAPTURE&x_amount=19.99&x_card_num=4111111111111111&x_exp_date=1230&x_invoice_num=INV-1&x_zip=97201&x_delim_data=TRUE&x_delim_char=%7C&x_relay_response=FALSE";
    c.bench_function("aim_form_decode", |b| {
        b.iter(|| authnet_proto::aim::decode_form(black_box(form)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
