//! Transaction element types: CIM profile transactions
//! (`createCustomerProfileTransactionRequest/transaction`) and the
//! `createTransactionRequest` `transactionRequest`/`transactionResponse`.

use rust_decimal::Decimal;

use super::ApiError;
use super::codec::{Fields, Form, NumericString, SecretText, Wire, wire_enum, wire_struct};
use super::tree::Node;
use super::types::{CustomerAddress, ExtendedAmount, LineItem, Order, Payment};

wire_struct! {
    /// `profileTransAuthCaptureType` / `profileTransAuthOnlyType` /
    /// `profileTransCaptureOnlyType` (the last adds `approvalCode`).
    pub struct ProfileTransOrder {
        req amount: Decimal = "amount",
        opt tax: ExtendedAmount = "tax",
        opt shipping: ExtendedAmount = "shipping",
        opt duty: ExtendedAmount = "duty",
        many line_items: LineItem = "lineItems",
        req customer_profile_id: NumericString = "customerProfileId",
        req customer_payment_profile_id: NumericString = "customerPaymentProfileId",
        opt customer_shipping_address_id: NumericString = "customerShippingAddressId",
        opt order: Order = "order",
        opt tax_exempt: bool = "taxExempt",
        opt recurring_billing: bool = "recurringBilling",
        opt card_code: SecretText = "cardCode",
        opt split_tender_id: NumericString = "splitTenderId",
        opt approval_code: String = "approvalCode",
    }
    ignore ["processingOptions", "subsequentAuthInformation", "authorizationIndicatorType"]
}

wire_struct! {
    /// `profileTransPriorAuthCaptureType`.
    pub struct ProfileTransPriorAuthCapture {
        req amount: Decimal = "amount",
        opt tax: ExtendedAmount = "tax",
        opt shipping: ExtendedAmount = "shipping",
        opt duty: ExtendedAmount = "duty",
        many line_items: LineItem = "lineItems",
        opt customer_profile_id: NumericString = "customerProfileId",
        opt customer_payment_profile_id: NumericString = "customerPaymentProfileId",
        opt customer_shipping_address_id: NumericString = "customerShippingAddressId",
        req trans_id: NumericString = "transId",
    }
}

wire_struct! {
    /// `profileTransRefundType`.
    pub struct ProfileTransRefund {
        req amount: Decimal = "amount",
        opt tax: ExtendedAmount = "tax",
        opt shipping: ExtendedAmount = "shipping",
        opt duty: ExtendedAmount = "duty",
        many line_items: LineItem = "lineItems",
        opt customer_profile_id: NumericString = "customerProfileId",
        opt customer_payment_profile_id: NumericString = "customerPaymentProfileId",
        opt customer_shipping_address_id: NumericString = "customerShippingAddressId",
        opt credit_card_number_masked: String = "creditCardNumberMasked",
        opt bank_routing_number_masked: String = "bankRoutingNumberMasked",
        opt bank_account_number_masked: String = "bankAccountNumberMasked",
        opt order: Order = "order",
        opt trans_id: NumericString = "transId",
    }
}

wire_struct! {
    /// `profileTransVoidType`.
    pub struct ProfileTransVoid {
        opt customer_profile_id: NumericString = "customerProfileId",
        opt customer_payment_profile_id: NumericString = "customerPaymentProfileId",
        opt customer_shipping_address_id: NumericString = "customerShippingAddressId",
        req trans_id: NumericString = "transId",
    }
}

/// `profileTransactionType`: exactly one of the six profile transactions.
#[derive(Clone, Debug, PartialEq)]
pub enum ProfileTransaction {
    AuthCapture(ProfileTransOrder),
    AuthOnly(ProfileTransOrder),
    PriorAuthCapture(ProfileTransPriorAuthCapture),
    CaptureOnly(ProfileTransOrder),
    Refund(ProfileTransRefund),
    Void(ProfileTransVoid),
}

