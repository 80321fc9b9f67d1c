//! Full card-form validation throughput (native only; criterion does not run on wasm).

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use checkout_domain::{
        AddressRequirements, BillingInput, CardForm, CardFormPolicy, YearMonth, check_card_number,
        format_card_number, validate_card_form,
    };
    use criterion::{Criterion, Throughput};

    const TODAY: YearMonth = YearMonth {
        year: 2026,
        month: 11,
    };

    fn form(number: &str, expiry: &str, code: &str) -> CardForm {
        CardForm {
            number: number.into(),
            expiry: expiry.into(),
            card_code: code.into(),
            billing: BillingInput {
                first_name: "Jane".into(),
                last_name: "Doe".into(),
                address: "123 Main St".into(),
                city: "Bellevue".into(),
                state: "WA".into(),
                zip: "98004".into(),
                country: "US".into(),
                email: "jane@example.com".into(),
                ..BillingInput::default()
            },
        }
    }

    pub fn benches(c: &mut Criterion) {
        let policy = CardFormPolicy {
            address: AddressRequirements {
                require_address: true,
                require_zip: true,
                require_name: true,
            },
            ..CardFormPolicy::default()
        };
        let forms = [
            form("4111 1111 1111 1111", "12/27", "123"),
            form("3700 000000 00002", "03/2030", "1234"),
            form("4007000000027", "1228", "900"),
            form("6011-0000-0000-0012", "12 / 29", "123"),
        ];
        // One validation per iteration (cycling through the brands), so "time per
        // iteration" is the cost of one full card-form validation.
        let mut group = c.benchmark_group("validation");
        group.throughput(Throughput::Elements(1));
        let mut i = 0usize;
        group.bench_function("validate_card_form", |b| {
            b.iter(|| {
                i = (i + 1) % forms.len();
                black_box(validate_card_form(black_box(&forms[i]), &policy, TODAY).is_ok())
            })
        });
        group.bench_function("check_card_number", |b| {
            b.iter(|| {
                i = (i + 1) % forms.len();
                black_box(check_card_number(black_box(&forms[i].number)))
            })
        });
        group.bench_function("format_card_number", |b| {
            b.iter(|| {
                i = (i + 1) % forms.len();
                black_box(format_card_number(black_box(&forms[i].number), 7))
            })
        });
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::benches);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
