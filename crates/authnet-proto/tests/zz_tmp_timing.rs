#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod api_samples;
use authnet_proto::api::*;
#[test]
fn timing() {
    let req = api_samples::requests().into_iter().next().unwrap();
    let xml = encode_request(&req, Format::Xml);
    let s = String::from_utf8(xml.clone()).unwrap().replace("createCustomerProfileRequest", "fooRequest");
    let n = 20000;
    let t = std::time::Instant::now();
    for _ in 0..n { let _ = decode_request(s.as_bytes(), Format::Xml); }
    let parse = t.elapsed() / n;
    let t = std::time::Instant::now();
    for _ in 0..n { let _ = decode_request(&xml, Format::Xml); }
    let full = t.elapsed() / n;
    let t = std::time::Instant::now();
    for _ in 0..n {
        let mut r = quick_xml::Reader::from_reader(xml.as_slice());
        loop { match r.read_event() { Ok(quick_xml::events::Event::Eof) | Err(_) => break, _ => {} } }
    }
    let raw = t.elapsed() / n;
    println!("raw quick-xml {raw:?} parse-to-tree {parse:?} full {full:?}");
}