impl Default for ProfileTransaction {
    fn default() -> Self {
        ProfileTransaction::Void(ProfileTransVoid::default())
    }
}

impl Wire for ProfileTransaction {
    fn to_node(&self, name: &str) -> Node {
        let child = match self {
            ProfileTransaction::AuthCapture(t) => t.to_node("profileTransAuthCapture"),
            ProfileTransaction::AuthOnly(t) => t.to_node("profileTransAuthOnly"),
            ProfileTransaction::PriorAuthCapture(t) => t.to_node("profileTransPriorAuthCapture"),
            ProfileTransaction::CaptureOnly(t) => t.to_node("profileTransCaptureOnly"),
            ProfileTransaction::Refund(t) => t.to_node("profileTransRefund"),
            ProfileTransaction::Void(t) => t.to_node("profileTransVoid"),
        };
        Node::parent(name, vec![child])
    }
    fn from_node(node: &Node, form: Form) -> Result<Self, ApiError> {
        // Rejects text content where the choice element belongs.
        let _ = Fields::new(node, form, &[])?;
        let children = node.children();
        let [child] = children else {
            return Err(super::codec::incomplete(
                &node.name,
                "profileTransAuthCapture, profileTransAuthOnly, profileTransPriorAuthCapture, profileTransCaptureOnly, profileTransRefund, profileTransVoid",
            ));
        };
        let order = |c: &Node, capture_only: bool| -> Result<ProfileTransOrder, ApiError> {
            let t = ProfileTransOrder::from_node(c, form)?;
            match (capture_only, &t.approval_code) {
                (true, None) => Err(super::codec::incomplete(&c.name, "approvalCode")),
                (false, Some(_)) => Err(super::codec::invalid_child(&c.name, "approvalCode")),
                _ => Ok(t),
            }
        };
        Ok(match child.name.as_str() {
            "profileTransAuthCapture" => ProfileTransaction::AuthCapture(order(child, false)?),
            "profileTransAuthOnly" => ProfileTransaction::AuthOnly(order(child, false)?),
            "profileTransCaptureOnly" => ProfileTransaction::CaptureOnly(order(child, true)?),
            "profileTransPriorAuthCapture" => ProfileTransaction::PriorAuthCapture(
                ProfileTransPriorAuthCapture::from_node(child, form)?,
            ),
            "profileTransRefund" => {
                ProfileTransaction::Refund(ProfileTransRefund::from_node(child, form)?)
            }
            "profileTransVoid" => {
                ProfileTransaction::Void(ProfileTransVoid::from_node(child, form)?)
            }
            other => return Err(super::codec::invalid_child(&node.name, other)),
        })
    }
}

wire_enum! {
    /// `transactionTypeEnum` (the types this crate handles).
    pub enum TransactionType {
        AuthCapture = "authCaptureTransaction",
        AuthOnly = "authOnlyTransaction",
        PriorAuthCapture = "priorAuthCaptureTransaction",
        CaptureOnly = "captureOnlyTransaction",
        Refund = "refundTransaction",
        Void = "voidTransaction",
    }
}

#[allow(clippy::derivable_impls)] // the enum is declared by `wire_enum!`
impl Default for TransactionType {
    fn default() -> Self {
        TransactionType::AuthCapture
    }
}

wire_struct! {
    /// `paymentProfile` inside `customerProfilePaymentType`.
    pub struct PaymentProfileRef {
        req payment_profile_id: NumericString = "paymentProfileId",
        opt card_code: SecretText = "cardCode",
    }
}

wire_struct! {
    /// `customerProfilePaymentType`: pay with a stored profile.
    pub struct ProfilePayment {
        opt create_profile: bool = "createProfile",
        opt customer_profile_id: NumericString = "customerProfileId",
        opt payment_profile: PaymentProfileRef = "paymentProfile",
        opt shipping_profile_id: NumericString = "shippingProfileId",
    }
}

