//! Shared element types of the schema (addresses, payment data, profiles,
//! amounts, messages), field order as `AnetApiSchema.xsd` declares it.

use checkout_domain::Secret;
use rust_decimal::Decimal;

use super::ApiError;
use super::codec::{Form, NumericString, SecretText, Wire, wire_enum, wire_struct};
use super::tree::Node;

impl Wire for Secret<String> {
    fn to_node(&self, name: &str) -> Node {
        Node::text(name, self.expose_secret().clone())
    }
    fn from_node(node: &Node, form: Form) -> Result<Self, ApiError> {
        String::from_node(node, form).map(Secret::new)
    }
}

wire_struct! {
    /// `merchantAuthenticationType`: API login and transaction key.
    pub struct MerchantAuthentication {
        opt name: String = "name",
        opt transaction_key: Secret<String> = "transactionKey",
    }
    ignore ["sessionToken", "password", "impersonationAuthentication", "fingerPrint", "clientKey", "accessToken", "mobileDeviceId"]
}

wire_enum! {
    /// `messageTypeEnum`.
    pub enum ResultCode { Ok = "Ok", Error = "Error" }
}

#[allow(clippy::derivable_impls)] // the enum is declared by `wire_enum!`
impl Default for ResultCode {
    fn default() -> Self {
        ResultCode::Ok
    }
}

wire_struct! {
    /// One `messages/message`.
    pub struct Message {
        req code: String = "code",
        req text: String = "text",
    }
}

wire_struct! {
    /// `messagesType`: the result and its messages, primary first.
    pub struct Messages {
        req result_code: ResultCode = "resultCode",
        many message: Message = "message",
    }
}

wire_enum! {
    /// `validationModeEnum`.
    pub enum ValidationMode { None = "none", TestMode = "testMode", LiveMode = "liveMode", OldLiveMode = "oldLiveMode" }
}

#[allow(clippy::derivable_impls)] // the enum is declared by `wire_enum!`
impl Default for ValidationMode {
    fn default() -> Self {
        ValidationMode::None
    }
}

wire_enum! {
    /// `customerTypeEnum`.
    pub enum CustomerType { Individual = "individual", Business = "business" }
}

wire_struct! {
    /// `customerAddressType` (billTo, shipTo, shipToList entries); with
    /// `customerAddressId` it is `customerAddressExType`.
    pub struct CustomerAddress {
        opt first_name: String = "firstName",
        opt last_name: String = "lastName",
        opt company: String = "company",
        opt address: String = "address",
        opt city: String = "city",
        opt state: String = "state",
        opt zip: String = "zip",
        opt country: String = "country",
        opt phone_number: String = "phoneNumber",
        opt fax_number: String = "faxNumber",
        opt email: String = "email",
        opt customer_address_id: NumericString = "customerAddressId",
    }
}

wire_struct! {
    /// `creditCardType` as sent: full number (or `XXXX1111` on update),
    /// `YYYY-MM` (or `XXXX`), optional card code.
    pub struct CreditCard {
        req card_number: SecretText = "cardNumber",
        req expiration_date: String = "expirationDate",
        opt card_code: SecretText = "cardCode",
    }
    ignore ["isPaymentToken", "cryptogram", "tokenRequestorName", "tokenRequestorId", "tokenRequestorEci"]
}

wire_struct! {
    /// `creditCardMaskedType`: `XXXX1111`, `XXXX`, card type.
    pub struct CreditCardMasked {
        req card_number: String = "cardNumber",
        req expiration_date: String = "expirationDate",
        opt card_type: String = "cardType",
    }
    ignore ["cardArt", "issuerNumber", "isPaymentToken"]
}

wire_struct! {
    /// `bankAccountType`.
    pub struct BankAccount {
        opt account_type: String = "accountType",
        req routing_number: SecretText = "routingNumber",
        req account_number: SecretText = "accountNumber",
        req name_on_account: String = "nameOnAccount",
        opt echeck_type: String = "echeckType",
        opt bank_name: String = "bankName",
        opt check_number: String = "checkNumber",
    }
}

wire_struct! {
    /// `bankAccountMaskedType`.
    pub struct BankAccountMasked {
        opt account_type: String = "accountType",
        req routing_number: String = "routingNumber",
        req account_number: String = "accountNumber",
        req name_on_account: String = "nameOnAccount",
        opt echeck_type: String = "echeckType",
        opt bank_name: String = "bankName",
    }
}

wire_struct! {
    /// `paymentType` (a choice: card or bank account).
    pub struct Payment {
        opt credit_card: CreditCard = "creditCard",
        opt bank_account: BankAccount = "bankAccount",
    }
    ignore ["trackData", "encryptedTrackData", "payPal", "opaqueData", "emv", "dataSource"]
}

wire_struct! {
    /// `paymentMaskedType`.
    pub struct PaymentMasked {
        opt credit_card: CreditCardMasked = "creditCard",
        opt bank_account: BankAccountMasked = "bankAccount",
    }
    ignore ["tokenInformation"]
}

