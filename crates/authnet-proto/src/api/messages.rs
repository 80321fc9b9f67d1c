//! The request and response messages of every supported API function.

use super::ApiError;
use super::codec::{Form, NumericString, SecretText, Wire, wire_struct};
use super::reporting::{
    Paging, TransactionDetails, TransactionGroupStatus, TransactionListSorting, TransactionSummary,
};
use super::transaction::{ProfileTransaction, TransactionRequest, TransactionResponse};
use super::tree::Node;
use super::types::{
    CustomerAddress, CustomerProfile, CustomerProfileEx, CustomerProfileMasked,
    MerchantAuthentication, Messages, PaymentProfile, PaymentProfileMasked, ValidationMode,
};

/// Declares one request struct with the common `ANetApiRequest` head
/// (`merchantAuthentication`, `clientId`?, `refId`?).
macro_rules! request {
    ($(#[$m:meta])* $name:ident { $($body:tt)* }) => {
        wire_struct! {
            $(#[$m])*
            pub struct $name {
                req merchant_authentication: MerchantAuthentication = "merchantAuthentication",
                opt client_id: String = "clientId",
                opt ref_id: String = "refId",
                $($body)*
            }
        }
    };
}

/// Declares one response struct with the common `ANetApiResponse` head
/// (`refId`?, `messages`).
macro_rules! response {
    ($(#[$m:meta])* $name:ident { $($body:tt)* }) => {
        wire_struct! {
            $(#[$m])*
            pub struct $name {
                opt ref_id: String = "refId",
                req messages: Messages = "messages",
                $($body)*
            }
            ignore ["sessionToken"]
        }
    };
}

request!(CreateCustomerProfileRequest {
    req profile: CustomerProfile = "profile",
    opt validation_mode: ValidationMode = "validationMode",
});
response!(CreateCustomerProfileResponse {
    opt customer_profile_id: NumericString = "customerProfileId",
    always["numericString"] customer_payment_profile_id_list: NumericString = "customerPaymentProfileIdList",
    always["numericString"] customer_shipping_address_id_list: NumericString = "customerShippingAddressIdList",
    always["string"] validation_direct_response_list: String = "validationDirectResponseList",
});

request!(GetCustomerProfileRequest {
    opt customer_profile_id: NumericString = "customerProfileId",
    opt merchant_customer_id: String = "merchantCustomerId",
    opt email: String = "email",
    opt unmask_expiration_date: bool = "unmaskExpirationDate",
    opt include_issuer_info: bool = "includeIssuerInfo",
});
response!(GetCustomerProfileResponse {
    opt profile: CustomerProfileMasked = "profile",
    list["id"] subscription_ids: NumericString = "subscriptionIds",
});

request!(UpdateCustomerProfileRequest {
    req profile: CustomerProfileEx = "profile",
});
response!(UpdateCustomerProfileResponse {});

request!(DeleteCustomerProfileRequest {
    req customer_profile_id: NumericString = "customerProfileId",
});
response!(DeleteCustomerProfileResponse {});

request!(CreateCustomerPaymentProfileRequest {
    req customer_profile_id: NumericString = "customerProfileId",
    req payment_profile: PaymentProfile = "paymentProfile",
    opt validation_mode: ValidationMode = "validationMode",
});
response!(CreateCustomerPaymentProfileResponse {
    opt customer_profile_id: NumericString = "customerProfileId",
    opt customer_payment_profile_id: NumericString = "customerPaymentProfileId",
    opt validation_direct_response: String = "validationDirectResponse",
});

request!(GetCustomerPaymentProfileRequest {
    req customer_profile_id: NumericString = "customerProfileId",
    req customer_payment_profile_id: NumericString = "customerPaymentProfileId",
    opt unmask_expiration_date: bool = "unmaskExpirationDate",
    opt include_issuer_info: bool = "includeIssuerInfo",
});
response!(GetCustomerPaymentProfileResponse {
    opt payment_profile: PaymentProfileMasked = "paymentProfile",
});

request!(UpdateCustomerPaymentProfileRequest {
    req customer_profile_id: NumericString = "customerProfileId",
    req payment_profile: PaymentProfile = "paymentProfile",
    opt validation_mode: ValidationMode = "validationMode",
});
response!(UpdateCustomerPaymentProfileResponse {
    opt validation_direct_response: String = "validationDirectResponse",
});

request!(DeleteCustomerPaymentProfileRequest {
    req customer_profile_id: NumericString = "customerProfileId",
    req customer_payment_profile_id: NumericString = "customerPaymentProfileId",
});
response!(DeleteCustomerPaymentProfileResponse {});

request!(CreateCustomerShippingAddressRequest {
    req customer_profile_id: NumericString = "customerProfileId",
    req address: CustomerAddress = "address",
    opt default_shipping_address: bool = "defaultShippingAddress",
});
response!(CreateCustomerShippingAddressResponse {
    opt customer_profile_id: NumericString = "customerProfileId",
    opt customer_address_id: NumericString = "customerAddressId",
});

request!(GetCustomerShippingAddressRequest {
    req customer_profile_id: NumericString = "customerProfileId",
    req customer_address_id: NumericString = "customerAddressId",
});
response!(GetCustomerShippingAddressResponse {
    opt default_shipping_address: bool = "defaultShippingAddress",
    opt address: CustomerAddress = "address",
    list["id"] subscription_ids: NumericString = "subscriptionIds",
});

request!(UpdateCustomerShippingAddressRequest {
    req customer_profile_id: NumericString = "customerProfileId",
    req address: CustomerAddress = "address",
    opt default_shipping_address: bool = "defaultShippingAddress",
});
response!(UpdateCustomerShippingAddressResponse {});

request!(DeleteCustomerShippingAddressRequest {
    req customer_profile_id: NumericString = "customerProfileId",
    req customer_address_id: NumericString = "customerAddressId",
});
response!(DeleteCustomerShippingAddressResponse {});

request!(CreateCustomerProfileTransactionRequest {
    req transaction: ProfileTransaction = "transaction",
    opt extra_options: String = "extraOptions",
});
response!(CreateCustomerProfileTransactionResponse {
    opt transaction_response: TransactionResponse = "transactionResponse",
    opt direct_response: String = "directResponse",
});

request!(GetCustomerProfileIdsRequest {});
response!(GetCustomerProfileIdsResponse {
    always["numericString"] ids: NumericString = "ids",
});

request!(ValidateCustomerPaymentProfileRequest {
    req customer_profile_id: NumericString = "customerProfileId",
    req customer_payment_profile_id: NumericString = "customerPaymentProfileId",
    opt customer_shipping_address_id: NumericString = "customerShippingAddressId",
    opt card_code: SecretText = "cardCode",
    req validation_mode: ValidationMode = "validationMode",
});
response!(ValidateCustomerPaymentProfileResponse {
    opt direct_response: String = "directResponse",
});

request!(CreateTransactionRequest {
    req transaction_request: TransactionRequest = "transactionRequest",
});
response!(CreateTransactionResponse {
    opt transaction_response: TransactionResponse = "transactionResponse",
});

request!(
    /// `getUnsettledTransactionListRequest`: every transaction not yet in a
    /// settlement batch (declined ones included). All three options are
    /// optional; without `sorting` the gateway lists newest first.
    GetUnsettledTransactionListRequest {
    opt status: TransactionGroupStatus = "status",
    opt sorting: TransactionListSorting = "sorting",
    opt paging: Paging = "paging",
});
response!(
    /// `getUnsettledTransactionListResponse`: the page of transactions (the
    /// `transactions` wrapper is omitted when there are none) and the total
    /// count over all pages.
    GetUnsettledTransactionListResponse {
    list["transaction"] transactions: TransactionSummary = "transactions",
    opt total_num_in_result_set: u32 = "totalNumInResultSet",
});

request!(
    /// `getTransactionDetailsRequest`: one transaction by id.
    GetTransactionDetailsRequest {
    req trans_id: NumericString = "transId",
});
response!(
    /// `getTransactionDetailsResponse`; an unknown id is `E00040`.
    GetTransactionDetailsResponse {
    opt transaction: TransactionDetails = "transaction",
    opt client_id: String = "clientId",
    opt transref_id: String = "transrefId",
});

response!(
    /// `ErrorResponse`: the envelope used when the function cannot be
    /// determined or the document fails to parse.
    ErrorResponse {}
);

/// Declares the function table: one variant per API function, its request and
/// response types, and the root element names.
macro_rules! functions {
    ($($variant:ident($req:ident, $resp:ident) = $name:literal),* $(,)?) => {
        /// An API function (the root element name without `Request`/`Response`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Function { $($variant),* }

        impl Function {
            /// All functions, in the seed's order.
            pub const ALL: &'static [Function] = &[$(Function::$variant),*];

            /// e.g. `createCustomerProfile`.
            pub fn name(self) -> &'static str {
                match self { $(Function::$variant => $name),* }
            }
            pub fn request_root(self) -> String {
                format!("{}Request", self.name())
            }
            pub fn response_root(self) -> String {
                format!("{}Response", self.name())
            }
            /// The function whose request root element is `root`.
            pub fn from_request_root(root: &str) -> Option<Self> {
                let name = root.strip_suffix("Request")?;
                Function::ALL.iter().copied().find(|f| f.name() == name)
            }
            /// The function whose response root element is `root`.
            pub fn from_response_root(root: &str) -> Option<Self> {
                let name = root.strip_suffix("Response")?;
                Function::ALL.iter().copied().find(|f| f.name() == name)
            }
        }

        /// Any supported request.
        #[derive(Clone, Debug, PartialEq)]
        // One message per HTTP exchange: boxing the big variants buys nothing.
        #[allow(clippy::large_enum_variant)]
        pub enum ApiRequest { $($variant($req)),* }

        /// Any supported response, or the `ErrorResponse` envelope.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum ApiResponse { $($variant($resp),)* Error(ErrorResponse) }

        $(
            impl From<$req> for ApiRequest {
                fn from(r: $req) -> Self { ApiRequest::$variant(r) }
            }
            impl From<$resp> for ApiResponse {
                fn from(r: $resp) -> Self { ApiResponse::$variant(r) }
            }
        )*
        impl From<ErrorResponse> for ApiResponse {
            fn from(r: ErrorResponse) -> Self { ApiResponse::Error(r) }
        }

        impl ApiRequest {
            pub fn function(&self) -> Function {
                match self { $(ApiRequest::$variant(_) => Function::$variant),* }
            }
            pub fn merchant_authentication(&self) -> &MerchantAuthentication {
                match self { $(ApiRequest::$variant(r) => &r.merchant_authentication),* }
            }
            pub fn ref_id(&self) -> Option<&str> {
                match self { $(ApiRequest::$variant(r) => r.ref_id.as_deref()),* }
            }
            pub(crate) fn to_tree(&self) -> Node {
                match self { $(ApiRequest::$variant(r) => r.to_node(&Function::$variant.request_root())),* }
            }
            pub(crate) fn from_tree(root: &Node, form: Form) -> Result<Self, ApiError> {
                let function = Function::from_request_root(&root.name)
                    .ok_or_else(|| ApiError::UnknownMethod(root.name.chars().take(64).collect()))?;
                Ok(match function { $(Function::$variant => ApiRequest::$variant($req::from_node(root, form)?)),* })
            }
        }

        impl ApiResponse {
            /// The function answered, `None` for `ErrorResponse`.
            pub fn function(&self) -> Option<Function> {
                match self { $(ApiResponse::$variant(_) => Some(Function::$variant),)* ApiResponse::Error(_) => None }
            }
            pub fn messages(&self) -> &Messages {
                match self { $(ApiResponse::$variant(r) => &r.messages,)* ApiResponse::Error(r) => &r.messages }
            }
            pub fn ref_id(&self) -> Option<&str> {
                match self { $(ApiResponse::$variant(r) => r.ref_id.as_deref(),)* ApiResponse::Error(r) => r.ref_id.as_deref() }
            }
            /// The root element name, e.g. `createCustomerProfileResponse`.
            pub fn root_name(&self) -> String {
                match self.function() { Some(f) => f.response_root(), None => "ErrorResponse".to_owned() }
            }
            pub(crate) fn to_tree(&self) -> Node {
                let root = self.root_name();
                match self { $(ApiResponse::$variant(r) => r.to_node(&root),)* ApiResponse::Error(r) => r.to_node(&root) }
            }
            pub(crate) fn from_tree(root: &Node, form: Form) -> Result<Self, ApiError> {
                if root.name == "ErrorResponse" {
                    return Ok(ApiResponse::Error(ErrorResponse::from_node(root, form)?));
                }
                let function = Function::from_response_root(&root.name)
                    .ok_or_else(|| ApiError::UnknownMethod(root.name.chars().take(64).collect()))?;
                Ok(match function { $(Function::$variant => ApiResponse::$variant($resp::from_node(root, form)?)),* })
            }
            /// An error answer for `function` (or `ErrorResponse`) carrying only
            /// the envelope: messages and the echoed refId.
            #[allow(clippy::needless_update)] // envelope-only responses have no other fields
            pub fn error_for(function: Option<Function>, ref_id: Option<String>, messages: Messages) -> Self {
                match function {
                    $(Some(Function::$variant) => ApiResponse::$variant($resp { ref_id, messages, ..Default::default() }),)*
                    None => ApiResponse::Error(ErrorResponse { ref_id, messages }),
                }
            }
        }
    };
}

functions! {
    CreateCustomerProfile(CreateCustomerProfileRequest, CreateCustomerProfileResponse) = "createCustomerProfile",
    CreateCustomerPaymentProfile(CreateCustomerPaymentProfileRequest, CreateCustomerPaymentProfileResponse) = "createCustomerPaymentProfile",
    CreateCustomerShippingAddress(CreateCustomerShippingAddressRequest, CreateCustomerShippingAddressResponse) = "createCustomerShippingAddress",
    CreateCustomerProfileTransaction(CreateCustomerProfileTransactionRequest, CreateCustomerProfileTransactionResponse) = "createCustomerProfileTransaction",
    DeleteCustomerProfile(DeleteCustomerProfileRequest, DeleteCustomerProfileResponse) = "deleteCustomerProfile",
    DeleteCustomerPaymentProfile(DeleteCustomerPaymentProfileRequest, DeleteCustomerPaymentProfileResponse) = "deleteCustomerPaymentProfile",
    DeleteCustomerShippingAddress(DeleteCustomerShippingAddressRequest, DeleteCustomerShippingAddressResponse) = "deleteCustomerShippingAddress",
    GetCustomerProfileIds(GetCustomerProfileIdsRequest, GetCustomerProfileIdsResponse) = "getCustomerProfileIds",
    GetCustomerProfile(GetCustomerProfileRequest, GetCustomerProfileResponse) = "getCustomerProfile",
    GetCustomerPaymentProfile(GetCustomerPaymentProfileRequest, GetCustomerPaymentProfileResponse) = "getCustomerPaymentProfile",
    GetCustomerShippingAddress(GetCustomerShippingAddressRequest, GetCustomerShippingAddressResponse) = "getCustomerShippingAddress",
    UpdateCustomerProfile(UpdateCustomerProfileRequest, UpdateCustomerProfileResponse) = "updateCustomerProfile",
    UpdateCustomerPaymentProfile(UpdateCustomerPaymentProfileRequest, UpdateCustomerPaymentProfileResponse) = "updateCustomerPaymentProfile",
    UpdateCustomerShippingAddress(UpdateCustomerShippingAddressRequest, UpdateCustomerShippingAddressResponse) = "updateCustomerShippingAddress",
    ValidateCustomerPaymentProfile(ValidateCustomerPaymentProfileRequest, ValidateCustomerPaymentProfileResponse) = "validateCustomerPaymentProfile",
    CreateTransaction(CreateTransactionRequest, CreateTransactionResponse) = "createTransaction",
    GetUnsettledTransactionList(GetUnsettledTransactionListRequest, GetUnsettledTransactionListResponse) = "getUnsettledTransactionList",
    GetTransactionDetails(GetTransactionDetailsRequest, GetTransactionDetailsResponse) = "getTransactionDetails",
}