wire_struct! {
    /// `customerDataType`.
    pub struct CustomerData {
        opt customer_type: String = "type",
        opt id: String = "id",
        opt email: String = "email",
    }
    ignore ["driversLicense", "taxId"]
}

wire_struct! {
    /// `settingType`.
    pub struct Setting {
        opt setting_name: String = "settingName",
        opt setting_value: String = "settingValue",
    }
}

wire_struct! {
    /// `userField`: merchant-defined name/value.
    pub struct UserField {
        opt name: String = "name",
        opt value: String = "value",
    }
}

wire_struct! {
    /// `transactionRequestType` (the elements this crate handles; newer ones are
    /// accepted and ignored).
    pub struct TransactionRequest {
        req transaction_type: TransactionType = "transactionType",
        opt amount: Decimal = "amount",
        opt payment: Payment = "payment",
        opt profile: ProfilePayment = "profile",
        opt auth_code: String = "authCode",
        opt ref_trans_id: String = "refTransId",
        opt split_tender_id: String = "splitTenderId",
        opt order: Order = "order",
        list["lineItem"] line_items: LineItem = "lineItems",
        opt tax: ExtendedAmount = "tax",
        opt duty: ExtendedAmount = "duty",
        opt shipping: ExtendedAmount = "shipping",
        opt tax_exempt: bool = "taxExempt",
        opt po_number: String = "poNumber",
        opt customer: CustomerData = "customer",
        opt bill_to: CustomerAddress = "billTo",
        opt ship_to: CustomerAddress = "shipTo",
        opt customer_ip: String = "customerIP",
        list["setting"] transaction_settings: Setting = "transactionSettings",
        list["userField"] user_fields: UserField = "userFields",
    }
    ignore ["currencyCode", "solution", "callId", "terminalNumber", "cardholderAuthentication", "retail",
        "employeeId", "surcharge", "merchantDescriptor", "subMerchant", "tip", "processingOptions",
        "subsequentAuthInformation", "otherTax", "shipFrom", "authorizationIndicatorType"]
}

wire_struct! {
    /// `transactionResponse/messages/message`.
    pub struct TransactionMessage {
        opt code: String = "code",
        opt description: String = "description",
    }
}

wire_struct! {
    /// `transactionResponse/errors/error`.
    pub struct TransactionError {
        opt error_code: String = "errorCode",
        opt error_text: String = "errorText",
    }
}

wire_struct! {
    /// `customerProfileIdType`.
    pub struct CustomerProfileIds {
        req customer_profile_id: NumericString = "customerProfileId",
        opt customer_payment_profile_id: NumericString = "customerPaymentProfileId",
        opt customer_address_id: NumericString = "customerAddressId",
    }
}

wire_struct! {
    /// `transactionResponse`.
    pub struct TransactionResponse {
        opt response_code: String = "responseCode",
        opt raw_response_code: String = "rawResponseCode",
        opt auth_code: String = "authCode",
        opt avs_result_code: String = "avsResultCode",
        opt cvv_result_code: String = "cvvResultCode",
        opt cavv_result_code: String = "cavvResultCode",
        opt trans_id: String = "transId",
        opt ref_trans_id: String = "refTransID",
        opt trans_hash: String = "transHash",
        opt test_request: String = "testRequest",
        opt account_number: String = "accountNumber",
        opt entry_mode: String = "entryMode",
        opt account_type: String = "accountType",
        opt split_tender_id: String = "splitTenderId",
        list["message"] messages: TransactionMessage = "messages",
        list["error"] errors: TransactionError = "errors",
        list["userField"] user_fields: UserField = "userFields",
        opt ship_to: CustomerAddress = "shipTo",
        opt trans_hash_sha2: String = "transHashSha2",
        opt profile: CustomerProfileIds = "profile",
        opt network_trans_id: String = "networkTransId",
    }
    ignore ["prePaidCard", "splitTenderPayments", "secureAcceptance", "emvResponse"]
}