wire_struct! {
    /// `driversLicenseType` (masked on get).
    pub struct DriversLicense {
        req number: SecretText = "number",
        req state: String = "state",
        req date_of_birth: String = "dateOfBirth",
    }
}

wire_struct! {
    /// `customerPaymentProfileType` / `customerPaymentProfileExType` (with id,
    /// for updates).
    pub struct PaymentProfile {
        opt customer_type: CustomerType = "customerType",
        opt bill_to: CustomerAddress = "billTo",
        opt payment: Payment = "payment",
        opt drivers_license: DriversLicense = "driversLicense",
        opt tax_id: SecretText = "taxId",
        opt default_payment_profile: bool = "defaultPaymentProfile",
        opt customer_payment_profile_id: NumericString = "customerPaymentProfileId",
    }
    ignore ["subsequentAuthInformation", "excludeFromAccountUpdater"]
}

wire_struct! {
    /// `customerPaymentProfileMaskedType`.
    pub struct PaymentProfileMasked {
        opt customer_type: CustomerType = "customerType",
        opt bill_to: CustomerAddress = "billTo",
        opt customer_profile_id: NumericString = "customerProfileId",
        req customer_payment_profile_id: NumericString = "customerPaymentProfileId",
        opt default_payment_profile: bool = "defaultPaymentProfile",
        opt payment: PaymentMasked = "payment",
        opt drivers_license: DriversLicenseMasked = "driversLicense",
        opt tax_id: String = "taxId",
    }
    ignore ["subscriptionIds", "originalNetworkTransId", "originalAuthAmount", "excludeFromAccountUpdater"]
}

wire_struct! {
    /// `driversLicenseMaskedType`.
    pub struct DriversLicenseMasked {
        req number: String = "number",
        req state: String = "state",
        req date_of_birth: String = "dateOfBirth",
    }
}

wire_struct! {
    /// `customerProfileType`: a new profile with its payment profiles and
    /// shipping addresses.
    pub struct CustomerProfile {
        opt merchant_customer_id: String = "merchantCustomerId",
        opt description: String = "description",
        opt email: String = "email",
        many payment_profiles: PaymentProfile = "paymentProfiles",
        many ship_to_list: CustomerAddress = "shipToList",
    }
    ignore ["profileType"]
}

wire_struct! {
    /// `customerProfileExType`: the profile's own fields, for updates.
    pub struct CustomerProfileEx {
        opt merchant_customer_id: String = "merchantCustomerId",
        opt description: String = "description",
        opt email: String = "email",
        req customer_profile_id: NumericString = "customerProfileId",
    }
}

wire_struct! {
    /// `customerProfileMaskedType`: what `getCustomerProfile` returns.
    pub struct CustomerProfileMasked {
        opt merchant_customer_id: String = "merchantCustomerId",
        opt description: String = "description",
        opt email: String = "email",
        opt customer_profile_id: NumericString = "customerProfileId",
        many payment_profiles: PaymentProfileMasked = "paymentProfiles",
        many ship_to_list: CustomerAddress = "shipToList",
    }
    ignore ["profileType"]
}

wire_struct! {
    /// `extendedAmountType` (tax, shipping, duty).
    pub struct ExtendedAmount {
        req amount: Decimal = "amount",
        opt name: String = "name",
        opt description: String = "description",
    }
}

wire_struct! {
    /// `lineItemType`.
    pub struct LineItem {
        req item_id: String = "itemId",
        req name: String = "name",
        opt description: String = "description",
        req quantity: Decimal = "quantity",
        req unit_price: Decimal = "unitPrice",
        opt taxable: bool = "taxable",
    }
    ignore ["unitOfMeasure", "typeOfSupply", "taxRate", "taxAmount", "nationalTax", "localTax", "vatRate",
        "alternateTaxId", "alternateTaxType", "alternateTaxTypeApplied", "alternateTaxRate", "alternateTaxAmount",
        "totalAmount", "commodityCode", "productCode", "productSKU", "discountRate", "discountAmount",
        "taxIncludedInTotal", "taxIsAfterDiscount"]
}

wire_struct! {
    /// `orderExType`.
    pub struct Order {
        opt invoice_number: String = "invoiceNumber",
        opt description: String = "description",
        opt purchase_order_number: String = "purchaseOrderNumber",
    }
    ignore ["discountAmount", "taxIsAfterDiscount", "totalTaxTypeCode", "purchaserVATRegistrationNumber",
        "merchantVATRegistrationNumber", "vatInvoiceReferenceNumber", "purchaserCode", "summaryCommodityCode",
        "purchaseOrderDateUTC", "supplierOrderReference", "authorizedContactName", "cardAcceptorRefNumber",
        "amexDataTAA1", "amexDataTAA2", "amexDataTAA3", "amexDataTAA4"]
}
