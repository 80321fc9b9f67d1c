//! A fully populated sample of every request and response message, shared by
//! the round-trip tests, the property tests and the benchmark.
#![allow(dead_code)]

use authnet_proto::api::*;
use checkout_domain::Secret;
use rust_decimal_macros::dec;

pub fn id(n: u64) -> NumericString {
    NumericString::from(n)
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

pub fn auth() -> MerchantAuthentication {
    MerchantAuthentication {
        name: s("demo_login"),
        transaction_key: Some(Secret::new("0123456789ABCDEF".to_owned())),
    }
}

pub fn address(first: &str) -> CustomerAddress {
    CustomerAddress {
        first_name: s(first),
        last_name: s("Lee"),
        company: s("Acme & Sons <Ltd>"),
        address: s("1 Main St"),
        city: s("Portland"),
        state: s("OR"),
        zip: s("97201"),
        country: s("US"),
        phone_number: s("503-555-0100"),
        fax_number: s("503-555-0101"),
        email: s("ann@example.com"),
        customer_address_id: None,
    }
}

pub fn card_payment() -> Payment {
    Payment {
        credit_card: Some(CreditCard {
            card_number: SecretText::new("4111111111111111"),
            expiration_date: "2035-12".into(),
            card_code: Some(SecretText::new("123")),
        }),
        bank_account: None,
    }
}

pub fn bank_payment() -> Payment {
    Payment {
        credit_card: None,
        bank_account: Some(BankAccount {
            account_type: s("checking"),
            routing_number: SecretText::new("121042882"),
            account_number: SecretText::new("123456789"),
            name_on_account: "Ann Lee".into(),
            echeck_type: s("WEB"),
            bank_name: s("Bank of Test"),
            check_number: None,
        }),
    }
}

pub fn payment_profile(with_id: bool) -> PaymentProfile {
    PaymentProfile {
        customer_type: Some(CustomerType::Individual),
        bill_to: Some(address("Ann")),
        payment: Some(card_payment()),
        drivers_license: Some(DriversLicense {
            number: SecretText::new("D1234567"),
            state: "OR".into(),
            date_of_birth: "1980-01-31".into(),
        }),
        tax_id: Some(SecretText::new("123456789")),
        default_payment_profile: Some(true),
        customer_payment_profile_id: with_id.then(|| id(4000456)),
    }
}

pub fn masked_payment_profile() -> PaymentProfileMasked {
    PaymentProfileMasked {
        customer_type: Some(CustomerType::Business),
        bill_to: Some(address("Ann")),
        customer_profile_id: Some(id(5000123)),
        customer_payment_profile_id: id(4000456),
        default_payment_profile: Some(false),
        payment: Some(PaymentMasked {
            credit_card: Some(CreditCardMasked {
                card_number: "XXXX1111".into(),
                expiration_date: "XXXX".into(),
                card_type: s("Visa"),
            }),
            bank_account: None,
        }),
        drivers_license: Some(DriversLicenseMasked {
            number: "XXXX4567".into(),
            state: "OR".into(),
            date_of_birth: "XXXX".into(),
        }),
        tax_id: s("XXXX6789"),
    }
}

pub fn extended(amount: rust_decimal::Decimal, name: &str) -> ExtendedAmount {
    ExtendedAmount {
        amount,
        name: s(name),
        description: s("desc"),
    }
}

pub fn line_item(n: u32) -> LineItem {
    LineItem {
        item_id: format!("SKU-{n}"),
        name: "Widget".into(),
        description: s("A widget"),
        quantity: dec!(2),
        unit_price: dec!(4.99),
        taxable: Some(true),
    }
}

pub fn order() -> Order {
    Order {
        invoice_number: s("INV-1001"),
        description: s("Widgets"),
        purchase_order_number: s("PO-7"),
    }
}

pub fn trans_order(approval: bool) -> ProfileTransOrder {
    ProfileTransOrder {
        amount: dec!(12.50),
        tax: Some(extended(dec!(1.00), "tax")),
        shipping: Some(extended(dec!(2.0), "freight")),
        duty: Some(extended(dec!(0.5), "duty")),
        line_items: vec![line_item(1), line_item(2)],
        customer_profile_id: id(5000123),
        customer_payment_profile_id: id(4000456),
        customer_shipping_address_id: Some(id(3000789)),
        order: Some(order()),
        tax_exempt: Some(false),
        recurring_billing: Some(false),
        card_code: Some(SecretText::new("123")),
        split_tender_id: Some(id(11)),
        approval_code: approval.then(|| "ABC123".to_owned()),
    }
}

macro_rules! head {
    () => {
        (auth(), Some("sdk-test".to_owned()), Some("r-42".to_owned()))
    };
}

/// One sample request per function.
pub fn requests() -> Vec<ApiRequest> {
    let (a, c, r) = head!();
    let h = || (a.clone(), c.clone(), r.clone());
    let mut v: Vec<ApiRequest> = Vec::new();
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        CreateCustomerProfileRequest {
            merchant_authentication,
            client_id,
            ref_id,
            profile: CustomerProfile {
                merchant_customer_id: s("C-55"),
                description: s("Ann Lee"),
                email: s("ann@example.com"),
                payment_profiles: vec![
                    payment_profile(false),
                    PaymentProfile {
                        payment: Some(bank_payment()),
                        ..Default::default()
                    },
                ],
                ship_to_list: vec![address("Ann"), address("Bo")],
            },
            validation_mode: Some(ValidationMode::TestMode),
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        CreateCustomerPaymentProfileRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
            payment_profile: payment_profile(false),
            validation_mode: Some(ValidationMode::LiveMode),
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        CreateCustomerShippingAddressRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
            address: address("Ann"),
            default_shipping_address: Some(true),
        }
        .into(),
    );
    for t in [
        ProfileTransaction::AuthCapture(trans_order(false)),
        ProfileTransaction::AuthOnly(trans_order(false)),
        ProfileTransaction::CaptureOnly(trans_order(true)),
        ProfileTransaction::PriorAuthCapture(ProfileTransPriorAuthCapture {
            amount: dec!(10),
            tax: Some(extended(dec!(1), "t")),
            shipping: None,
            duty: None,
            line_items: vec![line_item(3)],
            customer_profile_id: Some(id(5000123)),
            customer_payment_profile_id: Some(id(4000456)),
            customer_shipping_address_id: None,
            trans_id: id(2170001234),
        }),
        ProfileTransaction::Refund(ProfileTransRefund {
            amount: dec!(12.50),
            tax: None,
            shipping: None,
            duty: None,
            line_items: vec![],
            customer_profile_id: Some(id(5000123)),
            customer_payment_profile_id: Some(id(4000456)),
            customer_shipping_address_id: Some(id(3000789)),
            credit_card_number_masked: s("XXXX1111"),
            bank_routing_number_masked: None,
            bank_account_number_masked: None,
            order: Some(order()),
            trans_id: Some(id(2170001234)),
        }),
        ProfileTransaction::Void(ProfileTransVoid {
            customer_profile_id: Some(id(5000123)),
            customer_payment_profile_id: Some(id(4000456)),
            customer_shipping_address_id: None,
            trans_id: id(2170001234),
        }),
    ] {
        let (merchant_authentication, client_id, ref_id) = h();
        v.push(
            CreateCustomerProfileTransactionRequest {
                merchant_authentication,
                client_id,
                ref_id,
                transaction: t,
                extra_options: s("x_customer_ip=10.0.0.1&x_duplicate_window=0"),
            }
            .into(),
        );
    }
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        DeleteCustomerProfileRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        DeleteCustomerPaymentProfileRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
            customer_payment_profile_id: id(4000456),
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        DeleteCustomerShippingAddressRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
            customer_address_id: id(3000789),
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        GetCustomerProfileIdsRequest {
            merchant_authentication,
            client_id,
            ref_id,
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        GetCustomerProfileRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: Some(id(5000123)),
            merchant_customer_id: None,
            email: None,
            unmask_expiration_date: Some(false),
            include_issuer_info: None,
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        GetCustomerPaymentProfileRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
            customer_payment_profile_id: id(4000456),
            unmask_expiration_date: None,
            include_issuer_info: None,
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        GetCustomerShippingAddressRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
            customer_address_id: id(3000789),
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        UpdateCustomerProfileRequest {
            merchant_authentication,
            client_id,
            ref_id,
            profile: CustomerProfileEx {
                merchant_customer_id: s("C-55"),
                description: s("Ann Lee"),
                email: s("ann@example.com"),
                customer_profile_id: id(5000123),
            },
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    let mut masked_update = payment_profile(true);
    masked_update.payment = Some(Payment {
        credit_card: Some(CreditCard {
            card_number: SecretText::new("XXXX1111"),
            expiration_date: "XXXX".into(),
            card_code: None,
        }),
        bank_account: None,
    });
    v.push(
        UpdateCustomerPaymentProfileRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
            payment_profile: masked_update,
            validation_mode: Some(ValidationMode::None),
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    let mut with_id = address("Ann");
    with_id.customer_address_id = Some(id(3000789));
    v.push(
        UpdateCustomerShippingAddressRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
            address: with_id,
            default_shipping_address: Some(false),
        }
        .into(),
    );
    let (merchant_authentication, client_id, ref_id) = h();
    v.push(
        ValidateCustomerPaymentProfileRequest {
            merchant_authentication,
            client_id,
            ref_id,
            customer_profile_id: id(5000123),
            customer_payment_profile_id: id(4000456),
            customer_shipping_address_id: Some(id(3000789)),
            card_code: Some(SecretText::new("123")),
            validation_mode: ValidationMode::LiveMode,
        }
        .into(),
    );
    for (kind, by_profile) in [
        (TransactionType::AuthCapture, false),
        (TransactionType::AuthOnly, true),
        (TransactionType::PriorAuthCapture, false),
        (TransactionType::Refund, false),
        (TransactionType::Void, false),
    ] {
        let (merchant_authentication, client_id, ref_id) = h();
        let follow_on = matches!(
            kind,
            TransactionType::PriorAuthCapture | TransactionType::Refund | TransactionType::Void
        );
        v.push(
            CreateTransactionRequest {
                merchant_authentication,
                client_id,
                ref_id,
                transaction_request: TransactionRequest {
                    transaction_type: kind,
                    amount: (kind != TransactionType::Void).then_some(dec!(19.99)),
                    payment: (!by_profile).then(card_payment),
                    profile: by_profile.then(|| ProfilePayment {
                        create_profile: None,
                        customer_profile_id: Some(id(5000123)),
                        payment_profile: Some(PaymentProfileRef {
                            payment_profile_id: id(4000456),
                            card_code: Some(SecretText::new("999")),
                        }),
                        shipping_profile_id: Some(id(3000789)),
                    }),
                    auth_code: None,
                    ref_trans_id: follow_on.then(|| "2170001234".to_owned()),
                    split_tender_id: None,
                    order: Some(order()),
                    line_items: vec![line_item(1), line_item(2)],
                    tax: Some(extended(dec!(1.50), "tax")),
                    duty: Some(extended(dec!(0), "duty")),
                    shipping: Some(extended(dec!(4.25), "ship")),
                    tax_exempt: Some(false),
                    po_number: s("PO-7"),
                    customer: Some(CustomerData {
                        customer_type: s("individual"),
                        id: s("C-55"),
                        email: s("ann@example.com"),
                    }),
                    bill_to: Some(address("Ann")),
                    ship_to: Some(CustomerAddress {
                        phone_number: None,
                        fax_number: None,
                        email: None,
                        ..address("Bo")
                    }),
                    customer_ip: s("192.0.2.7"),
                    transaction_settings: vec![Setting {
                        setting_name: s("duplicateWindow"),
                        setting_value: s("0"),
                    }],
                    user_fields: vec![UserField {
                        name: s("favorite_color"),
                        value: s("blue"),
                    }],
                },
            }
            .into(),
        );
    }
    v.push(
        GetUnsettledTransactionListRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: s("r-unsettled"),
            status: Some(TransactionGroupStatus::Any),
            sorting: Some(TransactionListSorting {
                order_by: TransactionListOrderField::SubmitTimeUtc,
                order_descending: true,
            }),
            paging: Some(Paging {
                limit: 100,
                offset: 1,
            }),
        }
        .into(),
    );
    v.push(
        GetTransactionDetailsRequest {
            merchant_authentication: auth(),
            client_id: None,
            ref_id: None,
            trans_id: id(2170001234),
        }
        .into(),
    );
    v
}

/// A `transactionSummaryType` row.
pub fn summary(trans_id: u64, status: &str, invoice: Option<&str>) -> TransactionSummary {
    TransactionSummary {
        trans_id: id(trans_id),
        submit_time_utc: "2026-11-27T21:22:08Z".into(),
        submit_time_local: "2026-11-27T14:22:08".into(),
        transaction_status: status.into(),
        invoice_number: invoice.map(str::to_owned),
        first_name: s("Ann"),
        last_name: s("Lee"),
        account_type: "Visa".into(),
        account_number: "XXXX1111".into(),
        settle_amount: dec!(12.50),
        market_type: s("eCommerce"),
        product: s("Card Not Present"),
        mobile_device_id: None,
    }
}

/// A fully populated `transactionDetailsType`.
pub fn details() -> TransactionDetails {
    TransactionDetails {
        trans_id: id(2170001235),
        ref_trans_id: Some(id(2170001234)),
        split_tender_id: None,
        submit_time_utc: "2026-11-27T21:22:08Z".into(),
        submit_time_local: "2026-11-27T14:22:08".into(),
        transaction_type: "refundTransaction".into(),
        transaction_status: status::REFUND_SETTLED_SUCCESSFULLY.into(),
        response_code: 1,
        response_reason_code: 1,
        response_reason_description: "Approval".into(),
        auth_code: s("Q7T2ZK"),
        avs_response: s("P"),
        card_code_response: s("M"),
        cavv_response: s("2"),
        fds_filter_action: None,
        batch: Some(BatchDetails {
            batch_id: id(1000001),
            settlement_time_utc: s("2026-11-28T03:00:00Z"),
            settlement_time_local: s("2026-11-27T20:00:00"),
            settlement_state: "settledSuccessfully".into(),
            payment_method: s("creditCard"),
            market_type: s("eCommerce"),
            product: s("Card Not Present"),
        }),
        order: Some(order()),
        requested_amount: Some(dec!(12.50)),
        auth_amount: dec!(12.50),
        settle_amount: dec!(12.50),
        tax: Some(extended(dec!(1.00), "tax")),
        shipping: Some(extended(dec!(2.00), "ship")),
        duty: None,
        line_items: vec![line_item(1), line_item(2)],
        prepaid_balance_remaining: None,
        tax_exempt: Some(false),
        payment: PaymentMasked {
            credit_card: Some(CreditCardMasked {
                card_number: "XXXX1111".into(),
                expiration_date: "XXXX".into(),
                card_type: s("Visa"),
            }),
            bank_account: None,
        },
        customer: Some(CustomerData {
            customer_type: s("individual"),
            id: s("C-55"),
            email: s("ann@example.com"),
        }),
        bill_to: Some(address("Ann")),
        ship_to: Some(NameAndAddress {
            first_name: s("Bo"),
            last_name: s("Lee"),
            company: None,
            address: s("9 Dock Rd"),
            city: s("Portland"),
            state: s("OR"),
            zip: s("97201"),
            country: s("US"),
        }),
        recurring_billing: Some(false),
        customer_ip: s("203.0.113.9"),
        product: s("Card Not Present"),
        entry_mode: None,
        market_type: s("eCommerce"),
        mobile_device_id: None,
        customer_signature: None,
        profile: Some(CustomerProfileIds {
            customer_profile_id: id(5000123),
            customer_payment_profile_id: Some(id(4000456)),
            customer_address_id: None,
        }),
        network_trans_id: s("123456789NNNH"),
        original_network_trans_id: None,
        original_auth_amount: None,
        authorization_indicator: None,
    }
}

pub fn ok() -> Messages {
    Messages::ok()
}

pub const DIRECT: &str = "1,1,1,This transaction has been approved.,Q7T2ZK,Y,2170001234,INV-1001,,12.50,CC,auth_capture,C-55,Ann,Lee,,1 Main St,Portland,OR,97201,US,,,ann@example.com,,,,,,,,,,,,,,,M,2,,,,,,,,,,,XXXX1111,Visa,,,,,,,,,,,,,,,,,3000789";

/// One sample response per function (and an `ErrorResponse`).
pub fn responses() -> Vec<ApiResponse> {
    let r = || Some("r-42".to_owned());
    let mut profile = CustomerProfileMasked {
        merchant_customer_id: s("C-55"),
        description: s("Ann Lee"),
        email: s("ann@example.com"),
        customer_profile_id: Some(id(5000123)),
        payment_profiles: vec![masked_payment_profile(), masked_payment_profile()],
        ship_to_list: vec![],
    };
    let mut ship = address("Ann");
    ship.customer_address_id = Some(id(3000789));
    profile.ship_to_list.push(ship.clone());
    vec![
        CreateCustomerProfileResponse {
            ref_id: r(),
            messages: ok(),
            customer_profile_id: Some(id(5000123)),
            customer_payment_profile_id_list: vec![id(4000456), id(4000457)],
            customer_shipping_address_id_list: vec![],
            validation_direct_response_list: vec![DIRECT.into(), DIRECT.into()],
        }
        .into(),
        CreateCustomerProfileResponse {
            ref_id: None,
            messages: Messages::error(
                "E00039",
                "A duplicate record with ID 5000123 already exists.",
            ),
            ..Default::default()
        }
        .into(),
        CreateCustomerPaymentProfileResponse {
            ref_id: r(),
            messages: ok(),
            customer_profile_id: Some(id(5000123)),
            customer_payment_profile_id: Some(id(4000456)),
            validation_direct_response: Some(DIRECT.into()),
        }
        .into(),
        CreateCustomerShippingAddressResponse {
            ref_id: r(),
            messages: ok(),
            customer_profile_id: Some(id(5000123)),
            customer_address_id: Some(id(3000789)),
        }
        .into(),
        CreateCustomerProfileTransactionResponse {
            ref_id: r(),
            messages: ok(),
            transaction_response: None,
            direct_response: Some(DIRECT.into()),
        }
        .into(),
        DeleteCustomerProfileResponse {
            ref_id: r(),
            messages: ok(),
        }
        .into(),
        DeleteCustomerPaymentProfileResponse {
            ref_id: r(),
            messages: ok(),
        }
        .into(),
        DeleteCustomerShippingAddressResponse {
            ref_id: r(),
            messages: ok(),
        }
        .into(),
        GetCustomerProfileIdsResponse {
            ref_id: r(),
            messages: ok(),
            ids: vec![id(1), id(2), id(3)],
        }
        .into(),
        GetCustomerProfileIdsResponse {
            ref_id: None,
            messages: ok(),
            ids: vec![],
        }
        .into(),
        GetCustomerProfileResponse {
            ref_id: r(),
            messages: ok(),
            profile: Some(profile),
            subscription_ids: vec![id(9)],
        }
        .into(),
        GetCustomerPaymentProfileResponse {
            ref_id: r(),
            messages: ok(),
            payment_profile: Some(masked_payment_profile()),
        }
        .into(),
        GetCustomerShippingAddressResponse {
            ref_id: r(),
            messages: ok(),
            default_shipping_address: Some(true),
            address: Some(ship),
            subscription_ids: vec![],
        }
        .into(),
        UpdateCustomerProfileResponse {
            ref_id: r(),
            messages: ok(),
        }
        .into(),
        UpdateCustomerPaymentProfileResponse {
            ref_id: r(),
            messages: ok(),
            validation_direct_response: Some(DIRECT.into()),
        }
        .into(),
        UpdateCustomerShippingAddressResponse {
            ref_id: r(),
            messages: ok(),
        }
        .into(),
        ValidateCustomerPaymentProfileResponse {
            ref_id: r(),
            messages: ok(),
            direct_response: Some(DIRECT.into()),
        }
        .into(),
        CreateTransactionResponse {
            ref_id: r(),
            messages: ok(),
            transaction_response: Some(TransactionResponse {
                response_code: s("1"),
                raw_response_code: None,
                auth_code: s("Q7T2ZK"),
                avs_result_code: s("Y"),
                cvv_result_code: s("M"),
                cavv_result_code: s("2"),
                trans_id: s("2170001234"),
                ref_trans_id: s(""),
                trans_hash: s("8AF8B519A22207FA9A503B4067341712"),
                test_request: s("0"),
                account_number: s("XXXX1111"),
                entry_mode: None,
                account_type: s("Visa"),
                split_tender_id: None,
                messages: vec![TransactionMessage {
                    code: s("1"),
                    description: s("This transaction has been approved."),
                }],
                errors: vec![],
                user_fields: vec![UserField {
                    name: s("favorite_color"),
                    value: s("blue"),
                }],
                ship_to: None,
                trans_hash_sha2: s(""),
                profile: Some(CustomerProfileIds {
                    customer_profile_id: id(5000123),
                    customer_payment_profile_id: Some(id(4000456)),
                    customer_address_id: None,
                }),
                network_trans_id: None,
            }),
        }
        .into(),
        CreateTransactionResponse {
            ref_id: None,
            messages: Messages::error("E00027", "The transaction was unsuccessful."),
            transaction_response: Some(TransactionResponse {
                response_code: s("3"),
                trans_id: s("0"),
                errors: vec![
                    TransactionError {
                        error_code: s("6"),
                        error_text: s("The credit card number is invalid."),
                    },
                    TransactionError {
                        error_code: s("8"),
                        error_text: s("The credit card has expired."),
                    },
                ],
                ..Default::default()
            }),
        }
        .into(),
        GetUnsettledTransactionListResponse {
            ref_id: r(),
            messages: ok(),
            transactions: vec![
                summary(
                    2170001236,
                    status::CAPTURED_PENDING_SETTLEMENT,
                    Some("INV-1002"),
                ),
                summary(2170001235, status::DECLINED, None),
            ],
            total_num_in_result_set: Some(2),
        }
        .into(),
        GetUnsettledTransactionListResponse {
            ref_id: None,
            messages: ok(),
            transactions: vec![],
            total_num_in_result_set: Some(0),
        }
        .into(),
        GetTransactionDetailsResponse {
            ref_id: r(),
            messages: ok(),
            transaction: Some(details()),
            client_id: None,
            transref_id: None,
        }
        .into(),
        GetTransactionDetailsResponse {
            ref_id: None,
            messages: Messages::error_code("E00040"),
            ..Default::default()
        }
        .into(),
        ErrorResponse {
            ref_id: None,
            messages: Messages::error("E00003", "An error occurred while parsing the XML request."),
        }
        .into(),
    ]
}
